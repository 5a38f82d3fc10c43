from django.core.management.base import BaseCommand
from django.db import transaction

from content import demo


class Command(BaseCommand):
    help = (
        "Load idempotent demo data (users with the password 'wingman', stages, "
        "content, deals). For the demo only: never run this on a real deployment."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            demo.seed(lambda line: self.stdout.write(f"  + {line}"))
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
