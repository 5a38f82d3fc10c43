"""The evidence statistics against published, hand-checkable figures.

Newcombe (1998), "Interval estimation for the difference between independent
proportions", Statistics in Medicine 17, table II, method 10, gives the 95 %
intervals used below; Wilson's interval for 81/263 is the example of
Newcombe's companion paper on single proportions.
"""

import math

import pytest

from content.selectors.analytics.evidence_stats import (
    Side,
    Verdict,
    adjust_for_many,
    combine,
    compare,
    naive_lift,
    newcombe,
    sort_effects,
    wilson,
    z_for,
)

Z95 = z_for(0.95)


def test_z_for_known_levels():
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_for(0.90) == pytest.approx(1.644854, abs=1e-6)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_z_for_refuses_levels_outside_0_1(level):
    with pytest.raises(ValueError):
        z_for(level)


def test_wilson_known_interval():
    low, high = wilson(81, 263, Z95)
    assert low == pytest.approx(0.2553, abs=1e-4)
    assert high == pytest.approx(0.3662, abs=1e-4)


def test_wilson_at_0_and_100_percent_stays_inside_0_1():
    low, high = wilson(0, 10, Z95)
    assert low == 0 and 0 < high < 0.35
    low, high = wilson(10, 10, Z95)
    assert high == 1 and 0.65 < low < 1


def test_wilson_without_deals_says_nothing():
    assert wilson(0, 0, Z95) == (0.0, 1.0)


def test_wilson_refuses_more_wins_than_deals():
    with pytest.raises(ValueError):
        wilson(11, 10, Z95)


@pytest.mark.parametrize(
    ("used", "others", "low", "high"),
    [
        # Newcombe's table II, method 10.
        (Side(56, 70), Side(48, 80), 0.0524, 0.3339),
        (Side(9, 10), Side(3, 10), 0.1705, 0.8090),
        (Side(5, 56), Side(0, 29), -0.0381, 0.1926),
        (Side(6, 7), Side(2, 7), 0.0582, 0.8062),
    ],
)
def test_newcombe_matches_the_published_intervals(used, others, low, high):
    d, lo, hi = newcombe(used, others, Z95)
    assert d == pytest.approx(used.rate - others.rate)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_compare_helps_when_the_whole_interval_is_above_zero():
    effect = compare(Side(8, 10), Side(40, 100), level=0.90, min_deals=10)
    assert effect.verdict is Verdict.HELPS
    assert effect.points == pytest.approx(40.0)
    # By hand (z = 1.6449): Wilson for 8/10 is (0.54079, 0.93145) and for
    # 40/100 (0.32307, 0.48219); low = 0.4 - sqrt(0.25921² + 0.08219²),
    # high = 0.4 + sqrt(0.13145² + 0.07693²).
    assert effect.low == pytest.approx(0.4 - math.hypot(0.25921, 0.08219), abs=1e-4)
    assert effect.high == pytest.approx(0.4 + math.hypot(0.13145, 0.07693), abs=1e-4)


def test_compare_hurts_when_the_whole_interval_is_below_zero():
    effect = compare(Side(2, 20), Side(60, 100), level=0.90, min_deals=10)
    assert effect.verdict is Verdict.HURTS
    assert effect.high < 0


def test_compare_no_clear_effect_when_the_interval_spans_zero():
    effect = compare(Side(6, 10), Side(40, 100), level=0.90, min_deals=10)
    assert effect.verdict is Verdict.NO_CLEAR_EFFECT
    assert effect.low < 0 < effect.high


def test_a_higher_level_gives_a_wider_interval_and_can_change_the_verdict():
    narrow = compare(Side(7, 10), Side(40, 100), level=0.80, min_deals=10)
    wide = compare(Side(7, 10), Side(40, 100), level=0.99, min_deals=10)
    assert wide.low < narrow.low and wide.high > narrow.high
    assert narrow.verdict is Verdict.HELPS
    assert wide.verdict is Verdict.NO_CLEAR_EFFECT


@pytest.mark.parametrize(
    ("used", "others"),
    [
        (Side(9, 9), Side(10, 100)),  # one deal short on the asset's side
        (Side(10, 10), Side(1, 9)),  # one deal short on the comparison's side
        (Side(0, 0), Side(40, 100)),
        (Side(5, 10), Side(0, 0)),
    ],
)
def test_small_n_is_too_few_deals_with_no_figure(used, others):
    effect = compare(used, others, level=0.90, min_deals=10)
    assert effect.verdict is Verdict.TOO_FEW
    assert effect.difference is None and effect.low is None and effect.high is None
    # The n on each side is still told.
    assert effect.used.closed == used.closed


def test_exactly_the_minimum_on_each_side_is_enough():
    effect = compare(Side(10, 10), Side(1, 10), level=0.90, min_deals=10)
    assert effect.verdict is Verdict.HELPS


def test_stage_bias_a_late_stage_asset_is_not_helps_because_late_stages_win():
    """Negotiation wins 70 % of the time whatever is used, Discovery 20 %.

    A negotiation asset used in 30 deals that won 21 (70 %) has a big naive
    lift over all deals, yet against deals that reached negotiation without it
    it has no effect. An early asset at Discovery, winning 6 of 30, looks like a
    loser to the naive lift and is not one either.
    """
    everyone = Side(won=20 + 70, closed=100 + 100)  # discovery 20/100, late 70/100
    late = compare(Side(21, 30), Side(70, 100), level=0.90, min_deals=10)
    assert naive_lift(Side(21, 30), everyone) == pytest.approx(0.7 - 0.45)
    assert late.verdict is Verdict.NO_CLEAR_EFFECT
    assert late.difference == pytest.approx(0.0)
    early = compare(Side(6, 30), Side(20, 100), level=0.90, min_deals=10)
    assert naive_lift(Side(6, 30), everyone) < -0.2
    assert early.verdict is Verdict.NO_CLEAR_EFFECT


def test_combine_weights_each_stage_by_the_assets_deals_there():
    # 20 deals at a stage where it adds 30 points, 10 where it adds none.
    effect = combine(
        [(Side(15, 20), Side(45, 100)), (Side(7, 10), Side(70, 100))],
        level=0.90,
        min_deals=10,
    )
    assert effect.difference == pytest.approx((20 * 0.30 + 10 * 0.0) / 30)
    assert effect.used == Side(22, 30)
    # The n of the comparison is the asset's main stage's, never a sum that
    # would count a deal once per stage it reached.
    assert effect.others == Side(45, 100)
    single = compare(Side(15, 20), Side(45, 100), level=0.90, min_deals=10)
    # Pooling the stages narrows the interval relative to the main stage alone.
    assert effect.high - effect.low < single.high - single.low


def test_combine_of_one_stage_is_compare():
    one = combine([(Side(15, 20), Side(45, 100))], level=0.9, min_deals=10)
    assert one == compare(Side(15, 20), Side(45, 100), level=0.9, min_deals=10)


def test_combine_leaves_out_stages_without_a_comparison():
    effect = combine(
        [(Side(15, 20), Side(45, 100)), (Side(3, 5), Side(0, 0))],
        level=0.90,
        min_deals=10,
    )
    assert effect.used == Side(15, 20)


def test_sorting_by_evidence_puts_the_highest_lower_bound_first_and_too_few_last():
    effects = {
        "strong": compare(Side(40, 50), Side(40, 100)),
        "weak": compare(Side(7, 10), Side(40, 100)),
        "none": compare(Side(20, 50), Side(40, 100)),
        "few": compare(Side(3, 3), Side(40, 100)),
        "bad": compare(Side(2, 30), Side(40, 100)),
    }
    order = sort_effects(effects, key=effects.__getitem__)
    assert order == ["strong", "weak", "none", "bad", "few"]


def test_naive_lift_needs_deals():
    assert naive_lift(Side(0, 0), Side(1, 2)) is None
    assert naive_lift(Side(1, 2), Side(0, 0)) is None


def test_adjust_for_many_takes_back_a_lone_fluke_among_many_null_assets():
    # One asset just clears zero; 99 others show nothing.
    effects = {"lucky": compare(Side(7, 10), Side(40, 100))}
    assert effects["lucky"].verdict is Verdict.HELPS
    effects |= {f"null{i}": compare(Side(4, 10), Side(40, 100)) for i in range(99)}
    adjusted = adjust_for_many(effects)
    assert adjusted["lucky"].verdict is Verdict.NO_CLEAR_EFFECT
    assert adjusted["lucky"].adjusted
    # The range is left as it was.
    assert adjusted["lucky"].low == effects["lucky"].low


def test_adjust_for_many_keeps_strong_effects_and_too_few():
    effects = {
        "strong": compare(Side(45, 50), Side(40, 100)),
        "bad": compare(Side(2, 40), Side(40, 100)),
        "few": compare(Side(3, 3), Side(40, 100)),
    }
    effects |= {f"null{i}": compare(Side(4, 10), Side(40, 100)) for i in range(20)}
    adjusted = adjust_for_many(effects)
    assert adjusted["strong"].verdict is Verdict.HELPS
    assert adjusted["bad"].verdict is Verdict.HURTS
    assert adjusted["few"].verdict is Verdict.TOO_FEW
    assert not adjusted["strong"].adjusted


def test_adjust_for_many_of_one_asset_changes_nothing():
    one = {"a": compare(Side(8, 10), Side(40, 100))}
    assert adjust_for_many(one) == one
    assert adjust_for_many({}) == {}
