"""Fixtures of the review-finding tests (tests/security/test_review_findings*.py)."""

import pytest

from content.services.sharing import share_create
from tests.factories import AssetFactory, DealFactory, StageFactory, VersionFactory


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


@pytest.fixture
def shared_asset(db, marketer):
    stage = StageFactory(name="Discovery", slug="discovery")
    asset = AssetFactory(owner=marketer, stages=[stage], for_partners=True)
    version = VersionFactory(asset=asset, number=1)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


@pytest.fixture
def share(rep, shared_asset):
    deal = DealFactory(owner=rep, stage=shared_asset.stages.first())
    return share_create(
        user=rep, assets=[shared_asset], recipient="jane@globex.example", deal=deal
    )
