"""Re-base every asset's stored rating score on the current library mean.

Each rating keeps its own asset's score current; the prior (the library mean)
moves slowly, so run this nightly, e.g. from cron:

    15 3 * * *  python manage.py refresh_rating_scores
"""

from django.core.management.base import BaseCommand

from content.services.feedback import rating_scores_refresh


class Command(BaseCommand):
    help = "Recompute Asset.rating_score (Bayesian average) for every asset."

    def handle(self, *args, **options) -> None:
        mean, updated = rating_scores_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"refresh_rating_scores: {updated:,} assets scored "
                f"(library mean {mean:.3f})"
            )
        )
