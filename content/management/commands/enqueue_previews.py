"""Enqueue the preview task of every version still waiting for one.

Uploads enqueue their own preview; this catches what fell through (a queue that
was down when the upload committed, a worker killed in the middle of a job).
Safe to run from cron: a version is only ever worked on while it is pending.

    */15 * * * *  python manage.py enqueue_previews
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from content import tasks
from content.services.previews import (
    versions_pending,
    versions_preview_make_pending,
)


class Command(BaseCommand):
    help = (
        "Enqueue a preview task for each version whose preview is still pending "
        "(or, with --now, make them in this process, one limited child at a time)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="Only versions uploaded at least this long ago (default: 10; "
            "younger ones have a task on the queue already).",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="Make the previews here and now instead of enqueueing them.",
        )

    def handle(self, *args: Any, older_than: int, now: bool, **options: Any) -> None:
        if older_than < 0:
            self.stderr.write("--older-than must be 0 or more minutes.")
            return
        age = datetime.timedelta(minutes=older_than)
        if now:
            done = versions_preview_make_pending(older_than=age)
            for line in done:
                self.stdout.write(f"  {line}")
            count, verb = len(done), "Made"
        else:
            ids = list(versions_pending(older_than=age).values_list("pk", flat=True))
            for version_id in ids:
                tasks.enqueue(tasks.version_preview, version_id)
            count, verb = len(ids), "Enqueued"
        plural = "s" if count != 1 else ""
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} preview{plural}."))
