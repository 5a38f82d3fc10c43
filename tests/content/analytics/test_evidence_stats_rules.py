"""The evidence statistics' rules at their edges, on small hand-computed tables.

Written from the mutation run of the `evidence` rule module (issue 20): each
test names the behaviour a surviving mutant broke. All figures are at 90 %
unless said otherwise, z = 1.644854 and z² = 2.705543.
"""

import pytest

from content.selectors.analytics.evidence_stats import (
    Effect,
    Side,
    Verdict,
    _benjamini_hochberg,
    _one_sided_p,
    adjust_for_many,
    combine,
    compare,
    verdict_of,
    wilson,
    z_for,
)

Z90 = z_for(0.90)


def _effect(difference: float, low: float, high: float) -> Effect:
    """An effect with a given interval at 90 %, to set the p-values by hand."""
    return Effect(
        Side(10, 20),
        Side(40, 100),
        difference,
        low,
        high,
        verdict_of(low, high),
        0.90,
    )


# --- z_for and wilson -------------------------------------------------------


@pytest.mark.parametrize("level", [1, 1.5, 0, -0.1])
def test_a_level_of_one_or_more_is_refused_with_a_message(level):
    # NormalDist's own error for 1 or 1.5 is also a ValueError, so only the
    # message tells our check from the library failing further on.
    with pytest.raises(
        ValueError, match=f"The interval's level must be between 0 and 1: {level}"
    ):
        z_for(level)


def test_wilson_interval_of_3_of_10_at_90_percent():
    # p = 0.3; centre = (0.3 + z²/20) / (1 + z²/10) = 0.435277 / 1.270554
    # = 0.342590; half = z / 1.270554 * sqrt(0.3 * 0.7 / 10 + z²/400)
    # = 1.294596 * 0.166625 = 0.215714.
    low, high = wilson(3, 10, Z90)
    assert low == pytest.approx(0.342590 - 0.215714, abs=1e-5)
    assert high == pytest.approx(0.342590 + 0.215714, abs=1e-5)


def test_wilson_interval_of_a_single_deal_is_computed_not_left_at_0_to_1():
    # At won = n the lower bound is n / (n + z²); at won = 0 the upper bound
    # is z² / (n + z²): 1 / 3.705543 = 0.269866 and 2.705543 / 3.705543.
    assert wilson(1, 1, Z90) == (pytest.approx(0.269866, abs=1e-6), 1.0)
    assert wilson(0, 1, Z90) == (0.0, pytest.approx(0.730134, abs=1e-6))


def test_wilson_upper_bound_at_100_percent_is_exactly_one_despite_rounding():
    # For 12 of 12 at 90 % the formula gives 1.0000000000000002 in floats.
    assert wilson(12, 12, Z90)[1] == 1.0


def test_wilson_refuses_more_wins_than_deals_with_a_message():
    with pytest.raises(ValueError, match="won must be between 0 and n: 11 of 10"):
        wilson(11, 10, Z90)


# --- verdicts ---------------------------------------------------------------


def test_an_interval_touching_zero_from_above_is_no_clear_effect():
    assert verdict_of(0.0, 0.3) is Verdict.NO_CLEAR_EFFECT
    assert verdict_of(1e-9, 0.3) is Verdict.HELPS


def test_an_interval_touching_zero_from_below_is_no_clear_effect():
    assert verdict_of(-0.3, 0.0) is Verdict.NO_CLEAR_EFFECT
    assert verdict_of(-0.3, -1e-9) is Verdict.HURTS


# --- compare and combine ----------------------------------------------------


def test_compare_uses_the_minimum_of_deals_it_is_given():
    assert compare(Side(10, 10), Side(1, 10), min_deals=11).verdict is Verdict.TOO_FEW
    assert compare(Side(5, 5), Side(0, 5), min_deals=5).verdict is Verdict.HELPS


def test_combine_defaults_to_90_percent_and_ten_deals_a_side():
    strata = [(Side(10, 10), Side(1, 10))]
    effect = combine(strata)
    assert effect == combine(strata, level=0.90, min_deals=10)
    assert effect.level == 0.90
    assert effect.verdict is Verdict.HELPS


def test_too_few_deals_still_tells_both_sides_and_the_level():
    effect = compare(Side(9, 9), Side(10, 100), level=0.80)
    assert effect.verdict is Verdict.TOO_FEW
    assert effect.used == Side(9, 9)
    assert effect.others == Side(10, 100)
    assert effect.level == 0.80


def test_an_asset_with_no_stage_at_all_shows_zero_deals_on_both_sides():
    effect = combine([])
    assert effect.verdict is Verdict.TOO_FEW
    assert effect.used == Side(0, 0)
    assert effect.others == Side(0, 0)


def test_a_stratum_with_zero_closed_deals_for_the_asset_is_left_out():
    with_empty = combine([(Side(15, 20), Side(45, 100)), (Side(0, 0), Side(70, 100))])
    assert with_empty == compare(Side(15, 20), Side(45, 100))


def test_a_stratum_with_a_single_closed_deal_on_either_side_is_kept():
    effect = combine(
        [
            (Side(15, 20), Side(45, 100)),
            (Side(1, 1), Side(70, 100)),
            (Side(5, 10), Side(1, 1)),
        ]
    )
    assert effect.used == Side(21, 31)


def test_the_comparison_shown_is_the_stage_holding_most_of_the_assets_deals():
    # The second stage has more comparison deals but fewer of the asset's.
    effect = combine([(Side(15, 20), Side(45, 100)), (Side(7, 10), Side(140, 200))])
    assert effect.others == Side(45, 100)


def test_combine_adds_the_squared_distances_of_every_stage():
    """Two stages, weights 20/30 and 10/30 (hand-computed, 90 %).

    Stage 1, 15/20 against 45/100: Wilson (0.567798, 0.872623) and
    (0.370561, 0.532073); d = 0.3, d - low = hypot(0.182202, 0.082073)
    = 0.199834, high - d = hypot(0.122623, 0.079439) = 0.146106.
    Stage 2, 7/10 against 70/100: Wilson (0.441700, 0.873123) and
    (0.620168, 0.769295); d = 0, d - low = hypot(0.258300, 0.069295)
    = 0.267434, high - d = hypot(0.173123, 0.079832) = 0.190643.
    Combined: d = 0.2, low = 0.2 - hypot(2/3 * 0.199834, 1/3 * 0.267434)
    = 0.039703, high = 0.2 + hypot(2/3 * 0.146106, 1/3 * 0.190643) = 0.316301.
    """
    effect = combine([(Side(15, 20), Side(45, 100)), (Side(7, 10), Side(70, 100))])
    assert effect.difference == pytest.approx(0.2)
    assert effect.low == pytest.approx(0.039703, abs=1e-5)
    assert effect.high == pytest.approx(0.316301, abs=1e-5)
    assert effect.verdict is Verdict.HELPS


# --- one-sided p-values -----------------------------------------------------


def test_one_sided_p_values_read_each_side_of_the_interval_as_z_standard_errors():
    # d = 0.1, 0.3 from each bound: se = 0.3 / z = 0.182387, d / se = 0.548290,
    # P(Z > 0.548290) = 0.291748.
    p_help, p_hurt = _one_sided_p(_effect(0.1, -0.2, 0.4))
    assert p_help == pytest.approx(0.291748, abs=1e-6)
    assert p_hurt == pytest.approx(1 - 0.291748, abs=1e-6)


def test_one_sided_p_values_of_an_uneven_interval_below_zero():
    # d = -0.3: below, se = 0.2 / z and P(Z > -2.467280) = 0.993193; above,
    # se = 0.4 / z and P(Z < -1.233640) = 0.108668.
    p_help, p_hurt = _one_sided_p(_effect(-0.3, -0.5, 0.1))
    assert p_help == pytest.approx(0.993193, abs=1e-6)
    assert p_hurt == pytest.approx(0.108668, abs=1e-6)


def test_a_bound_sitting_on_the_estimate_gives_a_certain_p_not_an_error():
    # 0 of 10 against 10 of 10: Wilson's bounds sit on 0 % and 100 %, so the
    # low end is the difference itself (-1): nothing at all for "helps".
    never = compare(Side(0, 10), Side(10, 10))
    assert never.low == never.difference == -1.0
    p_help, p_hurt = _one_sided_p(never)
    assert p_help == 1.0
    assert p_hurt < 1e-6
    # And the other way round: 10 of 10 against 0 of 10, nothing for "hurts".
    always = compare(Side(10, 10), Side(0, 10))
    assert always.high == always.difference == 1.0
    p_help, p_hurt = _one_sided_p(always)
    assert p_hurt == 1.0
    assert p_help < 1e-6


# --- Benjamini-Hochberg -----------------------------------------------------


def test_benjamini_hochberg_keeps_a_p_value_equal_to_its_threshold():
    # m = 2, q = 0.05: rank 1 must be <= 0.025, rank 2 <= 0.05.
    assert _benjamini_hochberg({"a": 0.025, "b": 0.5}, 0.05) == {"a"}


def test_benjamini_hochberg_leaves_out_a_p_value_over_its_ranks_threshold():
    # 0.04 is over rank 1's 0.025, and 0.5 over rank 2's 0.05: nothing kept.
    assert _benjamini_hochberg({"a": 0.04, "b": 0.5}, 0.05) == set()
    assert _benjamini_hochberg({"a": 0.01, "b": 0.9}, 0.05) == {"a"}


def test_benjamini_hochberg_ranks_by_p_value_not_by_name():
    assert _benjamini_hochberg({"a": 0.9, "b": 0.01}, 0.05) == {"b"}


def test_benjamini_hochberg_steps_up_from_the_largest_rank_that_passes():
    # 0.03 fails rank 1's 0.025, but 0.04 passes rank 2's 0.05: both kept.
    assert _benjamini_hochberg({"a": 0.03, "b": 0.04}, 0.05) == {"a", "b"}


def test_adjust_for_many_judges_each_side_at_half_the_miss_rate():
    # d = 0.2 with low 0.01 at 90 %: se = 0.19 / z, p(help) = P(Z > 1.731574)
    # = 0.041688. Alone (m = 1) it is kept at q = 0.10 / 2 = 0.05 (a third of
    # the miss rate, 0.033, would drop it).
    alone = {"a": _effect(0.2, 0.01, 0.39)}
    assert alone["a"].verdict is Verdict.HELPS
    assert adjust_for_many(alone)["a"].verdict is Verdict.HELPS
    # Beside a null asset (p = 0.5) rank 1 needs 0.025 and rank 2 0.05: taken
    # back (twice the miss rate, 0.2, would keep it).
    with_null = alone | {"null": _effect(0.0, -0.2, 0.2)}
    adjusted = adjust_for_many(with_null)
    assert adjusted["a"].verdict is Verdict.NO_CLEAR_EFFECT
    assert adjusted["a"].adjusted
