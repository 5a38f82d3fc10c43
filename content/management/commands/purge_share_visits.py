"""Forget prospect visits older than WINGMAN_SHARE_VISIT_RETENTION_DAYS.

Visits and their page times are measurements about people outside the company:
they are kept for the retention period only. Run it daily, e.g. from cron:

    30 3 * * *  python manage.py purge_share_visits
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from content import tasks
from content.services.engagement import visits_purge


class Command(BaseCommand):
    help = "Delete share-link visits last seen before the retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put this on the task queue for a worker instead of running it here.",
        )

    def handle(self, *args, **options) -> None:
        if options.get("enqueue"):
            result = tasks.enqueue(tasks.purge_share_visits)
            self.stdout.write(self.style.SUCCESS(f"Enqueued the purge ({result.id})."))
            return
        purged = visits_purge()
        self.stdout.write(
            self.style.SUCCESS(
                f"purge_share_visits: {purged:,} visits older than "
                f"{settings.WINGMAN_SHARE_VISIT_RETENTION_DAYS} days purged"
            )
        )
