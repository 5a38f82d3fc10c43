"""Embed the whole library again for meaning-based search (docs/search.md).

After switching WINGMAN_SEARCH_ENCODER, after a restore, or to backfill a
library that predates semantic search. `--missing` embeds only the assets that
have no vectors of the encoder in use; `--index-only` embeds nothing and
rebuilds the nearest-neighbour index file from the rows (content.semantic.ann;
built past WINGMAN_SEARCH_INDEX_MIN_CHUNKS chunks). The full-text index needs
no rebuild: the database keeps it.
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from content.models import Asset, SearchChunk
from content.semantic import ann
from content.semantic.embedding import (
    assets_embed,
    assets_missing_vectors,
    vectors_version_bump,
)
from content.semantic.encoders import get_encoder

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Compute the search vectors of every asset again, with a progress bar."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only assets without vectors of the encoder in use.",
        )
        parser.add_argument(
            "--index-only",
            action="store_true",
            help="Embed nothing: rebuild the nearest-neighbour index from the rows.",
        )

    def handle(self, *args, **options) -> None:
        encoder = get_encoder()
        if options["index_only"]:
            self.build_index(encoder)
            return
        if options["missing"]:
            ids = assets_missing_vectors()
        else:
            ids = list(Asset.objects.order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        self.stdout.write(f"Embedding {total} assets with {encoder.name}")
        done = 0
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(step: int) -> None:
            nonlocal done
            done += step
            if interactive or done == total or done % 500 == 0:
                filled = BAR_WIDTH * done // max(total, 1)
                bar = "#" * filled + "-" * (BAR_WIDTH - filled)
                self.stdout.write(
                    f"\r[{bar}] {done}/{total} ({time.monotonic() - started:.0f} s)",
                    ending="" if interactive and done < total else "\n",
                )
                self.stdout.flush()

        chunks = assets_embed(ids, progress=progress)
        # Vectors of another encoder are never read again: drop them.
        stale, _ = SearchChunk.objects.exclude(encoder=encoder.name).delete()
        vectors_version_bump()
        self.stdout.write(
            self.style.SUCCESS(
                f"{chunks} chunks for {total} assets"
                + (f"; {stale} of another encoder removed" if stale else "")
            )
        )
        self.build_index(encoder)

    def build_index(self, encoder) -> None:
        """Every chunk has a new id now: the old build indexes none of them."""
        count = SearchChunk.objects.filter(encoder=encoder.name).count()
        if count < settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS:
            ann.remove_index(encoder)
            self.stdout.write(f"{count} chunks: exact search, no index file")
        else:
            manifest = ann.build_index(encoder)
            self.stdout.write(
                f"Index of {manifest['count']} chunks built in "
                f"{manifest['seconds']} s: {ann.manifest_path(encoder).parent}"
            )
        vectors_version_bump()
