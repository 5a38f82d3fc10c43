"""In the CRM: recommendations by CRM id in the API, and the framed panel."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services_tokens import api_token_create
from content.models import Deal, DealStageChange
from tests.content.plays.conftest import RIVAL
from tests.factories import PASSWORD, DealFactory

pytestmark = pytest.mark.django_db
CRM = "https://crm.example.com"


def token_client(user) -> APIClient:
    _token, key = api_token_create(user=user, name="crm")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_api_recommendations_by_crm_id(
    demo, evidence, rep, django_assert_max_num_queries
):
    DealFactory(owner=rep, stage=demo.stage, competitor=RIVAL, crm_id="006/ABC")
    client = token_client(rep)
    url = reverse("api:deal-recommendations-by-crm-id", kwargs={"crm_id": "006/ABC"})
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["deal"]["crm_id"] == "006/ABC"
    assert body["play"]["stage"] == "demo"
    assert body["play"]["key_questions"] == [
        "Who signs?",
        "What does success look like?",
    ]
    assert [i["asset"]["title"] for i in body["play"]["items"]][0] == "Demo deck"
    assert len(body["recommendations"]) == 5
    reasons = {r["asset"]["title"]: r["reasons"] for r in body["recommendations"]}
    assert (
        "won 7 of 9 deals against Rivalry Inc at this stage"
        in reasons["Rivalry ROI case study"]
    )
    assert "Secret deal" not in response.content.decode()


def test_api_recommendations_for_a_partner_hold_no_internal_asset(
    demo, evidence, partner
):
    DealFactory(owner=partner, stage=demo.stage, crm_id="P-1", competitor=RIVAL)
    url = reverse("api:deal-recommendations-by-crm-id", kwargs={"crm_id": "P-1"})
    body = token_client(partner).get(url).json()
    titles = [r["asset"]["title"] for r in body["recommendations"]]
    assert titles == ["Partner demo sheet"]
    assert [i["asset"]["title"] for i in body["play"]["items"]] == [
        "Partner demo sheet"
    ]


def test_api_recommendations_of_another_reps_crm_id_is_404(demo, other_rep, rep):
    DealFactory(owner=other_rep, stage=demo.stage, crm_id="X-9")
    url = reverse("api:deal-recommendations-by-crm-id", kwargs={"crm_id": "X-9"})
    assert token_client(rep).get(url).status_code == 404
    assert APIClient().get(url).status_code == 401


def test_api_stage_change_is_history_with_source_api(demo, rep):
    deal = DealFactory(owner=rep, stage=demo.other_stage, crm_id="S-1")
    url = reverse("api:deal-by-crm-id", kwargs={"crm_id": "S-1"})
    response = token_client(rep).patch(url, {"stage": "demo"}, format="json")
    assert response.status_code == 200
    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.source) == (
        demo.other_stage,
        demo.stage,
        "api",
    )


def test_schema_lists_the_recommendations_endpoint(client, rep):
    client.force_login(rep)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/deals/crm/{crm_id}/recommendations/"]["get"]
    assert "200" in operation["responses"]


# The panel ----------------------------------------------------------------------


@override_settings(WINGMAN_EMBED_FRAME_ORIGINS=[CRM])
def test_panel_may_be_framed_by_the_listed_origins_only(demo, rep, rep_client):
    DealFactory(owner=rep, stage=demo.stage, crm_id="E-1")
    response = rep_client.get(reverse("embed:deal", kwargs={"crm_id": "E-1"}))
    assert response.status_code == 200
    assert f"frame-ancestors {CRM}" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    elsewhere = rep_client.get(reverse("content:deal_list"))
    assert elsewhere["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in elsewhere["Content-Security-Policy"]


def test_panel_without_origins_may_not_be_framed(demo, rep, rep_client):
    DealFactory(owner=rep, stage=demo.stage, crm_id="E-1")
    response = rep_client.get(reverse("embed:deal", kwargs={"crm_id": "E-1"}))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_panel_shows_the_play_and_recommendations(demo, evidence, rep, rep_client):
    DealFactory(owner=rep, stage=demo.stage, crm_id="E-2", competitor=RIVAL)
    page = rep_client.get(reverse("embed:deal", kwargs={"crm_id": "E-2"})).content
    page = page.decode()
    assert "Recommended next" in page and "The play for Demo" in page
    assert 'class="topbar"' not in page


def test_panel_sends_anonymous_users_to_the_framed_login(db):
    url = reverse("embed:deal", kwargs={"crm_id": "E-3"})
    response = APIClient().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("embed:login"))


def test_embed_cookies_work_in_a_third_party_frame(rep):
    client = APIClient(enforce_csrf_checks=False)
    response = client.post(
        reverse("embed:login"), {"username": rep.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    session = response.cookies["sessionid"]
    assert session["samesite"] == "None; Partitioned" and session["secure"]
    assert "SameSite=None; Partitioned" in session.output()
    site = APIClient().post(
        reverse("accounts:login"), {"username": rep.username, "password": PASSWORD}
    )
    assert site.cookies["sessionid"]["samesite"] == "Lax"


def test_panel_offers_to_create_the_deal(demo, rep, rep_client):
    url = reverse("embed:deal", kwargs={"crm_id": "NEW-1"})
    page = rep_client.get(url).content.decode()
    assert "No deal for this record yet" in page
    response = rep_client.post(
        reverse("embed:deal_create", kwargs={"crm_id": "NEW-1"}),
        {"name": "Acme", "account": "Acme Corp", "stage": demo.stage.pk},
    )
    assert response.status_code == 302 and response["Location"] == url
    deal = Deal.objects.get(owner=rep, crm_id="NEW-1")
    assert DealStageChange.objects.filter(deal=deal).count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"name": "A", "account": "B", "stage": "999999"}, {"name": "x" * 201}]
)
def test_panel_create_bad_input_is_400_and_creates_nothing(demo, rep_client, data):
    response = rep_client.post(
        reverse("embed:deal_create", kwargs={"crm_id": "NEW-2"}), data
    )
    assert response.status_code == 400
    assert not Deal.objects.filter(crm_id="NEW-2").exists()


def test_panel_one_click_use(demo, rep, rep_client):
    deal = DealFactory(owner=rep, stage=demo.stage, crm_id="E-4")
    url = reverse("embed:use", kwargs={"pk": deal.pk, "asset_pk": demo.deck.pk})
    response = rep_client.post(url, {"embed": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert deal.usages.count() == 1
    response = rep_client.post(
        reverse("embed:use", kwargs={"pk": deal.pk, "asset_pk": demo.card.pk}),
        {"embed": "1"},
    )
    assert response["Location"] == reverse("embed:deal", kwargs={"crm_id": "E-4"})


def test_api_sets_and_shows_competitor_industry_and_segment(demo, rep):
    DealFactory(owner=rep, stage=demo.stage, crm_id="C-1", amount=60000)
    url = reverse("api:deal-by-crm-id", kwargs={"crm_id": "C-1"})
    response = token_client(rep).patch(
        url, {"competitor": RIVAL, "industry": "Manufacturing"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["competitor"], body["industry"], body["segment"]) == (
        RIVAL,
        "Manufacturing",
        "Mid-market",
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"competitor": "Nobody Corp"}, "competitor"),
        ({"industry": "Mining"}, "industry"),
    ],
)
def test_api_refuses_unknown_competitor_or_industry(demo, rep, data, field):
    deal = DealFactory(owner=rep, stage=demo.stage, crm_id="C-2")
    url = reverse("api:deal-by-crm-id", kwargs={"crm_id": "C-2"})
    response = token_client(rep).patch(url, data, format="json")
    assert response.status_code == 400 and field in response.json()
    deal.refresh_from_db()
    assert deal.competitor == "" and deal.industry is None
