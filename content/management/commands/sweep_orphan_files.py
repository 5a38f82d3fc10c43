"""Find (and with --delete remove) stored files that no version points at.

Uploads clean up after themselves when they fail; this catches what a crash or a
transaction rolled back outside the upload service could still leave behind.
"""

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from content.models import Version, VersionPage

FOLDERS = ("assets", "thumbnails", "pages")


class Command(BaseCommand):
    help = "List stored files no version (or page) points at; --delete removes them."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="Delete the orphans found."
        )
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=24,
            help="Only files at least this old, so uploads in progress are safe.",
        )

    def handle(self, *args, delete: bool, older_than_hours: int, **options) -> None:
        cutoff = timezone.now() - datetime.timedelta(hours=older_than_hours)
        known = set(Version.objects.values_list("file", flat=True)) | set(
            Version.objects.exclude(thumbnail="").values_list("thumbnail", flat=True)
        )
        known |= set(VersionPage.objects.values_list("image", flat=True))
        found = 0
        for folder in FOLDERS:
            try:
                _, names = default_storage.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                path = f"{folder}/{name}"
                if path in known:
                    continue
                if default_storage.get_modified_time(path) > cutoff:
                    continue
                found += 1
                if delete:
                    default_storage.delete(path)
                    self.stdout.write(f"deleted {path}")
                else:
                    self.stdout.write(f"orphan {path}")
        verb = "Deleted" if delete else "Found"
        self.stdout.write(self.style.SUCCESS(f"{verb} {found} orphan file(s)."))
