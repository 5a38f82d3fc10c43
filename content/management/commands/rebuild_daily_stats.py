"""Recompute the analytics' daily figures from the raw events and usages."""

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from content import tasks
from content.services.events import daily_stats_rebuild
from content.services.evidence import evidence_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild DailyAssetStat (views, downloads, prospect views, usages, unique "
        "viewers per asset per day) from AssetEvent and Usage. Safe to run at any "
        "time; use --days after a bulk import to redo only the recent past. Then "
        "works out the dashboard's evidence for each preset period (AssetEvidence)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Only rebuild the last N days (default: everything).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put this on the task queue for a worker instead of running it here.",
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        since = None
        if days is not None:
            if days < 1:
                self.stderr.write("--days must be at least 1.")
                return
        if options.get("enqueue"):
            result = tasks.enqueue(tasks.rebuild_daily_stats, days)
            self.stdout.write(
                self.style.SUCCESS(f"Enqueued the rebuild ({result.id}).")
            )
            return
        if days is not None:
            since = timezone.localdate() - datetime.timedelta(days=days - 1)
        written = daily_stats_rebuild(since=since)
        scope = f"since {since.isoformat()}" if since else "for all days"
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt {written} daily asset rows {scope}.")
        )
        # The evidence reads deals and uses, not the daily rows: the same
        # nightly job keeps it from lagging more than a day.
        rows = evidence_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Worked out {rows} evidence rows."))
