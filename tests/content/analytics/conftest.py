"""A small, hand-built library whose every analytics figure is known in advance.

Period: the last 90 days. Deals closed in the period: d1 won 1,000, d2 won 2,000,
d3 lost, d4 lost, d7 won, d8 lost, d9 lost: 7 closed, 3 won (overall 3/7).
d5 (won 4,000) closed 200 days ago, d6 is open.

- deck: used twice in d1, once in d2, d3, d6 (and d5, 210 days ago):
  closed in the period n=3, won 2, influenced revenue 3,000 (d1 counted once);
  deals used in during the period: d1, d2, d3, d6 = 4.
- card: used in d1 and d4 (n=2, won 1, revenue 1,000), and in the partner's deal.
- old: published, nothing happened in 90 days: unused.
Reps: riley (uses), sam (uses), dana (a use 210 days ago only), an inactive rep
with uses; partner pat (uses): adoption 2 of 3 active reps, 1 of 1 partner.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Role
from content.models import AssetKind, DealOutcome, Usage
from content.services.events import daily_stats_add
from content.services.feedback import rating_set
from tests.factories import (
    AssetFactory,
    DealFactory,
    StageFactory,
    UsageFactory,
    UserFactory,
    VersionFactory,
)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def with_version(asset, number: int = 1):
    version = VersionFactory(asset=asset, number=number)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


def use(asset, deal, *, user=None, days: int = 5):
    usage = UsageFactory(asset=asset, deal=deal, user=user or deal.owner)
    Usage.objects.filter(pk=usage.pk).update(created_at=days_ago(days))
    daily_stats_add(
        asset_id=asset.pk,
        counts={"usages": 1},
        day=timezone.localdate() - datetime.timedelta(days=days),
    )
    return usage


def closed(outcome: str, amount: str, *, days: int = 10, **kwargs):
    return DealFactory(
        outcome=outcome,
        amount=Decimal(amount),
        closed_at=days_ago(days),
        **kwargs,
    )


@dataclass
class World:
    discovery: Any
    demo: Any
    marketer: Any
    other_marketer: Any
    riley: Any
    sam: Any
    dana: Any
    pat: Any
    deck: Any
    card: Any
    old: Any
    retired: Any
    deals: dict[str, Any]


@pytest.fixture
def world(db, marketer, admin_user, settings) -> World:
    settings.WINGMAN_MIN_CLOSED_DEALS = 5
    discovery = StageFactory(name="Discovery", slug="discovery", order=1)
    demo = StageFactory(name="Demo", slug="demo", order=2)
    other_marketer = UserFactory(username="marketer-max", role=Role.MARKETER)
    riley = UserFactory(username="riley", role=Role.REP)
    sam = UserFactory(username="sam", role=Role.REP)
    dana = UserFactory(username="dana", role=Role.REP)
    gone = UserFactory(username="gone", role=Role.REP, is_active=False)
    pat = UserFactory(username="pat", role=Role.PARTNER)

    def asset(**kwargs):
        return with_version(AssetFactory(owner=marketer, **kwargs))

    deck = asset(title="Platform deck", kind=AssetKind.DECK, stages=[discovery])
    card = asset(
        title="Acme battle card",
        kind=AssetKind.BATTLE_CARD,
        stages=[discovery, demo],
        for_partners=True,
    )
    old = asset(title="Old one-pager", kind=AssetKind.ONE_PAGER, stages=[demo])
    retired = asset(
        title="Retired deck", kind=AssetKind.DECK, stages=[discovery], retired=True
    )

    d = {
        "d1": closed(DealOutcome.WON, "1000", owner=riley, stage=discovery),
        "d2": closed(DealOutcome.WON, "2000", owner=riley, stage=demo),
        "d3": closed(DealOutcome.LOST, "500", owner=sam, stage=discovery),
        "d4": closed(DealOutcome.LOST, "700", owner=sam, stage=demo),
        "d5": closed(DealOutcome.WON, "4000", owner=dana, stage=demo, days=200),
        "d6": DealFactory(owner=riley, stage=discovery, amount=Decimal("900")),
        "d7": closed(DealOutcome.WON, "300", owner=riley, stage=discovery),
        "d8": closed(DealOutcome.LOST, "300", owner=riley, stage=discovery),
        "d9": closed(DealOutcome.LOST, "300", owner=riley, stage=discovery),
        "partner": DealFactory(owner=pat, stage=discovery),
        "gone": DealFactory(owner=gone, stage=discovery),
    }
    use(deck, d["d1"], days=20)
    use(deck, d["d1"], days=15)  # the same deal twice: counted once
    use(card, d["d1"], days=15)
    use(deck, d["d2"], days=12)
    use(deck, d["d3"], days=30)
    use(card, d["d4"], days=25)
    use(deck, d["d5"], days=210)
    use(deck, d["d6"], days=3)
    use(card, d["partner"], days=4)
    use(card, d["gone"], days=4)
    return World(
        discovery=discovery,
        demo=demo,
        marketer=marketer,
        other_marketer=other_marketer,
        riley=riley,
        sam=sam,
        dana=dana,
        pat=pat,
        deck=deck,
        card=card,
        old=old,
        retired=retired,
        deals=d,
    )


@pytest.fixture
def rated(world) -> World:
    """Ratings through the playbook's service, which keeps the counters."""
    extra = [UserFactory(username=f"rater{i}", role=Role.REP) for i in range(3)]
    rating_set(user=world.riley, asset=world.deck, stars=5, comment="Won us Acme")
    rating_set(user=world.sam, asset=world.deck, stars=5)
    rating_set(user=extra[0], asset=world.card, stars=1, comment="=HYPERLINK(1)")
    rating_set(user=extra[1], asset=world.card, stars=2, comment="Out of date")
    rating_set(user=extra[2], asset=world.card, stars=2)
    rating_set(user=world.riley, asset=world.old, stars=4)
    for obj in (world.deck, world.card, world.old):
        obj.refresh_from_db()
    return world
