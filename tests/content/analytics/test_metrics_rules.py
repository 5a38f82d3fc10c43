"""Analytics rules pinned down against the survivors of the `analytics` mutation
run of 2 December 2026 (docs/testing.md): the table's loaded fields, the
"ratings" and evidence orders, the caches' keys and defaults, the filters and
the small helpers. Each test builds the few rows it needs with factories.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from content.models import Asset, AssetKind, DealOutcome
from content.selectors import analytics as a
from content.selectors.analytics import evidence
from content.selectors.analytics.board import scope_of, with_effects
from content.selectors.analytics.figures import _to_decimal
from content.selectors.analytics.ranking import evidence_effects
from content.services.events import daily_stats_add
from content.services.evidence import evidence_rebuild
from content.services.feedback import rating_set
from tests.content.analytics.evidence_data import Deals
from tests.factories import AssetFactory, StageFactory, UserFactory

from .conftest import closed, use

pytestmark = pytest.mark.django_db

# The export by evidence: the overall win rate, the library's mean rating, the
# views, the deals used in, the deal sums, the rows worked out ahead (none
# here), the effects (3, judged once), the count, the ids past the ranked ones
# and one chunk of assets.
EXPORT_BY_EVIDENCE_QUERIES = 12
# A precomputed page on a cold cache: the dashboard's 14 queries, the page's
# deal figures read with its evidence rows (no deal sums on top).
PRECOMPUTED_TITLE_PAGE_QUERIES = 14


def _ids(ordered) -> list[int]:
    return [asset.pk for asset in ordered[0 : len(ordered)]]


def _period() -> a.Period:
    return a.Period.last(90)


# --- The table's rows: one query, every shown field loaded ----------------------


def test_the_dashboard_table_loads_every_shown_field_and_the_owner_in_one_query(
    django_assert_num_queries,
):
    AssetFactory(title="Alpha")
    AssetFactory(title="Beta")
    with django_assert_num_queries(1):
        rows = list(
            a.sorted_assets(assets=Asset.objects.all(), sort="title", period=_period())
        )
        for asset in rows:
            shown = (
                asset.title,
                asset.kind,
                asset.status,
                asset.owner.username,
                asset.owner.first_name,
                asset.owner.last_name,
                asset.review_by,
                asset.published_at,
                asset.rating_count,
                asset.rating_total,
                asset.usage_count,
                asset.deal_count,
                asset.view_count,
                asset.download_count,
                asset.current_version_id,
            )
            assert shown[0] in ("Alpha", "Beta")
    assert [asset.title for asset in rows] == ["Alpha", "Beta"]


# --- Orders -------------------------------------------------------------------


def test_the_ratings_sort_puts_the_most_rated_first_then_by_title():
    raters = [UserFactory() for _ in range(3)]
    zed = AssetFactory(title="Zed")  # rated twice, created first
    once = AssetFactory(title="Once")
    never = AssetFactory(title="Never")
    also_twice = AssetFactory(title="Also twice")
    for rater in raters[:2]:
        rating_set(asset=zed, user=rater, stars=4)
        rating_set(asset=also_twice, user=rater, stars=2)
    rating_set(asset=once, user=raters[2], stars=5)
    ordered = a.sorted_assets(
        assets=Asset.objects.all(), sort="ratings", period=_period()
    )
    assert _ids(ordered) == [also_twice.pk, zed.pk, once.pk, never.pk]


def test_the_rating_sort_orders_unrated_assets_by_title():
    later = AssetFactory(title="Zulu")
    earlier = AssetFactory(title="Alpha")
    ordered = a.sorted_assets(
        assets=Asset.objects.all(), sort="rating", period=_period()
    )
    assert _ids(ordered) == [earlier.pk, later.pk]


def test_the_evidence_sort_works_out_the_effects_itself_most_deals_first():
    few = AssetFactory(title="Few deals", kind=AssetKind.DECK)  # the lower id
    many = AssetFactory(title="Many deals", kind=AssetKind.DECK)
    filtered_out = AssetFactory(title="A one-pager", kind=AssetKind.ONE_PAGER)
    use(few, closed(DealOutcome.WON, "1000"))
    use(filtered_out, closed(DealOutcome.WON, "1000"))
    for outcome in (DealOutcome.WON, DealOutcome.LOST, DealOutcome.WON):
        use(many, closed(outcome, "1000"))
    decks = a.AssetFilters(kind=AssetKind.DECK).apply(Asset.objects.all())
    ordered = a.sorted_assets(assets=decks, sort="evidence", period=_period())
    assert ordered.ranked_ids == [many.pk, few.pk]
    assert _ids(ordered) == [many.pk, few.pk]


def test_the_evidence_sort_against_a_competitor_lists_the_rest_after_the_ranked():
    ranked = AssetFactory(title="Alpha")
    rest = AssetFactory(title="Beta")
    use(ranked, closed(DealOutcome.WON, "1000", competitor="Acme"))
    scope = evidence.EvidenceScope(period=_period(), competitor="Acme")
    ordered = a.sorted_assets(
        assets=Asset.objects.all(), sort="evidence", period=_period(), scope=scope
    )
    assert ordered.ranked_ids == [ranked.pk]
    assert _ids(ordered) == [ranked.pk, rest.pk]


# --- Caches: no version means no cache; the key holds what changes the answer ---


def test_a_deal_ranking_without_a_version_is_worked_out_afresh_each_time():
    first = AssetFactory(title="First")
    second = AssetFactory(title="Second")
    use(first, closed(DealOutcome.WON, "1000"))
    assets = Asset.objects.all()
    ordered = a.sorted_assets(assets=assets, sort="revenue", period=_period())
    assert ordered.ranked_ids == [first.pk]
    use(second, closed(DealOutcome.WON, "5000"))
    ordered = a.sorted_assets(assets=assets, sort="revenue", period=_period())
    assert ordered.ranked_ids == [second.pk, first.pk]


def test_evidence_without_a_version_is_worked_out_afresh_each_time():
    first = AssetFactory(title="First")
    second = AssetFactory(title="Second")
    use(first, closed(DealOutcome.WON, "1000"))
    scope = evidence.EvidenceScope(period=_period())
    assets = Asset.objects.all()
    assert set(evidence_effects(assets=assets, scope=scope)) == {first.pk}
    use(second, closed(DealOutcome.LOST, "1000"))
    assert set(evidence_effects(assets=assets, scope=scope)) == {
        first.pk,
        second.pk,
    }


def test_cached_evidence_at_one_stage_is_not_served_for_every_stage():
    late = StageFactory(name="Late", order=90)
    asset = AssetFactory(title="Deck")
    other = AssetFactory(title="Other")
    for outcome in (DealOutcome.WON, DealOutcome.WON, DealOutcome.LOST):
        use(asset, closed(outcome, "1000", stage=late))
    for outcome in (DealOutcome.LOST, DealOutcome.LOST, DealOutcome.WON):
        use(other, closed(outcome, "1000"))
    assets = Asset.objects.all()
    everywhere = evidence.EvidenceScope(period=_period())
    at_late = evidence.EvidenceScope(period=_period(), stage=late)
    evidence_effects(assets=assets, scope=everywhere, version="v1")
    cached = evidence_effects(assets=assets, scope=at_late, version="v1")
    assert cached == evidence.effects(at_late, among=assets)
    assert cached != evidence.effects(everywhere, among=assets)


def test_a_cached_deal_ranking_is_kept_apart_for_two_filters_of_the_same_size():
    deck = AssetFactory(title="Deck", kind=AssetKind.DECK)
    sheet = AssetFactory(title="Sheet", kind=AssetKind.ONE_PAGER)
    use(deck, closed(DealOutcome.WON, "1000"))
    use(sheet, closed(DealOutcome.WON, "2000"))
    period = _period()
    decks = a.AssetFilters(kind=AssetKind.DECK).apply(Asset.objects.all())
    sheets = a.AssetFilters(kind=AssetKind.ONE_PAGER).apply(Asset.objects.all())
    a.sorted_assets(assets=decks, sort="revenue", period=period, version="v1")
    ordered = a.sorted_assets(
        assets=sheets, sort="revenue", period=period, version="v1"
    )
    assert ordered.ranked_ids == [sheet.pk]


# --- Rankings over a filtered set ---------------------------------------------


@pytest.mark.parametrize("sort", ["revenue", "win_rate"])
def test_a_deal_ranking_ranks_only_the_filtered_assets(sort, settings):
    settings.WINGMAN_MIN_CLOSED_DEALS = 1
    deck = AssetFactory(title="Deck", kind=AssetKind.DECK)
    sheet = AssetFactory(title="Sheet", kind=AssetKind.ONE_PAGER)
    use(deck, closed(DealOutcome.WON, "1000"))
    use(sheet, closed(DealOutcome.WON, "2000"))
    decks = a.AssetFilters(kind=AssetKind.DECK).apply(Asset.objects.all())
    ordered = a.sorted_assets(assets=decks, sort=sort, period=_period())
    assert ordered.ranked_ids == [deck.pk]
    assert _ids(ordered) == [deck.pk]


# --- Filters, periods, definitions, figures -------------------------------------


def test_the_owner_filter_keeps_that_owners_assets():
    mine = AssetFactory(title="Mine")
    AssetFactory(title="Theirs")
    filtered = a.AssetFilters(owner=mine.owner).apply(Asset.objects.all())
    assert list(filtered) == [mine]


def test_a_preset_period_remembers_its_length_for_its_label():
    period = a.Period.last(30)
    assert period.preset == 30
    assert period.label == "the last 30 days"


def test_the_definitions_state_the_evidence_level_in_percent(settings):
    settings.WINGMAN_EVIDENCE_LEVEL = 0.9
    text = " ".join(text for _term, text in a.definitions())
    assert "90% confident" in text


def test_a_decimal_sum_is_shown_to_the_cent():
    assert str(_to_decimal(Decimal("1000.5"))) == "1000.50"
    assert str(_to_decimal(Decimal("2.345"))) == "2.34"


def test_period_figures_only_cover_the_assets_asked_for():
    asked = AssetFactory(title="Asked")
    other = AssetFactory(title="Other")
    today = timezone.localdate() - datetime.timedelta(days=1)
    for asset in (asked, other):
        daily_stats_add(asset_id=asset.pk, counts={"views": 2}, day=today)
        use(asset, closed(DealOutcome.WON, "1000"))
    period = _period()
    assert set(a.period_stats(period=period, asset_ids=[asked.pk])) == {asked.pk}
    assert set(a.deals_used_in(period=period, asset_ids=[asked.pk])) == {asked.pk}


def test_an_open_deal_carrying_a_close_date_is_not_in_the_overall_win_rate():
    closed(DealOutcome.WON, "1000")
    closed(DealOutcome.OPEN, "1000")  # reopened, its old close date kept
    overall = a.overall_win_rate(period=_period())
    assert (overall.closed, overall.won) == (1, 1)


def test_the_evidence_sort_keeps_its_effects_for_the_version_of_the_closed_deals():
    first = AssetFactory(title="First")
    second = AssetFactory(title="Second")
    use(first, closed(DealOutcome.WON, "1000"))
    assets = Asset.objects.all()
    period = _period()
    ordered = a.sorted_assets(
        assets=assets, sort="evidence", period=period, version="v1"
    )
    assert ordered.ranked_ids == [first.pk]
    # A deal closing changes the version; under the same one the cache answers.
    use(second, closed(DealOutcome.WON, "1000"))
    again = a.sorted_assets(assets=assets, sort="evidence", period=period, version="v1")
    assert again.ranked_ids == [first.pk]
    fresh = a.sorted_assets(assets=assets, sort="evidence", period=period, version="v2")
    assert set(fresh.ranked_ids) == {first.pk, second.pk}


# --- The board: its evidence scope, the page's and the export's evidence order ---


def _acme_world():
    """Alpha: one won deal against Acme. Beta: three deals against nobody,
    so only the competitor scope ranks Alpha first. A one-pager, filtered out
    by kind, has deals against Acme too."""
    alpha = AssetFactory(title="Alpha", kind=AssetKind.DECK)
    beta = AssetFactory(title="Beta", kind=AssetKind.DECK)
    sheet = AssetFactory(title="A sheet", kind=AssetKind.ONE_PAGER)
    use(alpha, closed(DealOutcome.WON, "1000", competitor="Acme"))
    use(sheet, closed(DealOutcome.WON, "1000", competitor="Acme"))
    for outcome in (DealOutcome.WON, DealOutcome.LOST, DealOutcome.WON):
        use(beta, closed(outcome, "1000"))
    filters = a.AssetFilters(kind=AssetKind.DECK, competitor="Acme")
    return alpha, beta, filters


def test_the_evidence_scope_takes_the_filters_stage_and_competitor():
    stage = StageFactory(name="Demo")
    period = _period()
    scope = scope_of(a.AssetFilters(stage=stage, competitor="Acme"), period)
    assert scope == evidence.EvidenceScope(
        period=period, stage=stage, competitor="Acme"
    )


def test_each_row_gets_its_own_assets_effect():
    asset = AssetFactory(title="Deck")
    use(asset, closed(DealOutcome.WON, "1000"))
    period = _period()
    rows = a.asset_figures(
        assets=[asset],
        period=period,
        overall=a.overall_win_rate(period=period),
        prior_mean=3.0,
    )
    effects = evidence.effects(
        evidence.EvidenceScope(period=period), among=Asset.objects.all()
    )
    with_effects(rows, effects)
    assert rows[0].effect is effects[asset.pk]


def test_the_export_by_evidence_against_a_competitor_lists_only_the_filtered_assets():
    alpha, beta, filters = _acme_world()
    admin = UserFactory(role="admin")
    rows = list(
        a.dashboard_export_rows(
            user=admin, filters=filters, period=_period(), sort="evidence"
        )
    )
    assert [row.asset.pk for row in rows] == [alpha.pk, beta.pk]
    assert rows[0].effect.used.closed == 1
    assert rows[1].effect.used.closed == 0  # no deal against Acme


def test_the_page_by_evidence_against_a_competitor_lists_the_rest_after_the_ranked():
    alpha, beta, filters = _acme_world()
    admin = UserFactory(role="admin")
    period = _period()
    board = a.dashboard(user=admin, filters=filters, period=period, sort="evidence")
    assert [row.asset.pk for row in board.rows] == [alpha.pk, beta.pk]
    assert board.period == period
    assert board.scope == scope_of(filters, period)
    assert board.precomputed is None


def test_the_export_by_evidence_judges_the_evidence_once(django_assert_num_queries):
    alpha, beta, filters = _acme_world()
    admin = UserFactory(role="admin")
    with django_assert_num_queries(EXPORT_BY_EVIDENCE_QUERIES):
        rows = list(
            a.dashboard_export_rows(
                user=admin, filters=filters, period=_period(), sort="evidence"
            )
        )
    assert len(rows) == 2


def test_the_evidence_sort_ranks_an_asset_used_only_in_lost_deals_once():
    lost_only = AssetFactory(title="Alpha")
    unused = AssetFactory(title="Beta")
    use(lost_only, closed(DealOutcome.LOST, "1000"))
    ordered = a.sorted_assets(
        assets=Asset.objects.all(), sort="evidence", period=_period()
    )
    assert ordered.ranked_ids == [lost_only.pk]
    assert _ids(ordered) == [lost_only.pk, unused.pk]


# --- The board with the evidence worked out ahead (AssetEvidence rows) ----------


def _evidence_world():
    """As in test_evidence_precomputed: a helper, a plain asset, an unused one."""
    early = StageFactory(name="Early", order=1)
    late = StageFactory(name="Late", order=2)
    helper = AssetFactory(title="Helper")
    plain = AssetFactory(title="Plain")
    AssetFactory(title="Never used")
    deals = Deals()
    deals.add(30, won=True, at=late, used=[(helper, early), (plain, early)])
    deals.add(5, won=False, at=late, used=[(helper, early)])
    deals.add(10, won=False, at=early, used=[(plain, early)])
    deals.add(40, won=False, at=early)
    return {"helper": helper, "plain": plain, "deals": deals, "early": early}


def _board(sort: str) -> a.Dashboard:
    admin = UserFactory(role="admin")
    return a.dashboard(
        user=admin, filters=a.AssetFilters(), period=_period(), sort=sort
    )


def _shown(board: a.Dashboard) -> list[tuple]:
    return [
        (row.asset.pk, row.effect, row.deal_rate, row.revenue) for row in board.rows
    ]


@pytest.mark.parametrize("sort", ["title", "revenue", "evidence"])
def test_a_page_read_from_the_evidence_rows_shows_what_judging_it_shows(sort):
    _evidence_world()
    live = _board(sort)
    evidence_rebuild()
    ahead = _board(sort)
    assert live.precomputed is None
    assert ahead.precomputed is not None and ahead.precomputed.current
    assert len(ahead.rows) == 3
    assert _shown(ahead) == _shown(live)
    assert ahead.page.paginator.count == 3


def test_deal_figures_are_summed_afresh_when_deals_closed_since_the_rows():
    world = _evidence_world()
    evidence_rebuild()
    world["deals"].add(
        3, won=True, at=world["early"], used=[(world["plain"], world["early"])]
    )
    stale = _board("title")
    assert not stale.precomputed.current
    plain = next(row for row in stale.rows if row.asset.pk == world["plain"].pk)
    assert (plain.deal_rate.closed, plain.deal_rate.won) == (43, 33)


def test_a_page_read_from_current_evidence_rows_sums_no_deals(
    django_assert_num_queries,
):
    _evidence_world()
    evidence_rebuild()
    admin = UserFactory(role="admin")
    with django_assert_num_queries(PRECOMPUTED_TITLE_PAGE_QUERIES):
        a.dashboard(
            user=admin, filters=a.AssetFilters(), period=_period(), sort="title"
        )


def test_a_page_read_from_evidence_rows_keeps_its_deal_ranking_for_the_version(
    django_assert_num_queries,
):
    _evidence_world()
    evidence_rebuild()
    admin = UserFactory(role="admin")
    a.dashboard(user=admin, filters=a.AssetFilters(), period=_period(), sort="revenue")
    # Again: the same 8 queries as the title order, no ranking query.
    with django_assert_num_queries(8):
        a.dashboard(
            user=admin, filters=a.AssetFilters(), period=_period(), sort="revenue"
        )


def test_the_evidence_order_read_from_its_rows_judges_nothing_on_the_page(
    django_assert_num_queries,
):
    _evidence_world()
    evidence_rebuild()
    admin = UserFactory(role="admin")
    with django_assert_num_queries(PRECOMPUTED_TITLE_PAGE_QUERIES + 1):  # the ranks
        board = a.dashboard(
            user=admin, filters=a.AssetFilters(), period=_period(), sort="evidence"
        )
    assert board.precomputed is not None


def test_a_later_page_read_from_the_evidence_rows_shows_the_later_assets():
    world = _evidence_world()
    evidence_rebuild()
    admin = UserFactory(role="admin")
    board = a.dashboard(
        user=admin,
        filters=a.AssetFilters(),
        period=_period(),
        sort="evidence",
        page_number=2,
        per_page=1,
    )
    assert board.precomputed is not None
    assert board.page.number == 2
    assert [row.asset.pk for row in board.rows] == [world["plain"].pk]
