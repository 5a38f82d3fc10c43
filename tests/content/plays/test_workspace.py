"""The deal workspace: the play ticked, "Recommended next" with reasons, one click."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from content.models import DealStageChange, Usage
from content.segments import segment_for
from content.selectors.recommendations import Evidence, deal_workspace
from content.services.deals import deal_create, deal_update
from tests.content.plays.conftest import RIVAL
from tests.factories import AssetFactory, DealFactory, UsageFactory

pytestmark = pytest.mark.django_db


def titles(workspace):
    return [rec.asset.title for rec in workspace.recommendations]


def test_play_first_then_evidence_with_reasons_in_words(
    demo, evidence, rival_deal, rep
):
    workspace = deal_workspace(user=rep, deal=rival_deal)
    assert titles(workspace)[:3] == [
        "Demo deck",
        "Rivalry battle card",
        "Partner demo sheet",
    ]
    reasons = {rec.asset.title: rec.reasons for rec in workspace.recommendations}
    assert reasons["Demo deck"][0] == "in the play"
    assert (
        "won 7 of 9 deals against Rivalry Inc at this stage"
        in reasons["Rivalry ROI case study"]
    )
    assert len(workspace.recommendations) == 5
    assert all(rec.reasons for rec in workspace.recommendations)


def test_the_winner_ranks_above_the_loser(demo, evidence, rival_deal, rep):
    names = titles(deal_workspace(user=rep, deal=rival_deal))
    assert names.index("Rivalry ROI case study") < names.index("Generic video")


def test_used_assets_are_ticked_and_not_recommended(demo, evidence, rival_deal, rep):
    UsageFactory(deal=rival_deal, asset=demo.deck, stage=demo.stage)
    workspace = deal_workspace(user=rep, deal=rival_deal)
    assert "Demo deck" not in titles(workspace)
    ticks = {item.asset.title: used for item, used in workspace.play_rows}
    assert ticks == {
        "Demo deck": True,
        "Rivalry battle card": False,
        "Partner demo sheet": False,
    }


def test_partner_gets_no_internal_asset(demo, evidence, partner):
    deal = DealFactory(owner=partner, stage=demo.stage, competitor=RIVAL)
    workspace = deal_workspace(user=partner, deal=deal)
    assert titles(workspace) == ["Partner demo sheet"]
    assert [i.asset.title for i, _ in workspace.play_rows] == ["Partner demo sheet"]


def test_drafts_are_never_recommended_even_to_marketers(demo, evidence, marketer):
    deal = DealFactory(owner=marketer, stage=demo.stage)
    assert "Draft demo script" not in titles(deal_workspace(user=marketer, deal=deal))


def test_small_counts_are_never_shown_in_words(demo, rep):
    other = DealFactory(stage=demo.stage, competitor=RIVAL, outcome="won")
    UsageFactory(deal=other, asset=demo.winner, stage=demo.stage)
    deal = DealFactory(owner=rep, stage=demo.stage, competitor=RIVAL)
    text = " ".join(
        r
        for rec in deal_workspace(user=rep, deal=deal).recommendations
        for r in rec.reasons
    )
    assert "won 1 of 1" not in text


def test_one_lucky_win_ranks_below_a_steady_record():
    lucky = Evidence(n=1, won=1)
    steady = Evidence(n=20, won=16)
    assert steady.score(0.5) > lucky.score(0.5)


def test_similar_deals_count_more():
    plain = Evidence(n=10, won=7)
    similar = Evidence(n=10, won=7, n_similar=10, won_similar=7)
    assert similar.score(0.4) > plain.score(0.4)


def test_recent_similar_use_and_new_content_are_reasons(demo, rep):
    rep.last_seen_news_at = None
    deal = DealFactory(owner=rep, stage=demo.stage, competitor=RIVAL)
    for _ in range(3):
        other = DealFactory(stage=demo.stage, competitor=RIVAL)
        UsageFactory(deal=other, asset=demo.loser, stage=demo.stage)
    reasons = {
        rec.asset.title: rec.reasons
        for rec in deal_workspace(user=rep, deal=deal).recommendations
    }
    assert "used in 3 similar deals this quarter" in reasons["Generic video"]
    assert "new since you last looked" in reasons["Demo deck"]


def test_no_reason_names_a_deal(demo, evidence, rival_deal, rep_client):
    page = rep_client.get(rival_deal.get_absolute_url()).content.decode()
    assert "Recommended next" in page
    assert "Secret deal" not in page and "Lost deal" not in page
    assert "seller0" not in page


def test_deal_page_query_count_is_constant(
    demo, evidence, rival_deal, rep_client, marketer, django_assert_max_num_queries
):
    # Cold caches both times: the count must not depend on the library's size.
    url = rival_deal.get_absolute_url()
    cache.clear()
    with django_assert_max_num_queries(30) as first:
        rep_client.get(url)
    for i in range(10):
        asset = AssetFactory(owner=marketer, stages=[demo.stage], title=f"More {i}")
        other = DealFactory(stage=demo.stage, competitor=RIVAL, outcome="won")
        UsageFactory(deal=other, asset=asset, stage=demo.stage)
    cache.clear()
    with django_assert_max_num_queries(len(first.captured_queries)):
        rep_client.get(url)


def test_one_click_records_the_use_and_the_list_updates(
    demo, evidence, rival_deal, rep_client
):
    url = reverse("content:workspace_use", args=[rival_deal.pk, demo.winner.pk])
    response = rep_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="workspace"' in html and "<html" not in html
    assert Usage.objects.filter(deal=rival_deal, asset=demo.winner).count() == 1
    assert f'data-asset="{demo.winner.pk}"' not in html


def test_one_click_without_javascript_redirects(demo, rival_deal, rep_client):
    url = reverse("content:workspace_use", args=[rival_deal.pk, demo.deck.pk])
    response = rep_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == rival_deal.get_absolute_url()


def test_one_click_on_a_closed_deal_says_why(demo, rep, rep_client):
    deal = DealFactory(owner=rep, stage=demo.stage, outcome="won")
    url = reverse("content:workspace_use", args=[deal.pk, demo.deck.pk])
    response = rep_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not Usage.objects.filter(deal=deal).exists()


def test_one_click_refuses_other_deals_and_hidden_assets(
    demo, rival_deal, other_rep, rep_client, partner, partner_client
):
    other = DealFactory(owner=other_rep, stage=demo.stage)
    url = reverse("content:workspace_use", args=[other.pk, demo.deck.pk])
    assert rep_client.post(url).status_code == 404
    partner_deal = DealFactory(owner=partner, stage=demo.stage)
    url = reverse("content:workspace_use", args=[partner_deal.pk, demo.deck.pk])
    assert partner_client.post(url).status_code == 404
    assert not Usage.objects.exists()


# Stage history and deal context -------------------------------------------------


def test_stage_changes_are_dated_history(demo, rep):
    deal = deal_create(user=rep, name="N", account="A", stage=demo.other_stage)
    deal_update(user=rep, deal=deal, stage=demo.stage)
    deal_update(user=rep, deal=deal, name="renamed")
    rows = list(DealStageChange.objects.filter(deal=deal))
    assert [(r.from_stage, r.to_stage) for r in rows] == [
        (None, demo.other_stage),
        (demo.other_stage, demo.stage),
    ]
    assert all(r.source == "site" and r.changed_by == rep for r in rows)


def test_deal_page_changes_stage_competitor_and_industry(demo, rep, rep_client):
    deal = DealFactory(owner=rep, stage=demo.other_stage)
    response = rep_client.post(
        reverse("content:deal_context", args=[deal.pk]),
        {"stage": demo.stage.pk, "competitor": RIVAL, "industry": demo.industry.pk},
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.stage, deal.competitor, deal.industry) == (
        demo.stage,
        RIVAL,
        demo.industry,
    )
    change = DealStageChange.objects.get(deal=deal)
    assert change.from_stage == demo.other_stage


@pytest.mark.parametrize(
    "data, message",
    [
        ({"stage": "999999"}, "Select a valid choice"),
        ({"stage": ""}, "This field is required"),
        ({"stage": "STAGE", "competitor": "Made Up Corp"}, "Select a valid choice"),
        ({"stage": "STAGE", "industry": "abc"}, "Select a valid choice"),
        ({"stage": "STAGE", "industry": "99999999999999999999999"}, "valid choice"),
    ],
)
def test_deal_context_bad_input_is_400_and_changes_nothing(
    demo, rep, rep_client, data, message
):
    deal = DealFactory(owner=rep, stage=demo.other_stage)
    data = {k: (str(demo.stage.pk) if v == "STAGE" else v) for k, v in data.items()}
    response = rep_client.post(reverse("content:deal_context", args=[deal.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == demo.other_stage and deal.competitor == ""
    assert not DealStageChange.objects.filter(deal=deal).exists()


def test_deal_context_of_another_reps_deal_is_404(demo, other_rep, rep_client):
    deal = DealFactory(owner=other_rep, stage=demo.other_stage)
    response = rep_client.post(
        reverse("content:deal_context", args=[deal.pk]), {"stage": demo.stage.pk}
    )
    assert response.status_code == 404


@override_settings(WINGMAN_DEAL_SEGMENTS=["Small:0", "Big:50000", "Mid:10000"])
def test_segments_come_from_the_setting_bands():
    assert segment_for(None) is None
    assert segment_for(Decimal("500")).name == "Small"
    assert segment_for(Decimal("10000")).name == "Mid"
    assert segment_for(Decimal("75000")).name == "Big"
    assert segment_for(Decimal("75000")).high is None


def test_backfill_adds_history_from_usages_only_where_missing(demo, rep):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "content.migrations.0010_backfill_deal_stage_changes"
    ).backfill
    deal = DealFactory(owner=rep, stage=demo.stage)
    UsageFactory(deal=deal, asset=demo.deck, stage=demo.other_stage)
    UsageFactory(deal=deal, asset=demo.card, stage=demo.stage)
    kept = deal_create(user=rep, name="x", account="y", stage=demo.stage)
    backfill(apps, None)
    rows = list(DealStageChange.objects.filter(deal=deal))
    assert [(r.from_stage, r.to_stage, r.source) for r in rows] == [
        (None, demo.other_stage, "backfill"),
        (demo.other_stage, demo.stage, "backfill"),
    ]
    assert DealStageChange.objects.filter(deal=kept).count() == 1
    backfill(apps, None)
    assert DealStageChange.objects.filter(deal=deal).count() == 2


def test_deal_page_shows_the_segment_from_the_amount(demo, rep, rep_client):
    deal = DealFactory(owner=rep, stage=demo.stage, amount=Decimal("150000"))
    page = rep_client.get(deal.get_absolute_url()).content.decode()
    assert "Segment: Enterprise" in page
