"""A Demo stage with a play, and deals with evidence, for the plays tests."""

from dataclasses import dataclass
from typing import Any

import pytest

from accounts.models import Role
from content.models import AssetKind, DealOutcome, Industry
from content.services.plays import PlayItemInput, play_save
from tests.factories import (
    AssetFactory,
    DealFactory,
    StageFactory,
    UsageFactory,
    UserFactory,
    VersionFactory,
)

RIVAL = "Rivalry Inc"


def with_version(asset):
    version = VersionFactory(asset=asset, number=1)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


@dataclass
class Demo:
    stage: Any
    other_stage: Any
    deck: Any  # internal, in the play
    card: Any  # internal battle card vs Rivalry Inc, in the play
    partner_sheet: Any  # partners, in the play
    winner: Any  # internal, not in the play, wins against Rivalry Inc
    loser: Any  # internal, used in lost deals
    draft: Any
    industry: Any


@pytest.fixture
def demo(db, marketer) -> Demo:
    stage = StageFactory(name="Demo", slug="demo", order=3)
    other = StageFactory(name="Discovery", slug="discovery", order=2)
    make = lambda **kw: with_version(  # noqa: E731
        AssetFactory(owner=marketer, stages=[stage], **kw)
    )
    data = Demo(
        stage=stage,
        other_stage=other,
        deck=make(title="Demo deck"),
        card=make(
            title="Rivalry battle card", kind=AssetKind.BATTLE_CARD, competitor=RIVAL
        ),
        partner_sheet=make(
            title="Partner demo sheet", kind=AssetKind.ONE_PAGER, for_partners=True
        ),
        winner=make(title="Rivalry ROI case study", kind=AssetKind.CASE_STUDY),
        loser=make(title="Generic video", kind=AssetKind.VIDEO),
        draft=make(title="Draft demo script", draft=True),
        industry=Industry.objects.create(name="Manufacturing"),
    )
    play_save(
        user=marketer,
        stage=stage,
        key_questions="Who signs?\nWhat does success look like?",
        items=[
            PlayItemInput(asset=data.deck, when_to_use="Open every demo with it"),
            PlayItemInput(
                asset=data.card,
                when_to_use="When Rivalry Inc is in the deal",
                talk_track="Ask about their renewal terms.",
            ),
            PlayItemInput(asset=data.partner_sheet, when_to_use="Leave it behind"),
        ],
    )
    return data


@pytest.fixture
def evidence(demo):
    """Closed deals at Demo: the winner won 7 of 9 against Rivalry Inc; the
    loser lost 6 of 6. Owned by reps other than the test's rep."""
    sellers = [UserFactory(username=f"seller{i}", role=Role.REP) for i in range(3)]
    for i in range(9):
        deal = DealFactory(
            owner=sellers[i % 3],
            stage=demo.stage,
            competitor=RIVAL,
            outcome=DealOutcome.WON if i < 7 else DealOutcome.LOST,
            name=f"Secret deal {i}",
        )
        UsageFactory(deal=deal, asset=demo.winner, stage=demo.stage)
    for i in range(6):
        deal = DealFactory(
            owner=sellers[i % 3],
            stage=demo.stage,
            outcome=DealOutcome.LOST,
            name=f"Lost deal {i}",
        )
        UsageFactory(deal=deal, asset=demo.loser, stage=demo.stage)
    return sellers


@pytest.fixture
def rival_deal(rep, demo):
    return DealFactory(
        owner=rep, stage=demo.stage, competitor=RIVAL, name="Acme at Demo"
    )
