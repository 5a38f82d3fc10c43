"""Writes for previews: what a version's file job found, recorded on the version.

Runs in a worker (content.tasks.version_preview), never in a request: the file
is copied out of storage and handed to a limited child process
(content.jobs.runner) with no transaction open; only the short write of the
outcome is a transaction.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from content import files
from content.caching.keys import content_version_bump
from content.jobs.limits import JobLimits
from content.jobs.runner import JobResult, run_preview_job
from content.models import Asset, PreviewStatus, Version
from content.services.pages import version_pages_replace, version_pages_store

logger = logging.getLogger(__name__)

TOO_COMPLEX_NOTE = "no preview: the file is too complex to preview safely"
UNREADABLE_NOTE = "no preview: the file could not be read for a preview"
GAVE_UP_NOTE = "no preview: it could not be made; upload the file again to retry"


def version_preview_make(*, version_id: int) -> str:
    """Make and record one version's preview. Returns what happened, in words.

    Only a pending version is worked on, so a task that runs twice (a retry, a
    second worker, `enqueue_previews`) does the work once.
    """
    claimed = Version.objects.filter(
        pk=version_id, preview_status=PreviewStatus.PENDING
    ).update(preview_attempts=F("preview_attempts") + 1)
    if not claimed:
        return f"version {version_id}: nothing to do"
    version = Version.objects.select_related("asset").get(pk=version_id)
    result = _run_job(version)
    version_preview_record(version=version, result=result)
    return (
        f"version {version_id}: {result.status}"
        + (f" ({result.error})" if result.errors else "")
        + f" in {result.seconds:.1f} s, {result.max_rss_kb // 1024} MB"
    )


def _run_job(version: Version) -> JobResult:
    """The file job on a private copy of the version's file (no transaction)."""
    file_type = version.file_type
    if file_type is None:  # a content type no longer accepted: the kind's icon
        return JobResult(status=PreviewStatus.ICON)
    with tempfile.TemporaryDirectory(prefix="wingman-preview-") as tmp:
        path = Path(tmp) / f"source.{file_type.extensions[0]}"
        with version.file.open("rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy, files.CHUNK_SIZE)
        return run_preview_job(
            path=path, file_type=file_type, limits=JobLimits.from_settings()
        )


def version_pages_render(*, version_id: int) -> str:
    """Page images of a version whose preview is done (`manage.py render_pages`).

    Versions made before page images existed get them, and a deck that had only
    its kind's icon gets its first slide as a thumbnail. The rest of the
    recorded preview (text, status) stays as it is.
    """
    version = Version.objects.select_related("asset").get(pk=version_id)
    if version.preview_pending or version.file_type is None:
        return f"version {version_id}: skipped ({version.preview_status})"
    result = _run_job(version)
    if result.too_complex:
        return f"version {version_id}: too complex ({result.error})"
    with files.cleanup_on_failure():
        new_thumbnail = bool(result.thumbnail and not version.thumbnail)
        if new_thumbnail:
            files.save_tracked(
                version.thumbnail, "thumbnail.png", ContentFile(result.thumbnail)
            )
        pages = version_pages_store(version=version, pages=result.pages)
        with transaction.atomic():
            Version.objects.select_for_update().filter(pk=version.pk).first()
            count = version_pages_replace(version=version, pages=pages)
            if new_thumbnail:
                Version.objects.filter(pk=version.pk).update(
                    thumbnail=version.thumbnail.name,
                    preview_status=PreviewStatus.READY,
                    preview_note="",
                    updated_at=timezone.now(),
                )
            transaction.on_commit(content_version_bump)
    return f"version {version_id}: {count} pages in {result.seconds:.1f} s"


def versions_for_pages(*, missing: bool = False):
    """Versions page images can be made for, oldest first: done previews of
    PDFs, decks and documents (`missing`: only those without pages yet)."""
    from content.file_types import DOCX, PDF, PPTX

    types = [PDF.content_type, PPTX.content_type, DOCX.content_type]
    versions = Version.objects.filter(content_type__in=types).exclude(
        preview_status=PreviewStatus.PENDING
    )
    if missing:  # a failed preview would fail again: upload again to retry
        versions = versions.filter(page_count=0).exclude(
            preview_status=PreviewStatus.FAILED
        )
    return versions.order_by("created_at", "pk")


def version_preview_record(*, version: Version, result: JobResult) -> Version:
    """Store the thumbnail and write the outcome; the asset's search text follows."""
    try:
        _record(version, result)
    except _AlreadyDone:
        version.refresh_from_db()
    return version


def _record(version: Version, result: JobResult) -> None:
    with files.cleanup_on_failure():
        pages = []
        if result.thumbnail and not result.too_complex:
            files.save_tracked(
                version.thumbnail, "thumbnail.png", ContentFile(result.thumbnail)
            )
        if not result.too_complex:
            pages = version_pages_store(version=version, pages=result.pages)
        with transaction.atomic():
            locked = Version.objects.select_for_update().get(pk=version.pk)
            if locked.preview_status != PreviewStatus.PENDING:
                # Another run got there first: keep its outcome, drop ours.
                raise _AlreadyDone
            _apply(version, result)
            version.full_clean()
            version.save(
                update_fields=[
                    "thumbnail",
                    "preview_status",
                    "preview_error",
                    "preview_note",
                    "extracted_text",
                    "preview_finished_at",
                    "updated_at",
                ]
            )
            version_pages_replace(version=version, pages=pages)
            asset = version.asset
            if asset.current_version_id == version.pk and version.extracted_text:
                _refresh_search_text(asset, version)
            # Tiles and cached lists show the new thumbnail and find the new text.
            transaction.on_commit(content_version_bump)


class _AlreadyDone(Exception):
    pass


def _apply(version: Version, result: JobResult) -> None:
    version.preview_finished_at = timezone.now()
    version.preview_error = result.error
    if result.too_complex:
        version.preview_status = PreviewStatus.FAILED
        version.preview_note = TOO_COMPLEX_NOTE
        version.extracted_text = ""
        return
    version.extracted_text = result.text
    version.preview_status = result.status
    version.preview_note = UNREADABLE_NOTE if result.status == "failed" else ""


def _refresh_search_text(asset: Asset, version: Version) -> None:
    from content.services.library import build_search_text
    from content.tasks import asset_embed, enqueue_on_commit

    asset.current_version = version
    asset.search_text = build_search_text(asset=asset)
    Asset.objects.filter(pk=asset.pk).update(search_text=asset.search_text)
    enqueue_on_commit(asset_embed, asset.pk)  # its vectors follow (docs/search.md)


def version_preview_give_up_or_retry(*, version_id: int) -> int | None:
    """After a failed try: the number of tries so far if another is due, else None.

    Past WINGMAN_JOB_MAX_ATTEMPTS the version stops waiting, with a note.
    """
    version = Version.objects.filter(
        pk=version_id, preview_status=PreviewStatus.PENDING
    ).first()
    if version is None:
        return None
    if version.preview_attempts < settings.WINGMAN_JOB_MAX_ATTEMPTS:
        return version.preview_attempts
    Version.objects.filter(pk=version_id, preview_status=PreviewStatus.PENDING).update(
        preview_status=PreviewStatus.FAILED,
        preview_note=GAVE_UP_NOTE,
        preview_error=f"gave up after {version.preview_attempts} tries",
        preview_finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return None


def versions_preview_make_pending(*, older_than=None) -> list[str]:
    """Make every pending preview here, one limited child at a time (the demo,
    `enqueue_previews --now`). Returns what happened to each."""
    ids = list(versions_pending(older_than=older_than).values_list("pk", flat=True))
    return [version_preview_make(version_id=version_id) for version_id in ids]


def versions_pending(*, older_than=None):
    """Pending versions, oldest first (for `enqueue_previews` and the demo)."""
    pending = Version.objects.filter(preview_status=PreviewStatus.PENDING)
    if older_than is not None:
        pending = pending.filter(created_at__lte=timezone.now() - older_than)
    return pending.order_by("created_at", "pk")
