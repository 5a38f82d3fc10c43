"""Make the page images of versions that have their preview already.

Uploads get their pages from the preview task; this backfills versions made
before page images existed, or all of them again after a change of
WINGMAN_PAGES_MAX or WINGMAN_PAGES_WIDTH (each version's old pages are replaced,
other versions' kept). Each file runs in the same limited child process as the
preview task, one at a time, in this process:

    python manage.py render_pages --missing
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from content.services.previews import version_pages_render, versions_for_pages

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Render the page images of PDFs, decks and documents, with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only versions without page images yet.",
        )
        parser.add_argument(
            "--asset", type=int, metavar="ID", help="Only this asset's versions."
        )

    def handle(self, *args: Any, missing: bool, asset: int | None, **options) -> None:
        versions = versions_for_pages(missing=missing)
        if asset is not None:
            versions = versions.filter(asset_id=asset)
        ids = list(versions.values_list("pk", flat=True))
        total = len(ids)
        started = time.monotonic()
        interactive = sys.stdout.isatty()
        for done, version_id in enumerate(ids, start=1):
            line = version_pages_render(version_id=version_id)
            if options["verbosity"] > 1:
                self.stdout.write(f"  {line}")
            if interactive or done == total or done % 50 == 0:
                filled = BAR_WIDTH * done // max(total, 1)
                bar = "#" * filled + "-" * (BAR_WIDTH - filled)
                self.stdout.write(
                    f"\r[{bar}] {done}/{total} ({time.monotonic() - started:.0f} s)",
                    ending="" if interactive and done < total else "\n",
                )
                self.stdout.flush()
        plural = "s" if total != 1 else ""
        self.stdout.write(
            self.style.SUCCESS(f"Rendered pages of {total} version{plural}.")
        )
