"""An asset's figures over the API: marketers and admins, from the analytics code."""

import pytest

from content.models import EventKind
from content.services.events import event_record
from tests.factories import DealFactory, UsageFactory

pytestmark = pytest.mark.django_db


def url(asset) -> str:
    return f"/api/v1/assets/{asset.pk}/figures/"


@pytest.mark.parametrize("role", ["rep", "partner"])
def test_reps_and_partners_get_403(role, users, token_client, library):
    response = token_client(users[role]).get(url(library["partner_deck"]))
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.parametrize("role", ["marketer", "admin"])
def test_marketers_and_admins_get_the_figures(role, users, token_client, library, rep):
    asset = library["internal"]
    event_record(asset=asset, kind=EventKind.VIEW, user=rep)
    event_record(asset=asset, kind=EventKind.PROSPECT_VIEW, visitor_hash="v")
    won = DealFactory(owner=rep, stage=library["stage"], won=True, amount="1000.00")
    UsageFactory(deal=won, asset=asset)
    response = token_client(users[role]).get(url(asset) + "?days=30")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["asset"] == asset.pk
    assert body["views"] == 1
    assert body["prospect_views"] == 1
    assert body["closed_deals"] == 1
    assert body["won_deals"] == 1
    assert body["influenced_revenue"] == "1000.00"
    # One closed deal is below the minimum n: the rate and the lift stay hidden.
    assert body["win_rate"] is None
    assert body["lift"] is None
    assert body["min_closed_deals"] >= 1
    assert body["stars"] == [0, 0, 0, 0, 0]
    assert sum(week["views"] for week in body["weeks"]) == 2


def test_bad_period_is_a_400(marketer, token_client, library):
    response = token_client(marketer).get(url(library["internal"]) + "?days=0")
    assert response.status_code == 400
    assert "days" in response.json()


def test_unknown_asset_is_a_404(marketer, token_client, db):
    response = token_client(marketer).get("/api/v1/assets/999999/figures/")
    assert response.status_code == 404
