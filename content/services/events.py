"""Recording views and downloads: cheap, a few indexed statements per event.

Every event also moves today's `DailyAssetStat` row and the asset's all-time
counter, so the analytics never aggregate the raw event table on a page load.
`manage.py rebuild_daily_stats` recomputes the daily rows from the raw events
and usages if they ever drift (for example after a bulk import).
"""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, Expression, F, Value, When
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


def event_record(
    *,
    asset: Asset,
    kind: str,
    user=None,
    version=None,
    visitor_hash: str = "",
    user_agent: str = "",
) -> AssetEvent:
    """Record one view or download: the event, today's daily row (with its unique
    viewer) and the asset's all-time counter.

    The asset page records one on every open, so this is as few statements as
    each database allows: one on PostgreSQL (`_event_record_postgres`), three
    on SQLite, each committed on its own (no BEGIN and COMMIT around them: a
    commit costs next to nothing there, and a crash between them loses one count
    that `rebuild_daily_stats` restores in the daily rows).
    """
    user = user if user is not None and user.is_authenticated else None
    visitor_hash = visitor_hash[:64]
    fields = {
        "asset": asset,
        "kind": kind,
        "user": user,
        "version": version,
        "visitor_hash": visitor_hash,
        "user_agent": user_agent[:300],
    }
    if connection.vendor == "postgresql":
        return _event_record_postgres(**fields)
    event = AssetEvent.objects.create(**fields)
    counts: dict[str, int | Expression] = {_DAILY_FIELD[kind]: 1}
    if user is not None or visitor_hash:
        # One more unique viewer when this person has no earlier event today,
        # asked inside the daily row's own UPDATE (one statement, not two). Two
        # simultaneous first views may both count; the rebuild command is exact.
        earlier = AssetEvent.objects.filter(
            asset=asset, created_at__gte=_start_of_today(), pk__lt=event.pk
        )
        if user is not None:
            earlier = earlier.filter(user=user)
        else:
            earlier = earlier.filter(user__isnull=True, visitor_hash=visitor_hash)
        counts["unique_viewers"] = Case(
            When(Exists(earlier), then=Value(0)), default=Value(1)
        )
    daily_stats_add(asset_id=asset.pk, counts=counts)
    Asset.objects.filter(pk=asset.pk).update(
        **{_ASSET_FIELD[kind]: F(_ASSET_FIELD[kind]) + 1}
    )
    return event


_DAILY_COUNTERS = ("views", "downloads", "prospect_views", "usages", "unique_viewers")


def _event_record_postgres(
    *, asset: Asset, kind: str, user, version, visitor_hash: str, user_agent: str
) -> AssetEvent:
    """The same three writes as one statement (data-modifying CTEs): atomic, and
    one round trip and one commit instead of four and a transaction. The unique
    viewer check reads the table as it was before the statement, so it never
    sees this event."""
    now = timezone.now()
    day = timezone.localdate(now)
    daily_field, asset_field = _DAILY_FIELD[kind], _ASSET_FIELD[kind]
    events, daily, assets = (
        AssetEvent._meta.db_table,
        DailyAssetStat._meta.db_table,
        Asset._meta.db_table,
    )
    if user is not None or visitor_hash:
        viewer = (
            "user_id = %(user)s"
            if user is not None
            else "user_id IS NULL AND visitor_hash = %(visitor)s"
        )
        earlier = f"SELECT 1 FROM {events} WHERE asset_id = %(asset)s"  # noqa: S608
        first_today = (
            f"CASE WHEN EXISTS ({earlier} AND created_at >= %(today)s AND {viewer})"
            " THEN 0 ELSE 1 END"
        )
    else:
        first_today = "0"
    values = ", ".join(
        first_today
        if field == "unique_viewers"
        else ("1" if field == daily_field else "0")
        for field in _DAILY_COUNTERS
    )
    sql = f"""
        WITH event AS (
            INSERT INTO {events} (asset_id, version_id, user_id, kind, visitor_hash,
                                  user_agent, created_at)
            VALUES (%(asset)s, %(version)s, %(user)s, %(kind)s, %(visitor)s,
                    %(agent)s, %(now)s)
            RETURNING id
        ), today AS (
            INSERT INTO {daily} (asset_id, day, {", ".join(_DAILY_COUNTERS)})
            VALUES (%(asset)s, %(day)s, {values})
            ON CONFLICT (asset_id, day) DO UPDATE SET
                {daily_field} = {daily}.{daily_field} + 1,
                unique_viewers = {daily}.unique_viewers + EXCLUDED.unique_viewers
            RETURNING (xmax = 0) AS created
        ), counter AS (
            UPDATE {assets} SET {asset_field} = {asset_field} + 1
            WHERE id = %(asset)s
        )
        SELECT (SELECT id FROM event), (SELECT created FROM today)
    """  # noqa: S608 - table and column names are ours; values are parameters
    params = {
        "asset": asset.pk,
        "version": version.pk if version is not None else None,
        "user": user.pk if user is not None else None,
        "kind": kind,
        "visitor": visitor_hash,
        "agent": user_agent,
        "now": now,
        "today": _start_of_today(),
        "day": day,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        event_id, created = cursor.fetchone()
    if created:
        # The first activity of the day for this asset: move its last active day on.
        _last_activity_touch(asset_id=asset.pk, day=day)
    event = AssetEvent(
        pk=event_id,
        asset=asset,
        kind=kind,
        user=user,
        version=version,
        visitor_hash=visitor_hash,
        user_agent=user_agent,
        created_at=now,
    )  # the row the statement wrote, without reading it back
    event._state.adding = False
    event._state.db = connection.alias
    return event


def daily_stat_increment(*, asset_id: int, field: str, amount: int = 1) -> None:
    """Add to today's counter for an asset, creating the row on first use."""
    daily_stats_add(asset_id=asset_id, counts={field: amount})


def daily_stats_add(
    *,
    asset_id: int,
    counts: Mapping[str, int | Expression],
    day: datetime.date | None = None,
) -> None:
    """Add several counters at once to an asset's row for `day` (default today).

    A count may be an expression (the unique viewer's subquery): it is worked
    out in the UPDATE, or once by the database when the row is new.
    """
    day = day or timezone.localdate()
    increments = {field: F(field) + amount for field, amount in counts.items()}
    if DailyAssetStat.objects.filter(asset_id=asset_id, day=day).update(**increments):
        return
    initial = {
        field: _value_now(asset_id, amount)
        if isinstance(amount, Expression)
        else amount
        for field, amount in counts.items()
    }
    try:
        # A savepoint, so losing the race to create the row keeps the caller's
        # transaction usable; the winner's row then takes the increment.
        with transaction.atomic():
            DailyAssetStat.objects.create(asset_id=asset_id, day=day, **initial)
    except IntegrityError:
        DailyAssetStat.objects.filter(asset_id=asset_id, day=day).update(**increments)
        return
    # The first activity of the day for this asset: move its last active day on.
    _last_activity_touch(asset_id=asset_id, day=day)


def _value_now(asset_id: int, expression: Expression) -> int:
    # The first event of an asset's day: rare, so one more small query is fine.
    rows = Asset.objects.filter(pk=asset_id).annotate(value=expression)
    return rows.values_list("value", flat=True)[0]


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
