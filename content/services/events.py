"""Recording views and downloads: cheap, a few indexed statements per event.

Every event also moves today's `DailyAssetStat` row and the asset's all-time
counter, so the analytics never aggregate the raw event table on a page load.
`manage.py rebuild_daily_stats` recomputes the daily rows from the raw events
and usages if they ever drift (for example after a bulk import).
"""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from content.models import (
    Asset,
    AssetEvent,
    AssetLastActivity,
    DailyAssetStat,
    EventKind,
)

# Which daily counter and which Asset counter each kind of event moves.
_DAILY_FIELD = {
    EventKind.VIEW: "views",
    EventKind.DOWNLOAD: "downloads",
    EventKind.PROSPECT_VIEW: "prospect_views",
    EventKind.PROSPECT_DOWNLOAD: "downloads",
}
_ASSET_FIELD = {
    EventKind.VIEW: "view_count",
    EventKind.DOWNLOAD: "download_count",
    EventKind.PROSPECT_VIEW: "view_count",
    EventKind.PROSPECT_DOWNLOAD: "download_count",
}


def _start_of_today() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


@transaction.atomic
def event_record(
    *,
    asset: Asset,
    kind: str,
    user=None,
    version=None,
    visitor_hash: str = "",
    user_agent: str = "",
) -> AssetEvent:
    user = user if user is not None and user.is_authenticated else None
    visitor_hash = visitor_hash[:64]
    counts = {_DAILY_FIELD[kind]: 1}
    if user is not None or visitor_hash:
        # First time today this person opens this asset: one more unique viewer.
        # Two simultaneous first views may both count; the rebuild command is exact.
        earlier = AssetEvent.objects.filter(
            asset=asset, created_at__gte=_start_of_today()
        )
        if user is not None:
            earlier = earlier.filter(user=user)
        else:
            earlier = earlier.filter(user__isnull=True, visitor_hash=visitor_hash)
        if not earlier.exists():
            counts["unique_viewers"] = 1
    event = AssetEvent.objects.create(
        asset=asset,
        kind=kind,
        user=user,
        version=version,
        visitor_hash=visitor_hash,
        user_agent=user_agent[:300],
    )
    daily_stats_add(asset_id=asset.pk, counts=counts)
    Asset.objects.filter(pk=asset.pk).update(
        **{_ASSET_FIELD[kind]: F(_ASSET_FIELD[kind]) + 1}
    )
    return event


def daily_stat_increment(*, asset_id: int, field: str, amount: int = 1) -> None:
    """Add to today's counter for an asset, creating the row on first use."""
    daily_stats_add(asset_id=asset_id, counts={field: amount})


def daily_stats_add(
    *, asset_id: int, counts: Mapping[str, int], day: datetime.date | None = None
) -> None:
    """Add several counters at once to an asset's row for `day` (default today)."""
    day = day or timezone.localdate()
    increments = {field: F(field) + amount for field, amount in counts.items()}
    if DailyAssetStat.objects.filter(asset_id=asset_id, day=day).update(**increments):
        return
    try:
        # A savepoint, so losing the race to create the row keeps the caller's
        # transaction usable; the winner's row then takes the increment.
        with transaction.atomic():
            DailyAssetStat.objects.create(asset_id=asset_id, day=day, **counts)
    except IntegrityError:
        DailyAssetStat.objects.filter(asset_id=asset_id, day=day).update(**increments)
        return
    # The first activity of the day for this asset: move its last active day on.
    _last_activity_touch(asset_id=asset_id, day=day)


def _last_activity_touch(*, asset_id: int, day: datetime.date) -> None:
    if AssetLastActivity.objects.filter(asset_id=asset_id, day__lt=day).update(day=day):
        return
    try:
        with transaction.atomic():
            AssetLastActivity.objects.get_or_create(
                asset_id=asset_id, defaults={"day": day}
            )
    except IntegrityError:
        AssetLastActivity.objects.filter(asset_id=asset_id, day__lt=day).update(day=day)


@transaction.atomic
def daily_stats_rebuild(*, since: datetime.date | None = None) -> int:
    """Recompute the daily rows from raw events and usages; returns rows written.

    With `since`, only days from that date on are rebuilt (the recent past after
    an import); without, everything. One INSERT ... SELECT in the database, so
    millions of events never pass through Python.
    """
    from django.db import connection
    from django.db.models import Count, IntegerField, Q, Value
    from django.db.models.functions import TruncDate

    from content.models import Usage

    events = AssetEvent.objects.all()
    usages = Usage.objects.all()
    stale = DailyAssetStat.objects.all()
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        events = events.filter(created_at__gte=start)
        usages = usages.filter(created_at__gte=start)
        stale = stale.filter(day__gte=since)
    zero = Value(0, output_field=IntegerField())
    event_rows = (
        events.order_by()
        .annotate(stat_day=TruncDate("created_at"))
        .values("asset_id", "stat_day")
        .annotate(
            n_views=Count("pk", filter=Q(kind=EventKind.VIEW)),
            n_downloads=Count(
                "pk",
                filter=Q(kind__in=[EventKind.DOWNLOAD, EventKind.PROSPECT_DOWNLOAD]),
            ),
            n_prospect_views=Count("pk", filter=Q(kind=EventKind.PROSPECT_VIEW)),
            n_usages=zero,
            # Signed-in people by account, prospects by their visitor hash.
            n_unique=Count("user", distinct=True)
            + Count(
                "visitor_hash",
                distinct=True,
                filter=Q(user__isnull=True) & ~Q(visitor_hash=""),
            ),
        )
        .values_list(
            "asset_id",
            "stat_day",
            "n_views",
            "n_downloads",
            "n_prospect_views",
            "n_usages",
            "n_unique",
        )
    )
    usage_rows = (
        usages.order_by()
        .annotate(stat_day=TruncDate("created_at"))
        .values("asset_id", "stat_day")
        .annotate(
            n_views=zero,
            n_downloads=zero,
            n_prospect_views=zero,
            n_usages=Count("pk"),
            n_unique=zero,
        )
        .values_list(
            "asset_id",
            "stat_day",
            "n_views",
            "n_downloads",
            "n_prospect_views",
            "n_usages",
            "n_unique",
        )
    )
    stale.delete()
    inner_sql, params = event_rows.union(usage_rows, all=True).query.sql_with_params()
    table = DailyAssetStat._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(c)
        for c in (
            "asset_id",
            "day",
            "views",
            "downloads",
            "prospect_views",
            "usages",
            "unique_viewers",
        )
    )
    sums = ", ".join(
        ["t.asset_id", "t.stat_day"]
        + [
            f"SUM(t.{name})"
            for name in (
                "n_views",
                "n_downloads",
                "n_prospect_views",
                "n_usages",
                "n_unique",
            )
        ]
    )
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) "  # noqa: S608 - names are ours
        f"SELECT {sums} FROM ({inner_sql}) t GROUP BY t.asset_id, t.stat_day"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
    last_activity_rebuild()
    return written


@transaction.atomic
def last_activity_rebuild() -> int:
    """Recompute every asset's last active day from the daily rows (seconds even
    at millions of rows: one grouped INSERT ... SELECT over the (asset, day)
    index). Run it after loading daily rows in bulk."""
    from django.db import connection
    from django.db.models import Max

    AssetLastActivity.objects.all().delete()
    latest = (
        DailyAssetStat.objects.order_by()
        .values("asset_id")
        .annotate(last_day=Max("day"))
        .values_list("asset_id", "last_day")
    )
    select_sql, params = latest.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(AssetLastActivity._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({quote('asset_id')}, {quote('day')}) "  # noqa: S608
        f"{select_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
