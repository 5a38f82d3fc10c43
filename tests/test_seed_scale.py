"""seed_scale writes what the services would have: counts, counters and rollups."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate

from content.models import (
    Asset,
    AssetEvent,
    AssetLastActivity,
    AssetStatus,
    Audience,
    DailyAssetStat,
    Deal,
    DealOutcome,
    EventKind,
    Rating,
    Usage,
    Version,
)
from content.services.library import build_search_text

pytestmark = pytest.mark.django_db

SMALL = [
    "--assets", "50", "--deals", "40", "--usages", "300", "--ratings", "120",
    "--views", "2000", "--downloads", "250", "--users", "12",
]  # fmt: skip


def _seed(*extra: str) -> str:
    err = StringIO()
    call_command("seed_scale", *SMALL, *extra, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_seed_scale_writes_the_numbers_asked_for_with_a_progress_line():
    progress = _seed()
    assert Asset.objects.count() == 50
    assert Deal.objects.count() == 40
    assert Usage.objects.count() == 300
    assert Rating.objects.count() == 120
    assert AssetEvent.objects.count() == 2250
    assert "100.0%" in progress and "rows/s" in progress
    assert Version.objects.values("file").distinct().count() == 1  # one shared file


def test_asset_counters_equal_the_rows_behind_them():
    _seed()
    assets = Asset.objects.annotate(
        n_ratings=Count("ratings", distinct=True),
        stars=Sum("ratings__stars"),
    )
    for asset in assets:
        assert asset.rating_count == asset.n_ratings
        assert asset.rating_total == (asset.stars or 0)
    for asset in Asset.objects.all():
        usages = Usage.objects.filter(asset=asset)
        assert asset.usage_count == usages.count()
        assert asset.deal_count == usages.values("deal").distinct().count()
        events = AssetEvent.objects.filter(asset=asset)
        views = events.filter(kind__in=[EventKind.VIEW, EventKind.PROSPECT_VIEW])
        downloads = events.filter(
            kind__in=[EventKind.DOWNLOAD, EventKind.PROSPECT_DOWNLOAD]
        )
        assert asset.view_count == views.count()
        assert asset.download_count == downloads.count()


def test_daily_rollups_equal_the_events_and_usages_of_each_day():
    _seed()
    expected: dict[tuple, dict[str, int]] = {}
    events = (
        AssetEvent.objects.annotate(day=TruncDate("created_at"))
        .values("asset_id", "day")
        .annotate(
            views=Count("pk", filter=Q(kind=EventKind.VIEW)),
            downloads=Count("pk", filter=Q(kind=EventKind.DOWNLOAD)),
            prospect_views=Count("pk", filter=Q(kind=EventKind.PROSPECT_VIEW)),
            people=Count("user", distinct=True),
            visitors=Count("visitor_hash", distinct=True, filter=Q(user=None)),
        )
    )
    for row in events:
        expected[row["asset_id"], row["day"]] = {
            "views": row["views"],
            "downloads": row["downloads"],
            "prospect_views": row["prospect_views"],
            "unique_viewers": row["people"] + row["visitors"],
            "usages": 0,
        }
    usages = (
        Usage.objects.annotate(day=TruncDate("created_at"))
        .values("asset_id", "day")
        .annotate(n=Count("pk"))
    )
    for row in usages:
        expected.setdefault(
            (row["asset_id"], row["day"]),
            dict.fromkeys(
                ("views", "downloads", "prospect_views", "unique_viewers"), 0
            ),
        )["usages"] = row["n"]
    actual = {
        (s.asset_id, s.day): {
            "views": s.views,
            "downloads": s.downloads,
            "prospect_views": s.prospect_views,
            "unique_viewers": s.unique_viewers,
            "usages": s.usages,
        }
        for s in DailyAssetStat.objects.all()
    }
    assert actual == expected
    last_days = {}
    for asset_id, day in expected:
        last_days[asset_id] = max(day, last_days.get(asset_id, day))
    assert dict(AssetLastActivity.objects.values_list("asset_id", "day")) == last_days


def test_versions_deals_and_visibility_are_consistent():
    _seed()
    for asset in Asset.objects.select_related("current_version").prefetch_related(
        "tags"
    ):
        newest = asset.versions.order_by("-number").first()
        assert asset.current_version == newest
        assert asset.search_text == build_search_text(asset=asset)
        assert asset.stages.exists()
    # Usage and ratings only where people could see the asset.
    assert not Usage.objects.filter(asset__status=AssetStatus.DRAFT).exists()
    assert not Usage.objects.filter(
        user__role="partner", asset__audience=Audience.INTERNAL
    ).exists()
    assert not Usage.objects.exclude(version__asset=F("asset")).exists()
    assert not Usage.objects.exclude(user=F("deal__owner")).exists()
    closed = Deal.objects.exclude(outcome=DealOutcome.OPEN)
    assert closed.exists()
    assert not closed.filter(closed_at=None).exists()
    assert not Deal.objects.filter(
        outcome=DealOutcome.OPEN, closed_at__isnull=False
    ).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_key_check").fetchall() == []


def test_seed_scale_adds_to_what_is_there():
    _seed()
    call_command(
        "seed_scale",
        "--assets", "10", "--deals", "5", "--usages", "20", "--ratings", "5",
        "--views", "30", "--downloads", "0", "--users", "12",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    assert Asset.objects.count() == 60
    assert Usage.objects.count() == 320
    assert Deal.objects.count() == 45


def test_seeded_search_chunks_are_what_the_embed_task_writes(settings):
    from content.models import SearchChunk
    from content.semantic import ann
    from content.semantic.embedding import asset_embed
    from content.semantic.encoders import get_encoder

    settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS = 1
    _seed()
    assert SearchChunk.objects.values("asset").distinct().count() == 50
    for asset in Asset.objects.order_by("pk")[:12]:
        seeded = list(
            SearchChunk.objects.filter(asset=asset)
            .order_by("ordinal")
            .values_list("ordinal", "text", "vector", "encoder")
        )
        asset_embed(asset_id=asset.pk)
        embedded = list(
            SearchChunk.objects.filter(asset=asset)
            .order_by("ordinal")
            .values_list("ordinal", "text", "vector", "encoder")
        )
        assert [(o, t, bytes(v), e) for o, t, v, e in seeded] == [
            (o, t, bytes(v), e) for o, t, v, e in embedded
        ]
    # Past the threshold, seed_scale builds the nearest-neighbour index too.
    assert ann.read_manifest(get_encoder())["count"] >= 50 * 3
