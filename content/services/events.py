"""Recording views and downloads: cheap, one insert and one upsert-style update."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from content.models import Asset, AssetEvent, DailyAssetStat, EventKind

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
    event = AssetEvent.objects.create(
        asset=asset,
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        version=version,
        visitor_hash=visitor_hash[:64],
        user_agent=user_agent[:300],
    )
    daily_stat_increment(asset_id=asset.pk, field=_DAILY_FIELD[kind])
    Asset.objects.filter(pk=asset.pk).update(
        **{_ASSET_FIELD[kind]: F(_ASSET_FIELD[kind]) + 1}
    )
    return event


def daily_stat_increment(*, asset_id: int, field: str, amount: int = 1) -> None:
    """Add to today's counter for an asset, creating the row on first use."""
    day = timezone.localdate()
    updated = DailyAssetStat.objects.filter(asset_id=asset_id, day=day).update(
        **{field: F(field) + amount}
    )
    if not updated:
        stat, created = DailyAssetStat.objects.get_or_create(
            asset_id=asset_id, day=day, defaults={field: amount}
        )
        if not created:
            DailyAssetStat.objects.filter(pk=stat.pk).update(
                **{field: F(field) + amount}
            )
