"""Demo deals with effects planted on purpose, so the dashboard's evidence has
something true to find (the README lists them).

A year of closed deals, spread over reps, competitors and how far each deal
got. Deals that get further win more often whatever they use (5 % of those
lost at Prospecting ... 70 % at Closing): the stage bias that makes every
late-stage asset look good to a naive lift. On top of that, and only there:

- "Discovery call script: MEDDICC questions", used at Discovery: +30 points;
- "Case study: Northpeak Logistics cuts forecast error by a third", used at
  Proposal & negotiation: +35 points;
- "Battle card: Rivalry Inc", used at Demo: +40 points when Rivalry Inc is in
  the deal, nothing otherwise (reps use it mostly against Rivalry);
- "Objection: “We need a discount to sign this quarter”", used at Proposal &
  negotiation: -45 points (it teaches reps to discount);
- every other asset: no effect at all.

Most deals closed in the last quarter, so the default 90 days shows
every planted effect (tests/demo/test_analytics.py checks it). Written in bulk (a
thousand deals, a few thousand uses) with a fixed seed;
it does nothing when its deals exist already.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, User
from content.models import (
    Asset,
    AssetStatus,
    Audience,
    Deal,
    DealOutcome,
    Stage,
    Usage,
)

CRM_PREFIX = "EVID-"
DEALS = 1000
DAYS = 365
# A growing pipeline: most deals closed in the last quarter, so that the
# dashboard's default 90 days holds enough of them for its verdicts (a few
# dozen deals a side for the planted assets), the rest over the year.
RECENT_SHARE, RECENT_DAYS = 0.6, 85
SELLERS = {"rep": 0.25, "rep2": 0.22, "rep3": 0.22, "rep4": 0.21, "partner": 0.10}
COMPETITORS = {
    "Rivalry Inc": 0.40,
    "Acme Analytics": 0.30,
    "Spreadsheets (status quo)": 0.20,
    "": 0.10,
}
# How far closed deals got (Prospecting .. Closing) and how often each wins.
REACH_WEIGHTS = [0.15, 0.25, 0.25, 0.20, 0.15]
BASE_WIN = [0.05, 0.15, 0.30, 0.50, 0.70]
USE_CHANCE = 0.2  # an asset serving a stage the deal went through


@dataclass(frozen=True)
class Planted:
    title: str
    stage: str
    effect: float
    use_chance: float = 0.45
    competitor: str = ""  # the effect only against this competitor
    use_chance_elsewhere: float | None = None


PLANTED = [
    Planted("Discovery call script: MEDDICC questions", "discovery", 0.30),
    Planted(
        "Case study: Northpeak Logistics cuts forecast error by a third",
        "proposal-negotiation",
        0.35,
        use_chance=0.55,
    ),
    Planted(
        "Battle card: Rivalry Inc",
        "demo",
        0.40,
        use_chance=0.6,
        competitor="Rivalry Inc",
        use_chance_elsewhere=0.1,
    ),
    Planted(
        "Objection: “We need a discount to sign this quarter”",
        "proposal-negotiation",
        -0.45,
        use_chance=0.5,
    ),
]


def seed(
    log: Callable[[str], None], *, leave_out: frozenset[str] = frozenset()
) -> None:
    """`leave_out`: titles no deal may use (the demo's forgotten assets, which
    the "unused" list must still show)."""
    if Deal.objects.filter(crm_id__startswith=CRM_PREFIX).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=SELLERS)}
    stages = list(Stage.objects.filter(is_active=True).order_by("order"))
    if len(people) < len(SELLERS) or len(stages) < len(REACH_WEIGHTS):
        return
    stages = stages[: len(REACH_WEIGHTS)]
    assets = list(
        Asset.objects.filter(status=AssetStatus.PUBLISHED)
        .exclude(title__in=leave_out)
        .prefetch_related("stages")
    )
    if not assets:
        return
    deals, uses = _plan(people, stages, assets)
    with _our_timestamps():
        Deal.objects.bulk_create(deals, batch_size=500)
        for usage in uses:
            usage.deal_id = usage.deal.pk
        Usage.objects.bulk_create(uses, batch_size=1000)
    _recount()
    log(f"{len(deals)} closed deals over a year with {len(uses)} uses (evidence)")


def _plan(
    people: dict[str, User], stages: list[Stage], assets: list[Asset]
) -> tuple[list[Deal], list[Usage]]:
    rng = random.Random(20251215)  # noqa: S311 - demo data, not security
    now = timezone.now()
    position = {stage.pk: i for i, stage in enumerate(stages)}
    by_title = {asset.title: asset for asset in assets}
    planted = {p.title: p for p in PLANTED if p.title in by_title}
    serving: list[list[Asset]] = [[] for _ in stages]
    for asset in assets:
        for stage in asset.stages.all():
            if stage.pk in position:
                serving[position[stage.pk]].append(asset)
    sellers, seller_weights = list(SELLERS), list(SELLERS.values())
    rivals, rival_weights = list(COMPETITORS), list(COMPETITORS.values())
    deals: list[Deal] = []
    uses: list[Usage] = []
    for number in range(1, DEALS + 1):
        seller = people[rng.choices(sellers, seller_weights)[0]]
        competitor = rng.choices(rivals, rival_weights)[0]
        reach = rng.choices(range(len(REACH_WEIGHTS)), REACH_WEIGHTS)[0]
        days = RECENT_DAYS if rng.random() < RECENT_SHARE else DAYS
        closed_at = now - timedelta(days=rng.uniform(1, days), hours=rng.random())
        created_at = closed_at - timedelta(days=rng.uniform(20, 120))
        deal = Deal(
            name=f"Evidence deal {number:04d}",
            account=f"Account {number:04d}",
            crm_id=f"{CRM_PREFIX}{number:04d}",
            amount=Decimal(rng.randrange(8, 250)) * 1000,
            stage=stages[reach],
            competitor=competitor,
            owner=seller,
            created_at=created_at,
            updated_at=closed_at,
            closed_at=closed_at,
        )
        chance = BASE_WIN[reach]
        for at in range(reach + 1):
            # The deal's time at each stage: a slice of its life, in order.
            start = created_at + (closed_at - created_at) * at / (reach + 1)
            end = created_at + (closed_at - created_at) * (at + 1) / (reach + 1)
            for asset in serving[at]:
                if seller.role == Role.PARTNER and asset.audience != Audience.PARTNERS:
                    continue
                plant = planted.get(asset.title)
                applies = plant is not None and plant.stage == stages[at].slug
                use = USE_CHANCE
                if applies:
                    use = plant.use_chance
                    if plant.competitor and competitor != plant.competitor:
                        use = plant.use_chance_elsewhere or USE_CHANCE
                if rng.random() >= use:
                    continue
                uses.append(
                    Usage(
                        deal=deal,
                        asset=asset,
                        version_id=asset.current_version_id,
                        stage=stages[at],
                        user=seller,
                        created_at=start + (end - start) * rng.uniform(0.1, 0.9),
                    )
                )
                if applies and (not plant.competitor or competitor == plant.competitor):
                    chance += plant.effect
        won = rng.random() < min(0.95, max(0.02, chance))
        deal.outcome = DealOutcome.WON if won else DealOutcome.LOST
        deals.append(deal)
    return deals, uses


@contextmanager
def _our_timestamps() -> Iterator[None]:
    """Let bulk_create keep the dates we give deals and uses (a year back)."""
    fields = [
        Deal._meta.get_field("created_at"),
        Deal._meta.get_field("updated_at"),
        Usage._meta.get_field("created_at"),
    ]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = now, now_add


def _recount() -> None:
    """Each asset's usage and deal counters, as the usage service keeps them."""
    uses = Usage.objects.filter(asset=OuterRef("pk")).order_by().values("asset")
    Asset.objects.update(
        usage_count=Coalesce(Subquery(uses.annotate(n=Count("pk")).values("n")), 0),
        deal_count=Coalesce(
            Subquery(uses.annotate(n=Count("deal", distinct=True)).values("n")), 0
        ),
    )
