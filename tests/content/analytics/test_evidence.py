"""The evidence counts read from the database: who reached which stage, which
deals used an asset where, each deal once, in a constant number of queries."""

import pytest

from content.selectors.analytics import Period
from content.selectors.analytics.evidence import (
    EvidenceScope,
    asset_stage_effects,
    competitors,
    effects,
    reach,
    stage_positions,
    stages_without_help,
)
from content.selectors.analytics.evidence_stats import Side, Verdict
from tests.content.analytics.evidence_data import Deals
from tests.factories import AssetFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    early = StageFactory(name="Early", order=1)
    mid = StageFactory(name="Mid", order=2)
    late = StageFactory(name="Late", order=3)
    return early, mid, late


@pytest.fixture
def scope():
    return EvidenceScope(period=Period.last(90))


def test_a_deal_reaches_the_furthest_of_its_stage_and_its_uses(cycle, scope):
    early, mid, late = cycle
    deals = Deals()
    asset = AssetFactory()
    deals.add(1, won=True, at=early, used=[(asset, late)])
    deals.add(2, won=False, at=mid)
    deals.add(1, won=False, at=early, days=200)  # outside the period
    base = reach(scope, stage_positions())
    assert base.closed == (0, 2, 1)
    assert base.won == (0, 0, 1)
    assert base.at_least(1) == Side(1, 3)


def test_effect_at_one_stage_compares_with_deals_that_reached_it_without_it(
    cycle, scope, settings
):
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 10
    early, mid, late = cycle
    deals = Deals()
    card = AssetFactory()
    # The card, used at mid: 12 deals, 9 won.
    deals.add(9, won=True, at=late, used=[(card, mid)])
    deals.add(3, won=False, at=mid, used=[(card, mid), (card, mid)])  # once each
    # Reached mid without the card: 20 deals, 6 won.
    deals.add(6, won=True, at=late)
    deals.add(14, won=False, at=mid)
    # Never reached mid: not in the comparison.
    deals.add(30, won=False, at=early)
    result = effects(EvidenceScope(period=scope.period, stage=mid), asset_ids=[card.pk])
    effect = result[card.pk]
    assert effect.used == Side(9, 12)
    assert effect.others == Side(6, 20)
    assert effect.difference == pytest.approx(0.75 - 0.30)
    assert effect.verdict is Verdict.HELPS


def test_the_stage_bias_case_in_the_database(cycle, scope, settings):
    """Late deals win 70 %, early ones 20 %: a late asset used in late deals
    winning 70 % has no effect, though its win rate is far above everyone's."""
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 10
    early, mid, late = cycle
    deals = Deals()
    closer = AssetFactory()
    deals.add(14, won=True, at=late, used=[(closer, late)])
    deals.add(6, won=False, at=late, used=[(closer, late)])
    deals.add(21, won=True, at=late)
    deals.add(9, won=False, at=late)
    deals.add(10, won=True, at=early)
    deals.add(40, won=False, at=early)
    effect = effects(scope, asset_ids=[closer.pk])[closer.pk]
    assert effect.used == Side(14, 20)
    assert effect.others == Side(21, 30)
    assert effect.verdict is Verdict.NO_CLEAR_EFFECT
    # The naive lift would have said +25 points (70 % against 45 % overall).
    assert 14 / 20 - 45 / 100 == pytest.approx(0.25)


def test_every_stage_counts_each_deal_once_at_the_first_stage_it_used_the_asset(
    cycle, scope, settings
):
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 1
    early, mid, late = cycle
    deals = Deals()
    deck = AssetFactory()
    deals.add(2, won=True, at=late, used=[(deck, early), (deck, late)])
    deals.add(2, won=False, at=early, used=[(deck, early)])
    deals.add(2, won=True, at=late)
    deals.add(2, won=False, at=early)
    effect = effects(scope, asset_ids=[deck.pk])[deck.pk]
    assert effect.used == Side(2, 4)  # 4 deals, not 6 uses
    # All four first used it early: 2 of 4 against the 4 others, 2 of 4.
    assert effect.others == Side(2, 4)
    assert effect.difference == pytest.approx(0.0)


def test_a_later_use_does_not_take_a_deal_out_of_an_earlier_comparison(
    cycle, scope, settings
):
    """Judged at Late, a deal that used the card only at Late is a user; judged
    at Mid, that same deal had not used it by then: it is a comparison deal."""
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 1
    early, mid, late = cycle
    deals = Deals()
    card = AssetFactory()
    deals.add(3, won=True, at=late, used=[(card, late)])
    deals.add(1, won=False, at=mid, used=[(card, mid)])
    deals.add(2, won=False, at=mid)
    at_mid = effects(EvidenceScope(period=scope.period, stage=mid), asset_ids=[card.pk])
    assert at_mid[card.pk].used == Side(0, 1)
    assert at_mid[card.pk].others == Side(3, 5)
    at_late = effects(
        EvidenceScope(period=scope.period, stage=late), asset_ids=[card.pk]
    )
    assert at_late[card.pk].used == Side(3, 3)


def test_competitor_narrows_the_deals(cycle, scope, settings):
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 1
    early, mid, late = cycle
    deals = Deals()
    card = AssetFactory()
    deals.add(3, won=True, at=mid, used=[(card, mid)], competitor="Rivalry Inc")
    deals.add(3, won=False, at=mid, competitor="Rivalry Inc")
    deals.add(5, won=False, at=mid, used=[(card, mid)], competitor="Acme")
    deals.add(5, won=True, at=mid, competitor="Acme")
    rivalry = EvidenceScope(period=scope.period, competitor="Rivalry Inc")
    assert effects(rivalry, asset_ids=[card.pk])[card.pk].used == Side(3, 3)
    assert effects(scope, asset_ids=[card.pk])[card.pk].used == Side(3, 8)
    assert competitors() == ["Acme", "Rivalry Inc"]


def test_an_asset_without_closed_deals_is_left_out(cycle, scope):
    assert effects(scope, asset_ids=[AssetFactory().pk]) == {}
    assert effects(scope, asset_ids=[]) == {}


def test_query_count_does_not_grow_with_assets(cycle, scope, django_assert_num_queries):
    early, mid, late = cycle
    deals = Deals()
    assets = [AssetFactory() for _ in range(6)]
    for i, asset in enumerate(assets):
        deals.add(3, won=i % 2 == 0, at=cycle[i % 3], used=[(asset, cycle[i % 3])])
    positions = stage_positions()
    with django_assert_num_queries(2):
        result = effects(scope, asset_ids=[a.pk for a in assets], positions=positions)
    assert len(result) == 6
    from content.models import Asset

    with django_assert_num_queries(2):
        effects(scope, among=Asset.objects.all(), positions=positions)


def test_asset_stage_effects_lists_each_stage_served_or_used(cycle, scope, settings):
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 1
    early, mid, late = cycle
    deals = Deals()
    deck = AssetFactory(stages=[early])
    deals.add(2, won=True, at=late, used=[(deck, late)])
    deals.add(2, won=False, at=late)
    rows = asset_stage_effects(asset=deck, scope=scope)
    assert [row.stage for row in rows] == [early, late]
    assert rows[0].effect.verdict is Verdict.TOO_FEW
    assert rows[1].effect.used == Side(2, 2)


def test_stages_without_help_marks_stages_whose_assets_show_no_help(
    cycle, scope, settings
):
    from content.models import Asset

    settings.WINGMAN_EVIDENCE_MIN_DEALS = 5
    early, mid, late = cycle
    deals = Deals()
    flat = AssetFactory(stages=[mid])
    good = AssetFactory(stages=[late])
    deals.add(5, won=True, at=mid, used=[(flat, mid)])
    deals.add(5, won=False, at=mid, used=[(flat, mid)])
    deals.add(10, won=True, at=late, used=[(good, late)])
    deals.add(5, won=True, at=mid)
    deals.add(5, won=False, at=mid)
    deals.add(20, won=False, at=late)
    marks = stages_without_help(scope=scope, assets=Asset.objects.all())
    assert marks == {mid.pk: Verdict.NO_CLEAR_EFFECT}
