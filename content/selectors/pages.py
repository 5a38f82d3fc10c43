"""Reads of page images: a version's pages, and the viewer's entries for them.

Who may see the pages is asked by the caller (the asset page, the page-image
view, a share page): these selectors take a version already allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from content.models import Version, VersionPage


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
