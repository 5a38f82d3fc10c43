import itertools

import pytest
from rest_framework.test import APIClient

from accounts.services_tokens import api_token_create
from content.models import AssetKind
from tests.factories import AssetFactory, DealFactory, StageFactory, VersionFactory


def with_current_version(asset):
    version = VersionFactory(asset=asset, number=1)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


@pytest.fixture
def token_client():
    """`token_client(user)`: an API client that sends a fresh token of `user`."""

    made = itertools.count(1)

    def make(user, keyword="Token"):
        _token, key = api_token_create(user=user, name=f"test {next(made)}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
        client.key = key
        return client

    return make


@pytest.fixture
def library(db, marketer):
    """A small library: every visibility case the API must respect."""
    stage = StageFactory(name="Discovery", slug="discovery", order=2)
    other_stage = StageFactory(name="Closing", slug="closing", order=5)
    internal = with_current_version(
        AssetFactory(
            title="Internal pricing deck",
            owner=marketer,
            stages=[stage],
            search_text="Internal pricing deck discount bands",
        )
    )
    partner_deck = with_current_version(
        AssetFactory(
            title="Partner overview deck",
            owner=marketer,
            stages=[stage],
            for_partners=True,
            search_text="Partner overview deck",
        )
    )
    card = with_current_version(
        AssetFactory(
            title="Battle card: Acme",
            kind=AssetKind.BATTLE_CARD,
            competitor="Acme",
            owner=marketer,
            stages=[other_stage],
            search_text="Battle card Acme",
        )
    )
    draft = with_current_version(
        AssetFactory(
            title="Draft one-pager", owner=marketer, stages=[stage], draft=True
        )
    )
    retired = with_current_version(
        AssetFactory(title="Retired deck", owner=marketer, stages=[stage], retired=True)
    )
    return {
        "stage": stage,
        "other_stage": other_stage,
        "internal": internal,
        "partner_deck": partner_deck,
        "card": card,
        "draft": draft,
        "retired": retired,
    }


@pytest.fixture
def own_deal(rep, library):
    return DealFactory(owner=rep, stage=library["stage"], crm_id="CRM-1", name="Own")


@pytest.fixture
def other_deal(other_rep, library):
    return DealFactory(
        owner=other_rep, stage=library["stage"], crm_id="CRM-9", name="Not yours"
    )
