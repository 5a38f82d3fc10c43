from django.core.management.base import BaseCommand
from django.db import transaction

from content import demo
from content.models import Asset
from content.semantic.embedding import assets_embed
from content.services.previews import (
    version_pages_render,
    versions_for_pages,
    versions_preview_make_pending,
)


class Command(BaseCommand):
    help = (
        "Load idempotent demo data (users with the password 'wingman', stages, "
        "content, deals). For the demo only: never run this on a real deployment."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            demo.seed(lambda line: self.stdout.write(f"  + {line}"))
        # The demo opens with its previews made (slide images too, where
        # LibreOffice is installed), by the same limited job as the worker's,
        # after the commit. Their queued tasks then find nothing left to do.
        made = versions_preview_make_pending()
        if made:
            self.stdout.write(f"  + {len(made)} previews")
        # A demo seeded before page images existed gets them (render_pages).
        missing = list(versions_for_pages(missing=True).values_list("pk", flat=True))
        for version_id in missing:
            version_pages_render(version_id=version_id)
        if missing:
            self.stdout.write(f"  + page images of {len(missing)} earlier versions")
        # Prospects' visits are timed page by page: after the page images.
        with transaction.atomic():
            demo.sharing.seed_visits(lambda line: self.stdout.write(f"  + {line}"))
        # And the vectors of meaning-based search (their queued tasks redo it).
        ids = Asset.objects.order_by("pk").values_list("pk", flat=True)
        embedded = assets_embed(list(ids))
        self.stdout.write(f"  + {embedded} search chunks")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
