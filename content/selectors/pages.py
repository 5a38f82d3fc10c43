"""Reads of page images: a version's pages, and the viewer's entries for them.

Who may see the pages is asked by the caller (the asset page, the page-image
view, a share page): these selectors take a version already allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from accounts import roles
from content.models import Asset, Version, VersionPage


@dataclass(frozen=True)
class PageEntry:
    """One page as the viewer partial (content/_page_viewer.html) reads it."""

    number: int
    url: str
    width: int
    height: int


def version_pages(version: Version) -> list[VersionPage]:
    """The version's page images in order, in one query."""
    return list(
        VersionPage.objects.filter(version_id=version.pk)
        .only("pk", "version_id", "number", "image", "width", "height", "simplified")
        .order_by("number")
    )


def page_entries(
    pages: list[VersionPage], *, url: Callable[[VersionPage], str]
) -> list[PageEntry]:
    """The viewer's entries; `url` names the view that serves one page's image
    (the site's page view for reps, a share link's own for prospects)."""
    return [
        PageEntry(number=p.number, url=url(p), width=p.width, height=p.height)
        for p in pages
    ]


def pages_simplified(pages: list[VersionPage]) -> bool:
    """Whether the viewer must say "Simplified preview" (any outline render)."""
    return any(page.simplified for page in pages)


def site_page_viewer(version: Version | None) -> dict:
    """The asset page's viewer context for a version a rep may see: its pages
    (`preview_pages`, served by content:page) and whether any is simplified.
    No query when the version has no pages."""
    if version is None or not version.page_count:
        return {"preview_pages": [], "preview_simplified": False}
    pages = version_pages(version)
    return {
        "preview_pages": page_entries(
            pages,
            url=lambda page: reverse(
                "content:page", args=[version.asset_id, version.pk, page.number]
            ),
        ),
        "preview_simplified": pages_simplified(pages),
    }


def page_for_file(*, user, asset_pk: int, version_pk: int, number: int) -> VersionPage:
    """One page image `user` may fetch, in one query; 404 for anything else.

    The same rule as the version's file (content.selectors.library.
    version_for_file): marketers and admins any version; everyone else the
    current version of an asset they may see, so a partner never gets an
    internal asset's pages.
    """
    pages = VersionPage.objects.select_related("version__asset").filter(
        version__asset__in=Asset.objects.visible_to(user),
        version__asset_id=asset_pk,
        version_id=version_pk,
        number=number,
    )
    if not roles.can_manage_content(user):
        pages = pages.filter(version__asset__current_version=version_pk)
    try:
        return pages.get()
    except VersionPage.DoesNotExist as exc:
        raise Http404("No such page.") from exc
