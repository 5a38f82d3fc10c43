"""Recording usage from the CRM, idempotently."""

import pytest

from content.models import Usage

pytestmark = pytest.mark.django_db
USAGES = "/api/v1/usages/"


def test_record_usage_in_own_deal(rep, token_client, own_deal, library):
    response = token_client(rep).post(
        USAGES,
        {"deal": own_deal.pk, "asset": library["internal"].pk, "note": "Sent"},
        format="json",
    )
    assert response.status_code == 201, response.content
    usage = Usage.objects.get()
    assert usage.user == rep
    assert usage.stage == own_deal.stage
    assert usage.version == library["internal"].current_version
    assert response.json()["version"] == 1


def test_same_idempotency_key_records_once(rep, token_client, own_deal, library):
    client = token_client(rep)
    payload = {"deal_crm_id": own_deal.crm_id, "asset": library["internal"].pk}
    first = client.post(USAGES, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(USAGES, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Usage.objects.count() == 1
    other = client.post(USAGES, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 201
    assert Usage.objects.count() == 2


def test_key_reused_for_another_asset_is_refused(rep, token_client, own_deal, library):
    client = token_client(rep)
    client.post(
        USAGES,
        {"deal": own_deal.pk, "asset": library["internal"].pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    response = client.post(
        USAGES,
        {"deal": own_deal.pk, "asset": library["partner_deck"].pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert Usage.objects.count() == 1


def test_cannot_record_in_another_reps_deal(rep, token_client, other_deal, library):
    response = token_client(rep).post(
        USAGES, {"deal": other_deal.pk, "asset": library["internal"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "deal" in response.json()
    assert not Usage.objects.exists()


def test_partner_cannot_record_an_internal_asset(partner, token_client, library):
    from tests.factories import DealFactory

    deal = DealFactory(owner=partner, stage=library["stage"])
    response = token_client(partner).post(
        USAGES, {"deal": deal.pk, "asset": library["internal"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "asset" in response.json()


def test_closed_deal_refuses_usage_with_a_message(rep, token_client, own_deal, library):
    own_deal.outcome = "won"
    own_deal.save()
    response = token_client(rep).post(
        USAGES, {"deal": own_deal.pk, "asset": library["internal"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "deal" in response.json()


def test_deal_must_be_named_exactly_once(rep, token_client, own_deal, library):
    client = token_client(rep)
    neither = client.post(USAGES, {"asset": library["internal"].pk}, format="json")
    both = client.post(
        USAGES,
        {"deal": own_deal.pk, "deal_crm_id": "CRM-1", "asset": library["internal"].pk},
        format="json",
    )
    assert neither.status_code == both.status_code == 400


def test_usage_list_shows_only_mine(
    rep, other_rep, token_client, own_deal, other_deal, library
):
    token_client(rep).post(
        USAGES, {"deal": own_deal.pk, "asset": library["internal"].pk}, format="json"
    )
    token_client(other_rep).post(
        USAGES, {"deal": other_deal.pk, "asset": library["internal"].pk}, format="json"
    )
    mine = token_client(rep).get(USAGES).json()
    assert mine["count"] == 1
    assert mine["results"][0]["deal"] == own_deal.pk
