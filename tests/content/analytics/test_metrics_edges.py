"""Analytics figures at their edges: zeros, lost-only and amount-less deals, past
periods, the revenue ranking, the cache version and the CSV's derived columns.

Written against the survivors of mutation testing (docs/testing.md). Each test
builds the few rows it needs with factories; none uses the `world` library.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from content.analytics_csv import BOM
from content.models import DealOutcome
from content.selectors import analytics as a
from content.selectors.search import library_mean_rating
from content.services.events import daily_stats_add
from content.services.feedback import rating_set
from tests.factories import AssetFactory, DealFactory, UserFactory

from .conftest import closed, days_ago, use

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _figures(*assets, period=None) -> dict[int, a.AssetFigures]:
    period = period or a.Period.last(90)
    rows = a.asset_figures(
        assets=list(assets),
        period=period,
        overall=a.overall_win_rate(period=period),
        prior_mean=3.0,
    )
    return {row.asset.pk: row for row in rows}


def _titles(board: a.Dashboard) -> list[str]:
    return [row.asset.title for row in board.rows]


# --- Zeros ------------------------------------------------------------------------


def test_an_asset_with_no_activity_shows_zero_everywhere():
    quiet = AssetFactory(title="Quiet")
    row = _figures(quiet)[quiet.pk]
    assert (row.views, row.downloads, row.prospect_views) == (0, 0, 0)
    assert (row.unique_viewers, row.usages, row.deals) == (0, 0, 0)
    assert (row.deal_rate.closed, row.deal_rate.won) == (0, 0)
    assert row.deal_rate.rate is None
    assert row.revenue == Decimal("0.00")
    assert row.lift is None
    assert row.rating is None and row.bayesian is None


def test_an_asset_with_views_but_no_closed_deals_shows_zero_deal_figures():
    viewed = AssetFactory(title="Viewed")
    daily_stats_add(asset_id=viewed.pk, counts={"views": 3})
    use(viewed, DealFactory(), days=2)  # an open deal
    row = _figures(viewed)[viewed.pk]
    assert (row.views, row.downloads, row.unique_viewers) == (3, 0, 0)
    assert (row.usages, row.deals) == (1, 1)
    assert (row.deal_rate.closed, row.deal_rate.won) == (0, 0)
    assert row.revenue == Decimal("0.00")


def test_asset_with_only_lost_deals_shows_zero_won():
    card = AssetFactory(title="Card")
    use(card, closed(DealOutcome.LOST, "500"))
    use(card, closed(DealOutcome.LOST, "700"))
    row = _figures(card)[card.pk]
    assert (row.deal_rate.closed, row.deal_rate.won) == (2, 0)
    assert row.deal_rate.rate == 0
    assert row.revenue == Decimal("0.00")


# --- Deals counted right -----------------------------------------------------------


def test_two_won_deals_of_the_same_amount_both_count_in_revenue():
    deck = AssetFactory(title="Deck")
    use(deck, closed(DealOutcome.WON, "500"))
    use(deck, closed(DealOutcome.WON, "500"))
    row = _figures(deck)[deck.pk]
    assert (row.deal_rate.closed, row.deal_rate.won) == (2, 2)
    assert row.revenue == Decimal("1000.00")


def test_a_won_deal_without_an_amount_counts_as_won_adding_no_revenue():
    deck, card = AssetFactory(title="Deck"), AssetFactory(title="Card")
    unpriced = DealFactory(outcome=DealOutcome.WON, amount=None, closed_at=days_ago(10))
    use(deck, unpriced)
    use(card, unpriced)
    use(card, closed(DealOutcome.WON, "250"))
    rows = _figures(deck, card)
    assert (rows[deck.pk].deal_rate.won, rows[deck.pk].revenue) == (1, Decimal("0.00"))
    assert (rows[card.pk].deal_rate.won, rows[card.pk].revenue) == (
        2,
        Decimal("250.00"),
    )


def test_a_custom_period_ending_in_the_past_leaves_out_what_came_after():
    deck = AssetFactory(title="Deck")
    rep = UserFactory(role=Role.REP)
    use(deck, closed(DealOutcome.WON, "100", days=40, owner=rep), days=45)
    use(deck, closed(DealOutcome.LOST, "50", days=35, owner=rep), days=45)
    # After the period: a win, a use and views.
    use(deck, closed(DealOutcome.WON, "900", days=10, owner=rep), days=20)
    daily_stats_add(
        asset_id=deck.pk, counts={"views": 7}, day=_today() - datetime.timedelta(10)
    )
    daily_stats_add(
        asset_id=deck.pk, counts={"views": 2}, day=_today() - datetime.timedelta(40)
    )
    past = a.Period(
        _today() - datetime.timedelta(60), _today() - datetime.timedelta(30)
    )
    row = _figures(deck, period=past)[deck.pk]
    assert (row.deal_rate.closed, row.deal_rate.won) == (2, 1)
    assert row.revenue == Decimal("100.00")
    assert (row.usages, row.deals, row.views) == (2, 2, 2)
    overall = a.overall_win_rate(period=past)
    assert (overall.closed, overall.won) == (2, 1)
    assert a.adoption(period=past).reps_using == 1
    assert a.adoption(period=a.Period.last(5)).reps_using == 0


def test_deals_closed_on_the_last_day_of_a_period_belong_to_it():
    deck = AssetFactory(title="Deck")
    end = _today() - datetime.timedelta(days=3)
    last_minute = timezone.make_aware(
        datetime.datetime.combine(end, datetime.time(23, 59))
    )
    next_morning = last_minute + datetime.timedelta(minutes=2)
    use(deck, DealFactory(outcome=DealOutcome.WON, closed_at=last_minute))
    use(deck, DealFactory(outcome=DealOutcome.LOST, closed_at=next_morning))
    period = a.Period(end - datetime.timedelta(days=6), end)
    row = _figures(deck, period=period)[deck.pk]
    assert (row.deal_rate.closed, row.deal_rate.won) == (1, 1)
    overall = a.overall_win_rate(period=period)
    assert (overall.closed, overall.won) == (1, 1)


# --- The revenue ranking ------------------------------------------------------------


def test_the_revenue_ranking_counts_won_deals_only(admin_user):
    # Created first, so it has the lower id: ranked among zero revenues it
    # would come before Alpha, which has no deals at all.
    lost_only = AssetFactory(title="Yankee")
    use(lost_only, closed(DealOutcome.LOST, "800"))
    winner = AssetFactory(title="Zulu")
    use(winner, closed(DealOutcome.WON, "100"))
    AssetFactory(title="Alpha")
    retired = AssetFactory(title="Retired", retired=True)  # filtered out
    use(retired, closed(DealOutcome.WON, "900"))
    board = a.dashboard(
        user=admin_user,
        filters=a.AssetFilters(),
        period=a.Period.last(90),
        sort="revenue",
    )
    # Zulu is ranked; the rest follow in title order.
    assert _titles(board) == ["Zulu", "Alpha", "Yankee"]


# --- The cache version of the period's closed deals ------------------------------


def test_a_close_and_a_reopen_never_serve_stale_deal_figures(admin_user):
    deck, card = AssetFactory(title="Deck"), AssetFactory(title="Card")
    first, second = (
        DealFactory(amount=Decimal("100")),
        DealFactory(amount=Decimal("900")),
    )
    use(deck, first)
    use(card, second)

    def board():
        return a.dashboard(
            user=admin_user, filters=a.AssetFilters(), period=a.Period.last(90)
        )

    first.outcome, first.closed_at = DealOutcome.WON, days_ago(2)
    first.save()
    assert _titles(board()) == ["Deck", "Card"]
    # The first deal reopens and the second wins: as many closed and won deals
    # as before, but a later close.
    first.outcome, first.closed_at = DealOutcome.OPEN, None
    first.save()
    second.outcome, second.closed_at = DealOutcome.WON, days_ago(1)
    second.save()
    rows = board().rows
    assert [row.asset.title for row in rows] == ["Card", "Deck"]
    assert [row.revenue for row in rows] == [Decimal("900.00"), Decimal("0.00")]


def test_the_overall_version_names_the_latest_close():
    closed(DealOutcome.WON, "1", days=3)
    latest = closed(DealOutcome.LOST, "1", days=2)
    version = a.overall_win_rate(period=a.Period.last(90)).version
    assert version == f"2:1:{latest.closed_at.isoformat()}"
    assert a.overall_win_rate(period=a.Period.last(1)).version == "0:0:"


# --- Adoption ----------------------------------------------------------------------


def test_partner_adoption_has_its_own_rate_and_counts():
    reps = [UserFactory(role=Role.REP) for _ in range(2)]
    partners = [UserFactory(role=Role.PARTNER) for _ in range(4)]
    deck = AssetFactory(title="Deck")
    use(deck, DealFactory(owner=reps[0]))
    for partner in partners[:3]:
        use(deck, DealFactory(owner=partner))
    result = a.adoption(period=a.Period.last(90))
    assert (result.reps_using, result.reps) == (1, 2)
    assert (result.partners_using, result.partners) == (3, 4)
    assert result.rate == pytest.approx(1 / 2)
    assert result.partner_rate == pytest.approx(3 / 4)


# --- The CSV's derived columns -----------------------------------------------------


@pytest.fixture
def scored(admin_user, settings):
    """Enough closed deals for win rates and lift, and ratings for the Bayesian
    column. Overall: 4 closed, 2 won (50%)."""
    settings.WINGMAN_MIN_CLOSED_DEALS = 2
    deck, card = AssetFactory(title="Deck"), AssetFactory(title="Card")
    AssetFactory(title="Alpha")
    lost = closed(DealOutcome.LOST, "50")
    use(deck, closed(DealOutcome.WON, "100"))
    use(deck, closed(DealOutcome.WON, "200"))
    use(deck, lost)
    use(card, lost)
    use(card, closed(DealOutcome.LOST, "70"))
    raters = [UserFactory(role=Role.REP) for _ in range(2)]
    rating_set(user=raters[0], asset=deck, stars=4)
    rating_set(user=raters[0], asset=card, stars=1)
    rating_set(user=raters[1], asset=card, stars=2)
    # The library mean is cached for minutes; these figures need it now.
    library_mean_rating(fresh=True)
    return deck, card


def _csv(client, **params) -> dict[str, dict[str, str]]:
    response = client.get(reverse("content:export_dashboard"), params)
    body = b"".join(response.streaming_content).decode("utf-8")
    header, *rows = csv.reader(io.StringIO(body[len(BOM) :]))
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows}


def test_the_csv_shows_win_rate_lift_and_bayesian_rating_with_enough_deals(
    scored, admin_client_
):
    rows = _csv(admin_client_)
    deck, card = rows["Deck"], rows["Card"]
    assert (deck["closed deals (n)"], deck["won deals"]) == ("3", "2")
    assert deck["win rate %"] == "66.7"
    assert deck["lift (points)"] == "16.7"  # 66.7% - 50%
    assert (card["win rate %"], card["lift (points)"]) == ("0.0", "-50.0")
    assert deck["influenced revenue"] == "300.00"
    # Library mean 7/3 stars, weighted as 5 ratings.
    mean = 7 / 3
    assert deck["bayesian rating"] == str(round((5 * mean + 4) / 6, 2))
    assert card["bayesian rating"] == str(round((5 * mean + 3) / 7, 2))
    assert (card["average rating"], card["ratings"]) == ("1.5", "2")
    assert rows["Alpha"]["bayesian rating"] == ""


def test_the_csv_follows_a_ranked_sort(scored, admin_client_):
    # Revenue: Deck ranked, then the rest by title.
    assert list(_csv(admin_client_, sort="revenue")) == ["Deck", "Alpha", "Card"]
    # Win rate: both assets with enough closed deals are ranked.
    assert list(_csv(admin_client_, sort="win_rate")) == ["Deck", "Card", "Alpha"]


def test_the_export_keeps_the_order_across_chunks(scored, admin_user):
    rows = a.dashboard_export_rows(
        user=admin_user,
        filters=a.AssetFilters(),
        period=a.Period.last(90),
        sort="win_rate",
        chunk=2,
    )
    assert [row.asset.title for row in rows] == ["Deck", "Card", "Alpha"]


# --- Unknown sorts and the definitions ----------------------------------------------


def test_an_unknown_sort_falls_back_to_the_evidence_on_the_page_and_in_the_export(
    admin_user,
):
    AssetFactory(title="Alpha")
    winner = AssetFactory(title="Zulu")
    use(winner, closed(DealOutcome.WON, "100"))
    period = a.Period.last(90)
    board = a.dashboard(
        user=admin_user, filters=a.AssetFilters(), period=period, sort="bogus"
    )
    assert board.sort == "evidence"
    assert _titles(board) == ["Zulu", "Alpha"]
    rows = a.dashboard_export_rows(
        user=admin_user, filters=a.AssetFilters(), period=period, sort="bogus"
    )
    assert [row.asset.title for row in rows] == ["Zulu", "Alpha"]


def test_the_definitions_name_the_minimum_of_closed_deals(settings):
    settings.WINGMAN_MIN_CLOSED_DEALS = 7
    text = dict(a.definitions())["Win rate when used"]
    assert "Shown from 7 closed deals on" in text


def test_library_totals_count_each_action_list_of_published_assets(admin_user):
    day = datetime.timedelta(days=1)
    AssetFactory(title="Stale", review_by=_today() - day)
    AssetFactory(title="Expiring", review_by=_today() + 3 * day)
    AssetFactory(title="Low", rating_count=3, rating_total=6)
    AssetFactory(title="Fine", rating_count=3, rating_total=9)
    active = AssetFactory(title="Active")
    daily_stats_add(asset_id=active.pk, counts={"views": 1})
    AssetFactory(
        title="Retired", retired=True, review_by=_today() - day, rating_count=3
    )
    assets = a.analytics_assets(user=admin_user, filters=a.AssetFilters(status=""))
    totals = a.library_totals(assets=assets)
    assert totals == a.Totals(published=5, unused=4, stale=1, expiring=1, low_rated=1)
    # As of ten days ago the stale one was only expiring.
    earlier = a.library_totals(assets=assets, today=_today() - 10 * day)
    assert (earlier.stale, earlier.expiring) == (0, 2)


def test_an_amount_corrected_on_a_closed_deal_shows_within_five_minutes(
    admin_user, monkeypatch
):
    import time

    from django.core.cache.backends import locmem

    deck = AssetFactory(title="Deck")
    deal = closed(DealOutcome.WON, "100")
    use(deck, deal)

    def revenue():
        board = a.dashboard(
            user=admin_user, filters=a.AssetFilters(), period=a.Period.last(90)
        )
        return board.rows[0].revenue

    assert revenue() == Decimal("100.00")
    type(deal).objects.filter(pk=deal.pk).update(amount=Decimal("300"))
    # The closed deals are the same, so the cached figures still stand...
    assert revenue() == Decimal("100.00")
    # ...for five minutes.
    later = time.time() + 301
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert revenue() == Decimal("300.00")


def test_a_ranking_by_views_is_never_served_from_the_cache(admin_user):
    first, second = AssetFactory(title="First"), AssetFactory(title="Second")
    daily_stats_add(asset_id=first.pk, counts={"views": 2})

    def board():
        return a.dashboard(
            user=admin_user,
            filters=a.AssetFilters(),
            period=a.Period.last(90),
            sort="views",
        )

    assert _titles(board()) == ["First", "Second"]
    daily_stats_add(asset_id=second.pk, counts={"views": 5})
    assert _titles(board()) == ["Second", "First"]


# --- Guards ---------------------------------------------------------------------------


def test_deal_figures_of_no_assets_are_empty():
    assert a.deal_stats(asset_ids=[], period=a.Period.last(90), version="v") == {}


def test_sorting_by_an_unknown_figure_is_refused_naming_it(admin_user):
    assets = a.analytics_assets(user=admin_user)
    with pytest.raises(ValueError, match="^bogus$"):
        a.sorted_assets(assets=assets, sort="bogus", period=a.Period.last(90))


def test_ranked_assets_are_read_a_page_at_a_time_only(admin_user):
    ranked = a.sorted_assets(
        assets=a.analytics_assets(user=admin_user),
        sort="revenue",
        period=a.Period.last(90),
    )
    with pytest.raises(TypeError, match="^RankedAssets only supports slices$"):
        ranked[0]


def test_published_and_retired_together_never_include_drafts(admin_user):
    AssetFactory(title="Draft", draft=True)
    AssetFactory(title="Live")
    AssetFactory(title="Gone", retired=True)
    assets = a.analytics_assets(user=admin_user, filters=a.AssetFilters(status=""))
    assert sorted(assets.values_list("title", flat=True)) == ["Gone", "Live"]


def test_a_page_that_ends_with_the_ranked_assets_reads_nothing_else(
    admin_user, django_assert_num_queries
):
    for title in ("Deck", "Card"):
        use(AssetFactory(title=title), closed(DealOutcome.WON, "100"))
    AssetFactory(title="Unranked")
    ranked = a.sorted_assets(
        assets=a.analytics_assets(user=admin_user),
        sort="revenue",
        period=a.Period.last(90),
    )
    with django_assert_num_queries(1):
        page = ranked[0:2]
    assert sorted(asset.title for asset in page) == ["Card", "Deck"]
    assert [asset.title for asset in ranked[2:3]] == ["Unranked"]


def test_a_page_past_the_ranked_assets_comes_in_title_order(admin_user):
    for title in ("Zulu", "Mike", "Alpha"):
        AssetFactory(title=title)
    ranked = a.sorted_assets(
        assets=a.analytics_assets(user=admin_user),
        sort="revenue",
        period=a.Period.last(90),
    )
    assert [asset.title for asset in ranked[0:3]] == ["Alpha", "Mike", "Zulu"]


def test_the_dashboard_opens_on_its_first_page(admin_user):
    for title in ("Alpha", "Bravo"):
        AssetFactory(title=title)
    board = a.dashboard(
        user=admin_user,
        filters=a.AssetFilters(),
        period=a.Period.last(90),
        per_page=1,
    )
    assert board.page.number == 1
    assert _titles(board) == ["Alpha"]


def test_a_views_ranking_counts_only_the_periods_views_of_the_filtered_assets(
    admin_user,
):
    def viewed(title, views, days_ago, **kwargs):
        asset = AssetFactory(title=title, **kwargs)
        daily_stats_add(
            asset_id=asset.pk,
            counts={"views": views},
            day=_today() - datetime.timedelta(days=days_ago),
        )

    viewed("After", 9, 10)
    viewed("Within", 1, 40)
    viewed("Before", 5, 70)
    viewed("Retired", 7, 40, retired=True)
    past = a.Period(
        _today() - datetime.timedelta(60), _today() - datetime.timedelta(30)
    )
    board = a.dashboard(
        user=admin_user, filters=a.AssetFilters(), period=past, sort="views"
    )
    assert _titles(board) == ["Within", "After", "Before"]


def test_a_deals_ranking_puts_the_most_deals_first(admin_user):
    one, two = AssetFactory(title="One deal"), AssetFactory(title="Two deals")
    deal = DealFactory()
    for _ in range(3):  # one deal, however often it was used in it
        use(one, deal)
    use(one, DealFactory(), days=200)  # before the period
    use(two, DealFactory())
    use(two, DealFactory())
    gone = AssetFactory(title="Retired", retired=True)  # filtered out
    for _ in range(3):
        use(gone, DealFactory())
    board = a.dashboard(
        user=admin_user,
        filters=a.AssetFilters(),
        period=a.Period.last(90),
        sort="deals",
    )
    assert _titles(board) == ["Two deals", "One deal"]


def test_an_assets_figures_without_a_version_are_never_cached():
    deck = AssetFactory(title="Deck")
    deal = DealFactory(amount=Decimal("100"))
    use(deck, deal)
    assert _figures(deck)[deck.pk].revenue == Decimal("0.00")
    deal.outcome, deal.closed_at = DealOutcome.WON, days_ago(1)
    deal.save()
    assert _figures(deck)[deck.pk].revenue == Decimal("100.00")
