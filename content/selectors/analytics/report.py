"""One asset's report: figures over time, ratings, deals and versions."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from accounts import roles
from content.models import (
    Asset,
    AssetEvent,
    DailyAssetStat,
    Deal,
    EventKind,
    Rating,
    Usage,
    Version,
)
from content.selectors.analytics.base import (
    AssetFigures,
    Period,
    WinRate,
)
from content.selectors.analytics.figures import asset_figures, overall_win_rate
from content.selectors.search import (
    library_mean_rating,
)

# --- The asset report ---------------------------------------------------------


@dataclass
class WeekFigures:
    start: datetime.date
    views: int = 0
    downloads: int = 0
    usages: int = 0


@dataclass
class VersionFigures:
    version: Version
    views: int = 0
    downloads: int = 0
    usages: int = 0
    deals: int = 0


@dataclass
class AssetReport:
    asset: Asset
    period: Period
    figures: AssetFigures
    overall: WinRate
    weeks: list[WeekFigures]
    stars: list[int]  # how many ratings gave 1, 2, 3, 4, 5 stars
    versions: list[VersionFigures]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def asset_weeks(*, asset: Asset, period: Period) -> list[WeekFigures]:
    """Views (incl. prospects), downloads and uses per week; 1 query."""
    weeks: dict[datetime.date, WeekFigures] = {}
    monday = _monday(period.start)
    while monday <= period.end:
        weeks[monday] = WeekFigures(start=monday)
        monday += datetime.timedelta(days=7)
    rows = DailyAssetStat.objects.filter(
        asset=asset, day__gte=period.start, day__lte=period.end
    ).values_list("day", "views", "prospect_views", "downloads", "usages")
    for day, views, prospect_views, downloads, usages in rows:
        week = weeks[_monday(day)]
        week.views += views + prospect_views
        week.downloads += downloads
        week.usages += usages
    return list(weeks.values())


def asset_star_counts(*, asset: Asset) -> list[int]:
    counts = dict(
        Rating.objects.filter(asset=asset)
        .order_by()
        .values("stars")
        .annotate(n=Count("pk"))
        .values_list("stars", "n")
    )
    return [counts.get(stars, 0) for stars in range(1, 6)]


def asset_version_figures(*, asset: Asset, period: Period) -> list[VersionFigures]:
    """Views, downloads, uses and deals per version in the period; 3 queries."""
    versions = list(
        Version.objects.filter(asset=asset)
        .select_related("uploaded_by")
        .defer("extracted_text")
        .order_by("-number")
    )
    events = (
        AssetEvent.objects.filter(period.q(), asset=asset)
        .order_by()
        .values("version_id")
        .annotate(
            views=Count(
                "pk", filter=Q(kind__in=[EventKind.VIEW, EventKind.PROSPECT_VIEW])
            ),
            downloads=Count(
                "pk",
                filter=Q(kind__in=[EventKind.DOWNLOAD, EventKind.PROSPECT_DOWNLOAD]),
            ),
        )
    )
    by_version = {row["version_id"]: row for row in events}
    usage = {
        row["version_id"]: row
        for row in Usage.objects.filter(period.q(), asset=asset)
        .order_by()
        .values("version_id")
        .annotate(n=Count("pk"), deals=Count("deal", distinct=True))
    }
    result = []
    for version in versions:
        e = by_version.get(version.pk, {})
        u = usage.get(version.pk, {})
        result.append(
            VersionFigures(
                version=version,
                views=e.get("views", 0),
                downloads=e.get("downloads", 0),
                usages=u.get("n", 0),
                deals=u.get("deals", 0),
            )
        )
    return result


def asset_report(*, user, asset: Asset, period: Period) -> AssetReport:
    overall = overall_win_rate(period=period)
    [figures] = asset_figures(
        assets=[asset], period=period, overall=overall, prior_mean=library_mean_rating()
    )
    return AssetReport(
        asset=asset,
        period=period,
        figures=figures,
        overall=overall,
        weeks=asset_weeks(asset=asset, period=period),
        stars=asset_star_counts(asset=asset),
        versions=asset_version_figures(asset=asset, period=period),
    )


def asset_for_report(*, user, pk: int) -> Asset:
    """The asset `user` may see a report of (404 for anything else), without its
    long search text."""
    qs = Asset.objects.visible_to(user)
    if not roles.can_view_analytics(user):
        qs = qs.none()
    return get_object_or_404(qs.select_related("owner").defer("search_text"), pk=pk)


def asset_rating_comments(*, asset: Asset) -> QuerySet[Rating]:
    """The comments on an asset, newest first, each with its answer if any."""
    return (
        Rating.objects.filter(asset=asset)
        .exclude(comment="")
        .select_related("user", "reply", "reply__author")
        .order_by("-updated_at", "-pk")
    )


UNANSWERED_SHOWN = 20


def asset_unanswered_comments(*, asset: Asset) -> QuerySet[Rating]:
    """Comments nobody answered yet, oldest first: who has waited longest."""
    return (
        Rating.objects.filter(asset=asset, reply__isnull=True)
        .exclude(comment="")
        .select_related("user")
        .order_by("updated_at", "pk")
    )


def asset_deals(*, asset: Asset) -> QuerySet:
    """The deals the asset was used in, most recent use first, as rows of
    deal_id, last_used and uses: grouped over the asset's usage alone, so a page
    of a heavily used asset never sorts every deal. `deals_for_rows` loads them."""
    return (
        Usage.objects.filter(asset=asset)
        .order_by()
        .values("deal_id")
        .annotate(last_used=Max("created_at"), uses=Count("pk"))
        .order_by("-last_used", "-deal_id")
    )


def deals_for_rows(*, asset: Asset, rows: Sequence[dict]) -> list[Deal]:
    """The deals of a page of `asset_deals` rows, in order, each with its uses of
    the asset in `asset_usages`; 2 queries."""
    ids = [row["deal_id"] for row in rows]
    deals = (
        Deal.objects.filter(pk__in=ids)
        .select_related("stage", "owner")
        .prefetch_related(
            Prefetch(
                "usages",
                queryset=Usage.objects.filter(asset=asset)
                .select_related("stage", "version")
                .order_by("created_at"),
                to_attr="asset_usages",
            )
        )
    )
    by_id = {deal.pk: deal for deal in deals}
    return [by_id[pk] for pk in ids if pk in by_id]
