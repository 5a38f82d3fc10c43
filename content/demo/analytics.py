"""Analytics demo step: a few forgotten assets, and the daily figures recomputed.

The rest of the demo library is busy, so the "unused" list would be empty; three
assets published months ago that nobody opened since give it something to act
on (and to retire). Then the daily rollup and each asset's last active day are
rebuilt from the raw events and uses the other steps wrote in bulk. Running it
twice changes nothing: the assets exist by title, the rollup is a recomputation.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from content.demo import evidence
from content.models import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetEvent,
    AssetKind,
    EventKind,
    Stage,
)
from content.services import library as library_services
from content.services.events import daily_stats_rebuild


@dataclass
class Forgotten:
    kind: str
    title: str
    summary: str
    stages: list[str]
    published_days_ago: int
    # (days ago, views) of the last views, all older than 90 days.
    views: list[tuple[int, int]] = field(default_factory=list)
    card: dict[str, str] = field(default_factory=dict)


FORGOTTEN = [
    Forgotten(
        kind=AssetKind.BATTLE_CARD,
        title="Battle card: Globex Reports",
        summary="Globex left the forecasting market last spring; kept for old deals.",
        stages=["prospecting", "demo"],
        published_days_ago=300,
        views=[(160, 3), (130, 2), (115, 1)],
        card={
            "competitor": "Globex Reports",
            "their_strengths": "Cheap per seat\nBundled with their ERP",
            "their_weaknesses": "No forecasting model\nQuarterly releases only",
            "landmines": "Ask how they forecast the quarter today.",
            "how_we_win": "Show the forecast accuracy report on their own data.",
            "proof_points": "Northpeak moved off Globex in six weeks.",
        },
    ),
    Forgotten(
        kind=AssetKind.OBJECTION_HANDLER,
        title="Objection: “Your mobile app is missing”",
        summary="Written before the mobile app shipped.",
        stages=["demo"],
        published_days_ago=240,
        views=[(200, 2), (150, 1)],
        card={
            "objection": "You have no mobile app, our managers live on their phones.",
            "response": "The responsive web app works on any phone; a native app "
            "is on the roadmap.",
            "proof_points": "Lumen Health managers approve deals from their phones.",
            "when_to_use": "Only before the mobile app launch.",
        },
    ),
    Forgotten(
        kind=AssetKind.OBJECTION_HANDLER,
        title="Objection: “We are locked into a three-year BI contract”",
        summary="For prospects tied to a BI suite until their renewal.",
        stages=["proposal-negotiation"],
        published_days_ago=210,
        card={
            "objection": "We signed a three-year BI contract last year.",
            "response": "Wingman sits next to your BI tool: start with the revenue "
            "team and plan the switch for the renewal.",
            "proof_points": "Orbit Retail ran both for a year, then dropped the BI "
            "seats.",
            "when_to_use": "When the BI renewal is more than six months away.",
        },
    ),
]


def seed(log: Callable[[str], None]) -> None:
    marketer = User.objects.filter(username="marketer").first()
    if marketer is not None:
        _seed_forgotten(marketer, log)
    # A year of closed deals with planted effects, before the rollup counts uses.
    evidence.seed(log, leave_out=frozenset(spec.title for spec in FORGOTTEN))
    rows = daily_stats_rebuild()
    if rows:
        log(f"{rows} daily analytics rows rebuilt from events and usage")


def _seed_forgotten(marketer: User, log: Callable[[str], None]) -> None:
    stages = {stage.slug: stage for stage in Stage.objects.all()}
    viewers = list(
        User.objects.filter(username__in=["rep", "rep2", "rep3"]).order_by("username")
    )
    existing = set(Asset.objects.values_list("title", flat=True))
    now = timezone.now()
    for spec in FORGOTTEN:
        if spec.title in existing:
            continue
        asset = library_services.asset_create(
            actor=marketer,
            kind=spec.kind,
            title=spec.title,
            summary=spec.summary,
            stages=[stages[slug] for slug in spec.stages if slug in stages],
            **spec.card,
        )
        asset = library_services.asset_publish(actor=marketer, asset=asset)
        published = now - datetime.timedelta(days=spec.published_days_ago)
        created = published - datetime.timedelta(days=3)
        Asset.objects.filter(pk=asset.pk).update(
            created_at=created, updated_at=published, published_at=published
        )
        AssetActivity.objects.filter(asset=asset, verb=ActivityVerb.CREATED).update(
            created_at=created
        )
        AssetActivity.objects.filter(asset=asset, verb=ActivityVerb.PUBLISHED).update(
            created_at=published
        )
        total = 0
        for days, count in spec.views:
            for i in range(count):
                event = AssetEvent.objects.create(
                    asset=asset,
                    kind=EventKind.VIEW,
                    user=viewers[i % len(viewers)] if viewers else None,
                )
                AssetEvent.objects.filter(pk=event.pk).update(
                    created_at=now - datetime.timedelta(days=days, hours=i)
                )
            total += count
        if total:
            Asset.objects.filter(pk=asset.pk).update(view_count=total)
        log(f"forgotten asset {spec.title}")
