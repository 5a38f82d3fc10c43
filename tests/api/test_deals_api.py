"""Deals over the API: a rep's own, by Wingman id or by CRM id; nobody else's."""

import pytest

from content.models import Deal

pytestmark = pytest.mark.django_db
DEALS = "/api/v1/deals/"


def test_rep_lists_only_their_own_deals(rep, token_client, own_deal, other_deal):
    response = token_client(rep).get(DEALS)
    assert response.status_code == 200
    assert [d["id"] for d in response.json()["results"]] == [own_deal.pk]


@pytest.mark.parametrize("role", ["rep", "marketer", "admin"])
def test_nobody_gets_another_reps_deal(role, users, token_client, own_deal, other_deal):
    client = token_client(users[role])
    assert client.get(f"{DEALS}{other_deal.pk}/").status_code == 404
    assert client.get(f"{DEALS}crm/{other_deal.crm_id}/").status_code == 404
    response = client.patch(f"{DEALS}{other_deal.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 404
    response = client.post(
        f"{DEALS}{other_deal.pk}/outcome/", {"outcome": "won"}, format="json"
    )
    assert response.status_code == 404
    other_deal.refresh_from_db()
    assert other_deal.name == "Not yours"
    assert other_deal.outcome == "open"


def test_create_a_deal(rep, token_client, library):
    response = token_client(rep).post(
        DEALS,
        {
            "name": "Globex renewal",
            "account": "Globex",
            "crm_id": "0061x",
            "amount": "25000.00",
            "stage": "discovery",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    deal = Deal.objects.get(crm_id="0061x")
    assert deal.owner == rep
    assert response.json()["stage"] == "discovery"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"account": "A", "stage": "discovery"}, "name"),
        ({"name": "N", "account": "A", "stage": "nowhere"}, "stage"),
        ({"name": "N", "account": "A", "stage": "discovery", "amount": "-1"}, "amount"),
        (
            {"name": "N", "account": "A", "stage": "discovery", "crm_id": "CRM-1"},
            "crm_id",
        ),
    ],
)
def test_bad_deal_input_names_the_field(rep, token_client, own_deal, payload, field):
    before = Deal.objects.count()
    response = token_client(rep).post(DEALS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Deal.objects.count() == before


def test_update_and_close_a_deal(rep, token_client, own_deal):
    client = token_client(rep)
    response = client.patch(
        f"{DEALS}{own_deal.pk}/", {"amount": "5000", "stage": "closing"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "closing"
    response = client.post(
        f"{DEALS}{own_deal.pk}/outcome/", {"outcome": "won"}, format="json"
    )
    assert response.json()["outcome"] == "won"
    assert response.json()["closed_at"]


def test_put_by_crm_id_creates_then_updates(rep, token_client, library):
    client = token_client(rep)
    payload = {"name": "Initech", "account": "Initech", "stage": "discovery"}
    first = client.put(f"{DEALS}crm/SF-42/", payload, format="json")
    assert first.status_code == 201, first.content
    second = client.put(
        f"{DEALS}crm/SF-42/", {**payload, "stage": "closing"}, format="json"
    )
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert Deal.objects.filter(owner=rep, crm_id="SF-42").count() == 1
    assert client.get(f"{DEALS}crm/SF-42/").json()["stage"] == "closing"


def test_patch_by_crm_id(rep, token_client, own_deal):
    response = token_client(rep).patch(
        f"{DEALS}crm/{own_deal.crm_id}/", {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    own_deal.refresh_from_db()
    assert own_deal.name == "Renamed"


def test_two_reps_may_use_the_same_crm_id(rep, other_rep, token_client, other_deal):
    payload = {"name": "Mine", "account": "Acme", "stage": "discovery"}
    response = token_client(rep).put(
        f"{DEALS}crm/{other_deal.crm_id}/", payload, format="json"
    )
    assert response.status_code == 201
    other_deal.refresh_from_db()
    assert other_deal.name == "Not yours"


def test_filter_deals_by_outcome_and_crm_id(rep, token_client, own_deal):
    client = token_client(rep)
    assert client.get(f"{DEALS}?crm_id=CRM-1").json()["count"] == 1
    assert client.get(f"{DEALS}?outcome=won").json()["count"] == 0
    assert client.get(f"{DEALS}?outcome=maybe").status_code == 400


def test_put_by_wingman_id_is_not_allowed(rep, token_client, own_deal):
    response = token_client(rep).put(f"{DEALS}{own_deal.pk}/", {}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("crm_id", ["%00", "abc%00def", "%1F", "x" * 65])
def test_a_crm_id_with_control_characters_is_a_404_not_a_crash(
    rep, token_client, crm_id
):
    response = token_client(rep).get(f"{DEALS}crm/{crm_id}/")
    assert response.status_code == 404
