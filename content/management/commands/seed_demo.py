from django.core.management.base import BaseCommand
from django.db import transaction

from content import demo
from content.services.previews import version_preview_make, versions_pending


class Command(BaseCommand):
    help = (
        "Load idempotent demo data (users with the password 'wingman', stages, "
        "content, deals). For the demo only: never run this on a real deployment."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            demo.seed(lambda line: self.stdout.write(f"  + {line}"))
        # The demo opens with its previews made, by the same limited job as the
        # worker's (after the commit, outside any transaction). Their queued
        # tasks then find nothing left to do.
        pending = list(versions_pending().values_list("pk", flat=True))
        if pending:
            self.stdout.write(f"  Making {len(pending)} previews…")
        for version_id in pending:
            version_preview_make(version_id=version_id)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
