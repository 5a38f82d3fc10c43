"""The rollups behind the analytics: kept by the services, rebuilt by a command."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import (
    AssetEvent,
    AssetLastActivity,
    DailyAssetStat,
    EventKind,
    Usage,
)
from content.services.events import (
    daily_stat_increment,
    daily_stats_add,
    daily_stats_rebuild,
    event_record,
    last_activity_rebuild,
)
from tests.factories import AssetFactory, DealFactory, UsageFactory, UserFactory

pytestmark = pytest.mark.django_db


def today_row(asset):
    return DailyAssetStat.objects.get(asset=asset, day=timezone.localdate())


def test_event_record_counts_views_downloads_and_unique_viewers_per_day(db):
    asset = AssetFactory()
    riley, sam = UserFactory(username="riley"), UserFactory(username="sam")
    event_record(asset=asset, kind=EventKind.VIEW, user=riley)
    event_record(asset=asset, kind=EventKind.VIEW, user=riley)
    event_record(asset=asset, kind=EventKind.DOWNLOAD, user=riley)
    event_record(asset=asset, kind=EventKind.VIEW, user=sam)
    event_record(asset=asset, kind=EventKind.PROSPECT_VIEW, visitor_hash="abc")
    event_record(asset=asset, kind=EventKind.PROSPECT_DOWNLOAD, visitor_hash="abc")
    event_record(asset=asset, kind=EventKind.PROSPECT_VIEW, visitor_hash="def")
    row = today_row(asset)
    assert (row.views, row.downloads, row.prospect_views) == (3, 2, 2)
    assert row.unique_viewers == 4  # riley, sam and two prospects
    asset.refresh_from_db()
    assert (asset.view_count, asset.download_count) == (5, 2)
    assert AssetEvent.objects.filter(asset=asset).count() == 7


def test_a_view_yesterday_does_not_make_today_a_repeat(db):
    asset = AssetFactory()
    riley = UserFactory(username="riley")
    event = event_record(asset=asset, kind=EventKind.VIEW, user=riley)
    AssetEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    DailyAssetStat.objects.all().delete()
    event_record(asset=asset, kind=EventKind.VIEW, user=riley)
    assert today_row(asset).unique_viewers == 1


def test_the_first_activity_of_a_day_moves_the_last_active_day(db):
    asset = AssetFactory()
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    daily_stats_add(asset_id=asset.pk, counts={"views": 1}, day=long_ago)
    assert AssetLastActivity.objects.get(asset=asset).day == long_ago
    daily_stat_increment(asset_id=asset.pk, field="usages")
    assert AssetLastActivity.objects.get(asset=asset).day == timezone.localdate()
    # A late, older figure never moves it back.
    daily_stats_add(asset_id=asset.pk, counts={"views": 1}, day=long_ago)
    assert AssetLastActivity.objects.get(asset=asset).day == timezone.localdate()


def test_daily_stat_increment_adds_to_todays_row(db):
    asset = AssetFactory()
    daily_stat_increment(asset_id=asset.pk, field="usages")
    daily_stat_increment(asset_id=asset.pk, field="usages", amount=2)
    assert today_row(asset).usages == 3
    assert DailyAssetStat.objects.filter(asset=asset).count() == 1


def _snapshot():
    rows = DailyAssetStat.objects.order_by("asset_id", "day").values_list(
        "asset_id",
        "day",
        "views",
        "downloads",
        "prospect_views",
        "usages",
        "unique_viewers",
    )
    last = AssetLastActivity.objects.order_by("asset_id").values_list("asset_id", "day")
    return list(rows), list(last)


def test_rebuild_recomputes_exactly_what_the_services_kept(db):
    deck, card = AssetFactory(), AssetFactory()
    riley, sam = UserFactory(username="riley"), UserFactory(username="sam")
    for user in (riley, riley, sam):
        event_record(asset=deck, kind=EventKind.VIEW, user=user)
    event_record(asset=card, kind=EventKind.DOWNLOAD, user=sam)
    event_record(asset=card, kind=EventKind.PROSPECT_VIEW, visitor_hash="x")
    deal = DealFactory(owner=riley)
    UsageFactory(asset=deck, deal=deal, user=riley)
    daily_stat_increment(asset_id=deck.pk, field="usages")
    kept = _snapshot()
    DailyAssetStat.objects.all().delete()
    AssetLastActivity.objects.all().delete()
    written = daily_stats_rebuild()
    assert written == 2
    assert _snapshot() == kept


def test_rebuild_puts_backdated_events_and_usages_on_their_days(db):
    asset = AssetFactory()
    riley = UserFactory(username="riley")
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    event = AssetEvent.objects.create(asset=asset, kind=EventKind.VIEW, user=riley)
    AssetEvent.objects.filter(pk=event.pk).update(created_at=ten_days_ago)
    usage = UsageFactory(asset=asset, user=riley, deal=DealFactory(owner=riley))
    Usage.objects.filter(pk=usage.pk).update(created_at=ten_days_ago)
    out = StringIO()
    call_command("rebuild_daily_stats", stdout=out)
    assert "Rebuilt 1 daily asset rows" in out.getvalue()
    row = DailyAssetStat.objects.get(asset=asset)
    assert row.day == timezone.localtime(ten_days_ago).date()
    assert (row.views, row.usages, row.unique_viewers) == (1, 1, 1)
    assert AssetLastActivity.objects.get(asset=asset).day == row.day


def test_rebuild_of_recent_days_keeps_older_rows(db):
    asset = AssetFactory()
    old_day = timezone.localdate() - datetime.timedelta(days=40)
    DailyAssetStat.objects.create(asset=asset, day=old_day, views=7)
    event_record(asset=asset, kind=EventKind.VIEW, user=UserFactory())
    out = StringIO()
    call_command("rebuild_daily_stats", "--days", "7", stdout=out)
    assert DailyAssetStat.objects.get(asset=asset, day=old_day).views == 7
    assert today_row(asset).views == 1
    assert "since" in out.getvalue()


def test_rebuild_refuses_a_silly_number_of_days(db):
    err = StringIO()
    call_command("rebuild_daily_stats", "--days", "0", stderr=err)
    assert "at least 1" in err.getvalue()


def test_last_activity_rebuild_takes_the_latest_day(db):
    asset = AssetFactory()
    day = timezone.localdate() - datetime.timedelta(days=3)
    DailyAssetStat.objects.create(asset=asset, day=day - datetime.timedelta(days=9))
    DailyAssetStat.objects.create(asset=asset, day=day)
    assert last_activity_rebuild() == 1
    assert AssetLastActivity.objects.get(asset=asset).day == day
