"""A small library for the playbook tests: every visibility case, tile-ready."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from content.models import AssetKind
from tests.factories import (
    AssetFactory,
    DealFactory,
    StageFactory,
    UserFactory,
    VersionFactory,
)


def with_version(asset, number: int = 1, **kwargs):
    version = VersionFactory(asset=asset, number=number, **kwargs)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


@dataclass
class Library:
    stage: Any
    other_stage: Any
    internal: Any  # published, internal only
    for_partners: Any  # published, internal and partners
    draft: Any
    retired: Any
    other_stage_asset: Any


@pytest.fixture
def library(db, marketer) -> Library:
    stage = StageFactory(name="Proposal & negotiation", slug="proposal-negotiation")
    other_stage = StageFactory(name="Discovery", slug="discovery")
    make = lambda **kw: with_version(AssetFactory(owner=marketer, **kw))  # noqa: E731
    return Library(
        stage=stage,
        other_stage=other_stage,
        internal=make(
            title="Pricing objection handler",
            kind=AssetKind.OBJECTION_HANDLER,
            stages=[stage],
            search_text="Pricing objection handler: too expensive, discount",
        ),
        for_partners=make(
            title="Partner pricing one-pager",
            kind=AssetKind.ONE_PAGER,
            stages=[stage],
            for_partners=True,
            search_text="Partner pricing one-pager: reseller margins",
        ),
        draft=make(
            title="Draft pricing battle card",
            kind=AssetKind.BATTLE_CARD,
            stages=[stage],
            draft=True,
            search_text="Draft pricing battle card",
        ),
        retired=make(
            title="Old pricing deck",
            stages=[stage],
            retired=True,
            search_text="Old pricing deck",
        ),
        other_stage_asset=make(
            title="Discovery call script",
            kind=AssetKind.CALL_SCRIPT,
            stages=[other_stage],
            for_partners=True,
            search_text="Discovery call script: questions about pricing",
        ),
    )


@pytest.fixture
def open_deal(rep, library):
    return DealFactory(owner=rep, stage=library.stage, name="Globex renewal")


@pytest.fixture
def other_deal(other_rep, library):
    return DealFactory(owner=other_rep, stage=library.stage, name="Initech expansion")


@pytest.fixture
def bulk_assets(marketer):
    """`bulk_assets(n, stage)`: n published, rated, used, tagged assets with files."""

    def make(n: int, stage, **kwargs):
        assets = []
        for i in range(n):
            asset = with_version(
                AssetFactory(
                    owner=marketer,
                    stages=[stage],
                    kind=list(AssetKind.values)[i % len(AssetKind.values)],
                    title=f"Bulk asset {i} about pricing",
                    search_text=f"Bulk asset {i} about pricing",
                    rating_count=i % 4,
                    rating_total=(i % 4) * 4,
                    usage_count=i,
                    deal_count=i // 2,
                    **kwargs,
                )
            )
            asset.tags.add("pricing", f"topic-{i % 3}")
            assets.append(asset)
        return assets

    return make


@pytest.fixture
def count_queries():
    """`count_queries(fn)`: how many SQL queries `fn()` runs."""

    def run(fn) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    return run


@pytest.fixture
def inactive_rep(db):
    return UserFactory(username="rep-gone", role=Role.REP, is_active=False)
