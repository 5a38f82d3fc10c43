"""Fill a database with a large, realistic library, fast: the benchmark's data.

    python manage.py seed_scale --assets 100000 --deals 200000 \\
        --usages 1000000 --ratings 500000 --views 5000000

The services write one row at a time; this writes millions, so it plans in memory
and bulk-loads each table (content/scale/): SQLite gets big executemany batches in
one transaction with load-only PRAGMAs, PostgreSQL gets COPY. The data is what the
services would have written (counters, daily rollups, versions; see
content/scale/library.py). Loads add to what is there, so it can run twice.
"""

import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from accounts.models import User
from content.caching.keys import content_version_bump
from content.demo import base as demo_base
from content.models import (
    Asset,
    AssetActivity,
    AssetEvent,
    DailyAssetStat,
    Deal,
    Rating,
    SearchChunk,
    Usage,
    Version,
)
from content.scale.bulk import BulkWriter
from content.scale.library import SHARED_FILE, SMALL_PDF, ScaleLibrary
from content.services.evidence import evidence_rebuild

FULL = {
    "assets": 100_000,
    "deals": 200_000,
    "usages": 1_000_000,
    "ratings": 500_000,
    "views": 5_000_000,
}


class Command(BaseCommand):
    help = (
        "Bulk-load a large, realistic library for the benchmark (executemany on "
        "SQLite, COPY on PostgreSQL). Never run this on a real deployment."
    )

    def add_arguments(self, parser) -> None:
        for name, value in FULL.items():
            parser.add_argument(
                f"--{name}", type=int, default=None, help=f"default {value:,}"
            )
        parser.add_argument(
            "--downloads", type=int, default=None, help="default: views / 8"
        )
        parser.add_argument(
            "--users", type=int, default=None, help="default: assets / 200, 12..500"
        )
        parser.add_argument(
            "--scale-small",
            action="store_true",
            help="defaults at 1/100 (1,000 assets): the benchmark's baseline",
        )
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--batch-size", type=int, default=20_000)

    def handle(self, *args, **options) -> None:
        divisor = 100 if options["scale_small"] else 1
        n = {
            name: value // divisor if options[name] is None else options[name]
            for name, value in FULL.items()
        }
        n["downloads"] = options["downloads"]
        if n["downloads"] is None:
            n["downloads"] = n["views"] // 8
        n["users"] = options["users"] or max(12, min(500, n["assets"] // 200))
        if min(n.values()) < 0:
            raise CommandError("Counts cannot be negative.")
        self.stdout.write(
            "seed_scale on "
            + connection.vendor
            + ": "
            + ", ".join(f"{value:,} {name}" for name, value in n.items())
        )
        started = time.monotonic()
        demo_base.seed(lambda line: None)  # the demo users and the six stages
        if not default_storage.exists(SHARED_FILE):
            # Every seeded version shares one small stored file; downloads work.
            default_storage.save(SHARED_FILE, ContentFile(SMALL_PDF))
        # Progress goes to the raw stream: OutputWrapper would end every write.
        writer = BulkWriter(self.stderr._out, options["batch_size"])
        checks_were_on = connection.disable_constraint_checking()
        try:
            self._load_pragmas()
            with transaction.atomic():
                self._fast_session()
                ScaleLibrary(writer=writer, seed=options["seed"]).load(**n)
                self._reset_sequences()
        finally:
            if checks_were_on:
                connection.enable_constraint_checking()
        self._analyze()
        content_version_bump()  # cached stage counts and menus are stale now
        # What the nightly rollup job would have left: the dashboard's evidence.
        rows = evidence_rebuild()
        self.stdout.write(f"seed_scale: {rows:,} evidence rows worked out")
        self._search_index()
        elapsed = time.monotonic() - started
        total = sum(writer.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_scale: {total:,} rows in {elapsed:,.1f} s "
                f"({total / max(elapsed, 1e-6):,.0f} rows/s)"
            )
        )

    def _search_index(self) -> None:
        """The nearest-neighbour index of the seeded vectors, as the task
        worker builds it (content.semantic.ann), once the library is large."""
        from django.conf import settings

        from content.semantic import ann
        from content.semantic.embedding import vectors_version_bump
        from content.semantic.encoders import get_encoder

        encoder = get_encoder()
        count = SearchChunk.objects.filter(encoder=encoder.name).count()
        if count >= settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS:
            manifest = ann.build_index(encoder)
            self.stdout.write(
                f"search index: {manifest['count']:,} chunks in {manifest['seconds']} s"
            )
        vectors_version_bump()

    def _load_pragmas(self) -> None:
        # SQLite refuses to change these inside a transaction (a test): skip there.
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            # For this connection and this load only: a crash loses the load.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB of page cache
            cursor.execute("PRAGMA temp_store=MEMORY")

    def _fast_session(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            try:
                with transaction.atomic():
                    # No per-row foreign key triggers during COPY (superuser only):
                    # every id written is allocated by this command.
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except Exception:  # noqa: BLE001 - not a superuser: checked at commit
                self.stdout.write("  (foreign keys checked at commit: not superuser)")

    def _reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return
        seeded = [
            User, Asset, Version, Deal, Usage, Rating, AssetEvent, DailyAssetStat,
            AssetActivity, Tag, TaggedItem, Asset.stages.through, SearchChunk,
        ]  # fmt: skip
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), seeded):
                cursor.execute(sql)

    def _analyze(self) -> None:
        """Fresh planner statistics, as a database in use would have."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not connection.in_atomic_block:
                    cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA analysis_limit=1000")
                cursor.execute("ANALYZE")
            elif connection.vendor == "postgresql":
                # VACUUM cannot run inside a transaction (a test); ANALYZE can.
                in_transaction = connection.in_atomic_block
                cursor.execute("ANALYZE" if in_transaction else "VACUUM ANALYZE")
