"""Where the evidence shows: the dashboard, its CSV, the asset report, the
stage coverage grid and the API, with their filters and bad input."""

import csv
import io

import pytest
from django.urls import reverse

from content.models import AssetKind
from tests.content.analytics.evidence_data import Deals
from tests.factories import AssetFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence_world(marketer, settings):
    """The battle card, used at Demo in Rivalry Inc deals, wins 9 of 12; deals
    that reached Demo without it win 16 of 40 (6 of 20 against Rivalry). The
    pricing page at Closing wins 5 of 10, as other deals that got there do.
    Acme deals never used the card."""
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 10
    settings.WINGMAN_EVIDENCE_LEVEL = 0.9
    discovery = StageFactory(name="Discovery", slug="discovery", order=1)
    demo = StageFactory(name="Demo", slug="demo", order=2)
    closing = StageFactory(name="Closing", slug="closing", order=3)
    card = AssetFactory(
        title="Rivalry battle card",
        kind=AssetKind.BATTLE_CARD,
        owner=marketer,
        stages=[demo],
    )
    pricing = AssetFactory(title="Pricing page", owner=marketer, stages=[closing])
    deals = Deals()
    rivalry = "Rivalry Inc"
    deals.add(9, won=True, at=demo, used=[(card, demo)], competitor=rivalry)
    deals.add(3, won=False, at=demo, used=[(card, demo)], competitor=rivalry)
    deals.add(6, won=True, at=demo, competitor=rivalry)
    deals.add(14, won=False, at=demo, competitor=rivalry)
    deals.add(5, won=True, at=closing, used=[(pricing, closing)], competitor="Acme")
    deals.add(5, won=False, at=closing, used=[(pricing, closing)], competitor="Acme")
    deals.add(5, won=True, at=closing, competitor="Acme")
    deals.add(5, won=False, at=closing, competitor="Acme")
    deals.add(20, won=False, at=discovery, competitor="Acme")
    return {"card": card, "pricing": pricing, "demo": demo, "closing": closing}


def test_dashboard_sorts_by_evidence_by_default_and_shows_verdicts(
    evidence_world, admin_client_
):
    response = admin_client_.get(reverse("content:dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.sort == "evidence"
    rows = {row.asset.title: row for row in board.rows}
    assert board.rows[0].asset == evidence_world["card"]
    assert str(rows["Rivalry battle card"].effect.verdict) == "helps"
    assert str(rows["Pricing page"].effect.verdict) == "no clear effect"
    html = response.content.decode()
    assert "Verdict" in html and "Effect on winning" in html
    assert "n 12 vs 40" in html  # the n on each side
    assert "Influenced revenue" in html  # still a column
    assert "had not used\nit by then" in html or "had not used it by then" in html


def test_dashboard_filters_the_evidence_by_competitor(evidence_world, admin_client_):
    response = admin_client_.get(
        reverse("content:dashboard"), {"competitor": "Acme", "days": "90"}
    )
    rows = {row.asset.title: row for row in response.context["board"].rows}
    assert response.context["board"].scope.competitor == "Acme"
    assert rows["Rivalry battle card"].effect.used.closed == 0
    assert str(rows["Rivalry battle card"].effect.verdict) == "too few deals"
    assert rows["Pricing page"].effect.used.closed == 10


def test_against_one_competitor_the_comparison_is_that_competitors_deals(
    evidence_world, admin_client_
):
    response = admin_client_.get(
        reverse("content:dashboard"), {"competitor": "Rivalry Inc"}
    )
    card = response.context["board"].rows[0]
    assert card.asset == evidence_world["card"]
    assert (card.effect.others.won, card.effect.others.closed) == (6, 20)
    assert str(card.effect.verdict) == "helps"


def test_dashboard_stage_filter_judges_at_that_stage(evidence_world, admin_client_):
    response = admin_client_.get(reverse("content:dashboard"), {"stage": "demo"})
    rows = response.context["board"].rows
    assert [row.asset.title for row in rows] == ["Rivalry battle card"]
    assert rows[0].effect.used.closed == 12


@pytest.mark.parametrize(
    "params",
    [
        {"competitor": "Nobody Corp"},
        {"competitor": "x" * 500},
        {"competitor": "\x00"},
        {"stage": "no-such-stage"},
        {"sort": "evidence; DROP TABLE"},
    ],
)
def test_bad_filters_show_an_error_not_a_500(evidence_world, admin_client_, params):
    response = admin_client_.get(reverse("content:dashboard"), params)
    assert response.status_code == 200
    # A wrong filter is left out: the evidence of every deal shows.
    rows = {row.asset.title: row for row in response.context["board"].rows}
    assert rows["Rivalry battle card"].effect.used.closed == 12
    if "competitor" in params:
        assert response.context["form"].errors.get("competitor")


def test_dashboard_csv_has_the_evidence_columns(evidence_world, admin_client_):
    response = admin_client_.get(reverse("content:export_dashboard"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"] == "Rivalry battle card"
    assert rows[0]["verdict"] == "helps"
    assert rows[0]["deals that used it (n)"] == "12"
    assert rows[0]["of which won"] == "9"
    assert rows[0]["comparison deals (n)"] == "40"
    assert rows[0]["interval level %"] == "90"
    assert float(rows[0]["effect (points)"]) == pytest.approx(35.0)
    assert float(rows[0]["effect low (points)"]) > 0


def test_asset_report_shows_the_effect_at_each_stage(evidence_world, admin_client_):
    card = evidence_world["card"]
    response = admin_client_.get(reverse("content:asset_report", args=[card.pk]))
    effects = response.context["stage_effects"]
    assert [row.stage.slug for row in effects] == ["demo"]
    assert str(effects[0].effect.verdict) == "helps"
    assert "Effect on winning, by stage" in response.content.decode()


def test_coverage_marks_stages_whose_assets_show_no_help(evidence_world, admin_client_):
    response = admin_client_.get(reverse("content:coverage"))
    rows = {row.stage.slug: row for row in response.context["rows"]}
    assert rows["closing"].evidence == "no clear effect"
    assert rows["demo"].evidence == ""
    assert "no asset shows it helps" in response.content.decode()


def test_api_figures_include_the_evidence(evidence_world, admin_client_):
    card = evidence_world["card"]
    response = admin_client_.get(f"/api/v1/assets/{card.pk}/figures/")
    assert response.status_code == 200
    data = response.json()
    assert data["verdict"] == "helps"
    assert data["evidence_deals"] == 12
    assert data["comparison_deals"] == 40
    assert data["effect"] == pytest.approx(0.35)
    assert data["effect_low"] > 0
    assert data["interval_level"] == 0.9
    assert [row["stage"] for row in data["stages"]] == ["demo"]
