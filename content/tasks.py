"""Background work, through the django-tasks API (Django 6's `django.tasks`).

Every task is small: it names the row to work on and calls a service, so the
same work runs from a worker, a management command or a test. Tasks are
enqueued with `enqueue_on_commit()`: never inside a write transaction, and
never for a write that rolled back. See docs/tasks.md for the workers.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# A retry waits this long times the number of tries so far.
RETRY_DELAY = datetime.timedelta(seconds=30)


def _on_queue(task_: Task, *, delay: datetime.timedelta | None = None) -> Task:
    """The task on this site's queue (a setting, read when it is enqueued)."""
    options: dict[str, Any] = {"queue_name": settings.WINGMAN_TASKS_QUEUE}
    if delay is not None and task_backends[task_.backend].supports_defer:
        options["run_after"] = timezone.now() + delay
    return task_.using(**options)


def enqueue(task_: Task, *args: Any, delay: datetime.timedelta | None = None):
    return _on_queue(task_, delay=delay).enqueue(*args)


def enqueue_on_commit(task_: Task, *args: Any) -> None:
    """Enqueue once the current transaction commits (at once outside one).

    Robust: a queue that is down is logged, never turned into an error for a
    write that has already committed. The row stays "pending", and
    `manage.py enqueue_previews` (run from cron) enqueues it again.
    """
    transaction.on_commit(partial(enqueue, task_, *args), robust=True)


# Previews --------------------------------------------------------------------------


@task()
def version_preview(version_id: int) -> str:
    """Thumbnail, text and search text of one version, made in a limited child."""
    from content.services import previews

    try:
        return previews.version_preview_make(version_id=version_id)
    except Exception:
        logger.exception("The preview of version %s failed", version_id)
        attempts = previews.version_preview_give_up_or_retry(version_id=version_id)
        if attempts is not None:
            enqueue(version_preview, version_id, delay=RETRY_DELAY * attempts)
        raise


# Search ----------------------------------------------------------------------------


@task()
def asset_embed(asset_id: int) -> str:
    """The vectors of one asset's text for meaning-based search (docs/search.md)."""
    from content.semantic import ann
    from content.semantic.embedding import asset_embed as embed
    from content.semantic.encoders import get_encoder

    chunks = embed(asset_id=asset_id)
    encoder = get_encoder()
    # The rows newer than the nearest-neighbour index are scanned exactly on
    # every search: past a share of it, build it again (once: a lock).
    if ann.rebuild_due(encoder) and ann.claim_build(encoder):
        enqueue_on_commit(search_index_build)
    return f"asset {asset_id}: {chunks} chunks"


@task()
def search_index_build() -> str:
    """The nearest-neighbour index of every search vector, rebuilt from the
    database (content.semantic.ann); workers map the new file at their next
    search."""
    from content.semantic import ann
    from content.semantic.embedding import vectors_version_bump
    from content.semantic.encoders import get_encoder

    encoder = get_encoder()
    try:
        manifest = ann.build_index(encoder)
    finally:
        ann.release_build(encoder)
    vectors_version_bump()
    if manifest is None:
        return "no vectors"
    return f"{manifest['count']} chunks in {manifest['seconds']} s"


# Digest and rollups ----------------------------------------------------------------


@task()
def send_digest(force: bool = False, base_url: str | None = None) -> str:
    """The weekly digest (the `send_digest` command), from a worker."""
    out = StringIO()
    options: dict[str, Any] = {"force": force}
    if base_url:
        options["base_url"] = base_url
    call_command("send_digest", stdout=out, **options)
    return out.getvalue().strip()


@task()
def send_monthly_summary(base_url: str | None = None) -> str:
    """The monthly summary for marketers (`send_monthly_summary`), from a worker."""
    out = StringIO()
    options: dict[str, Any] = {"base_url": base_url} if base_url else {}
    call_command("send_monthly_summary", stdout=out, **options)
    return out.getvalue().strip()


@task()
def send_share_alert(notification_id: int) -> str:
    """Email the rep that a prospect opened (or came back to) their link."""
    from content.services.engagement import share_alert_send

    return share_alert_send(notification_id=notification_id)


@task()
def purge_share_visits() -> str:
    from content.services.engagement import visits_purge

    return f"{visits_purge()} visits purged"


@task()
def rebuild_daily_stats(days: int | None = None) -> str:
    out = StringIO()
    call_command("rebuild_daily_stats", days=days, stdout=out)
    return out.getvalue().strip()


@task()
def refresh_rating_scores() -> str:
    out = StringIO()
    call_command("refresh_rating_scores", stdout=out)
    return out.getvalue().strip()


@task()
def rebuild_evidence() -> str:
    """The dashboard's evidence, worked out ahead (`AssetEvidence`)."""
    from content.services.evidence import evidence_rebuild

    return f"{evidence_rebuild()} evidence rows"
