"""Re-base every asset's stored rating score on the current library mean.

Each rating keeps its own asset's score current; the prior (the library mean)
moves slowly, so run this nightly, e.g. from cron:

    15 3 * * *  python manage.py refresh_rating_scores
"""

from django.core.management.base import BaseCommand

from content import tasks
from content.services.feedback import rating_scores_refresh


class Command(BaseCommand):
    help = "Recompute Asset.rating_score (Bayesian average) for every asset."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put this on the task queue for a worker instead of running it here.",
        )

    def handle(self, *args, **options) -> None:
        if options.get("enqueue"):
            result = tasks.enqueue(tasks.refresh_rating_scores)
            self.stdout.write(
                self.style.SUCCESS(f"Enqueued the rating refresh ({result.id}).")
            )
            return
        mean, updated = rating_scores_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"refresh_rating_scores: {updated:,} assets scored "
                f"(library mean {mean:.3f})"
            )
        )
