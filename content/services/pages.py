"""Writes of page images: what a file job rendered, stored as a version's pages.

The images go to the default storage (private; S3 the same) before the short
transaction that records their rows, inside the caller's
`files.cleanup_on_failure()` block: a failure anywhere deletes what was stored,
so no file is left without its row. Only this version's pages change; older
versions keep theirs.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from content import files
from content.jobs.runner import PageImage
from content.models import Version, VersionPage

logger = logging.getLogger(__name__)

PAGE_CONTENT_TYPES = {"webp": "image/webp", "png": "image/png"}


def version_pages_store(
    *, version: Version, pages: list[PageImage]
) -> list[VersionPage]:
    """Store the images (not yet the rows): call inside `cleanup_on_failure()`."""
    stored: list[VersionPage] = []
    for image in pages[: settings.WINGMAN_PAGES_MAX]:
        if image.extension not in PAGE_CONTENT_TYPES:
            continue  # the child writes WebP or PNG only
        page = VersionPage(
            version=version,
            number=image.number,
            width=image.width,
            height=image.height,
            simplified=image.simplified,
        )
        files.save_tracked(
            page.image, f"page.{image.extension}", ContentFile(image.data)
        )
        stored.append(page)
    return stored


def version_pages_replace(*, version: Version, pages: list[VersionPage]) -> int:
    """Record `pages` as the version's pages, inside the caller's transaction.

    Pages this version had before (a re-render) are replaced; their files are
    deleted once the transaction has committed. Returns the page count.
    """
    old = list(VersionPage.objects.filter(version=version).only("pk", "image"))
    if old:
        VersionPage.objects.filter(pk__in=[page.pk for page in old]).delete()
        old_files = [(page.image.storage, page.image.name) for page in old]
        transaction.on_commit(lambda: files.delete_files(old_files), robust=True)
    for page in pages:
        page.full_clean(exclude=["version", "image"], validate_unique=False)
    VersionPage.objects.bulk_create(pages)
    version.page_count = len(pages)
    Version.objects.filter(pk=version.pk).update(page_count=version.page_count)
    return version.page_count


def page_content_type(page: VersionPage) -> str:
    return PAGE_CONTENT_TYPES.get(page.image.name.rsplit(".", 1)[-1], "image/png")
