"""The dashboard's evidence worked out ahead (`AssetEvidence`): the page reads
the rows (with no filter, or one stage, or one competitor), shows when they
were worked out, says so when deals closed since (and asks the queue for fresh
ones, once), and judges anything else itself."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from content.models import AssetEvidence
from content.selectors import analytics as a
from content.selectors.analytics.board import dashboard
from content.services.evidence import evidence_rebuild, evidence_rebuild_soon
from tests.content.analytics.evidence_data import Deals
from tests.factories import AssetFactory, StageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    early = StageFactory(name="Early", order=1)
    late = StageFactory(name="Late", order=2)
    helper = AssetFactory(title="Helper", status="published")
    plain = AssetFactory(title="Plain", status="published")
    AssetFactory(title="Never used", status="published")
    deals = Deals()
    deals.add(30, won=True, at=late, used=[(helper, early), (plain, early)])
    deals.add(5, won=False, at=late, used=[(helper, early)])
    deals.add(10, won=False, at=early, used=[(plain, early)])
    deals.add(40, won=False, at=early)
    deals.add(15, won=True, at=early)
    return {"helper": helper, "plain": plain, "deals": deals, "early": early}


@pytest.fixture
def admin():
    return UserFactory(role="admin")


def _board(admin, **filters):
    return dashboard(
        user=admin, filters=a.AssetFilters(**filters), period=a.Period.last(90)
    )


def test_the_rebuild_writes_each_preset_period_in_the_dashboards_order(world):
    written = evidence_rebuild()
    assert written == AssetEvidence.objects.count() == 2 * 3  # two used, 3 periods
    rows = list(AssetEvidence.objects.filter(days=90).order_by("rank"))
    assert [row.asset_id for row in rows] == [world["helper"].pk, world["plain"].pk]
    helper = rows[0]
    assert helper.verdict == "helps"
    assert (helper.deals_closed, helper.deals_won) == (35, 30)


def _assert_rows_match_the_judged_page(live, ahead) -> None:
    """The board from precomputed rows shows what judging on the page showed."""
    assert live.precomputed is None
    assert ahead.precomputed is not None and ahead.precomputed.current
    assert [r.asset.pk for r in ahead.rows] == [r.asset.pk for r in live.rows]
    for before, after in zip(live.rows, ahead.rows, strict=True):
        assert after.effect == before.effect
        assert after.deal_rate == before.deal_rate
        assert after.revenue == before.revenue


def test_the_page_reads_the_rows_and_shows_the_same_as_judging_it(world, admin):
    live = _board(admin)
    evidence_rebuild()
    ahead = _board(admin)
    _assert_rows_match_the_judged_page(live, ahead)


@pytest.mark.parametrize("chosen", ["stage", "competitor"])
def test_one_filter_reads_its_own_rows_and_shows_the_same_as_judging_it(
    world, admin, chosen
):
    early, late = world["early"], StageFactory(name="Late")
    world["helper"].stages.add(early)
    world["plain"].stages.add(late)
    deck = AssetFactory(title="Deck", status="published", stages=[early])
    world["deals"].add(
        12, won=True, at=late, used=[(deck, early)], competitor="Rivalry Inc"
    )
    world["deals"].add(
        14,
        won=False,
        at=early,
        used=[(world["helper"], early)],
        competitor="Rivalry Inc",
    )
    world["deals"].add(20, won=False, at=early, competitor="Rivalry Inc")
    filters = {"stage": early} if chosen == "stage" else {"competitor": "Rivalry Inc"}
    live = _board(admin, **filters)
    evidence_rebuild()
    ahead = _board(admin, **filters)
    _assert_rows_match_the_judged_page(live, ahead)
    # Its own rows, not the unfiltered ones: the verdicts differ.
    whole = _board(admin)
    assert {r.asset.pk: r.effect for r in whole.rows} != {
        r.asset.pk: r.effect for r in ahead.rows
    }


def test_a_stage_and_a_competitor_or_another_set_is_judged_on_the_page(world, admin):
    world["helper"].stages.add(world["early"])
    evidence_rebuild()
    assert _board(admin, stage=world["early"]).precomputed is not None
    both = _board(admin, stage=world["early"], competitor="Rivalry Inc")
    assert both.precomputed is None
    assert _board(admin, kind="deck").precomputed is None
    # A competitor no deal named when the rows were worked out.
    assert _board(admin, competitor="Nobody Ltd").precomputed is None
    custom = dashboard(
        user=admin,
        filters=a.AssetFilters(),
        period=a.Period(a.Period.last(90).start, a.Period.last(90).end),
    )
    assert custom.precomputed is None


def test_deals_closed_since_are_told_and_a_rebuild_is_enqueued_once(
    world, admin, client, django_capture_on_commit_callbacks
):
    evidence_rebuild()
    client.force_login(admin)
    page = client.get(reverse("content:dashboard"), {"days": 90})
    assert b"evidence-as-of" in page.content
    assert b"deals have closed since" not in page.content
    world["deals"].add(
        3, won=True, at=world["early"], used=[(world["plain"], world["early"])]
    )
    stale = _board(admin)
    assert not stale.precomputed.current
    with django_capture_on_commit_callbacks() as callbacks:
        page = client.get(reverse("content:dashboard"), {"days": 90})
        again = client.get(reverse("content:dashboard"), {"days": 90})
    assert b"deals have closed since" in page.content
    assert again.status_code == 200
    assert len(callbacks) == 1  # one rebuild for this state of the deals
    assert not evidence_rebuild_soon(version=stale.overall.version)


def test_rebuild_daily_stats_also_works_the_evidence_out(world):
    out = StringIO()
    call_command("rebuild_daily_stats", stdout=out)
    assert "Worked out 6 evidence rows" in out.getvalue()
    assert AssetEvidence.objects.filter(days=90).count() == 2


def test_the_page_with_rows_stays_under_its_query_budget(
    world, admin, client, django_assert_max_num_queries
):
    from tests.content.analytics.test_query_counts import DASHBOARD_MAX_QUERIES

    evidence_rebuild()
    client.force_login(admin)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        assert client.get(reverse("content:dashboard"), {"days": 90}).status_code == 200


def test_analytics_roles_only(world, client):
    evidence_rebuild()
    client.force_login(UserFactory(role="rep"))
    assert client.get(reverse("content:dashboard")).status_code in (302, 403)


@pytest.mark.parametrize("filters", [{}, {"stage": "early"}])
def test_the_export_reads_the_rows_and_writes_the_same_as_judging_it(
    world, admin, client, monkeypatch, filters
):
    from content.selectors.analytics import evidence

    world["helper"].stages.add(world["early"])
    client.force_login(admin)
    url, query = reverse("content:export_dashboard"), {"days": 90, **filters}
    judged = b"".join(client.get(url, query).streaming_content)
    evidence_rebuild()

    def judge_again(*args, **kwargs):
        raise AssertionError("the export judged every asset again")

    monkeypatch.setattr(evidence, "effects", judge_again)
    assert b"".join(client.get(url, query).streaming_content) == judged
