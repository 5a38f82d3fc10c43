"""Analytics pages run the same number of queries whatever the size of the data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from content.models import ContentRequest, DealOutcome, SearchLog
from content.services.events import daily_stats_add
from tests.factories import (
    AssetFactory,
    ContentRequestFactory,
    DealFactory,
    RatingFactory,
    UsageFactory,
    UserFactory,
)

from .conftest import with_version

pytestmark = pytest.mark.django_db

# The dashboard: session and user, the notification badge, the filter form's
# choices (stages, owners, tags, competitors) and the chosen stage and tag, the
# overall win rate, the ranking, the count and the page, three per-page
# figures, the evidence (stages, deals by stage reached, each asset's deals),
# the Bayesian prior, five totals and adoption.
DASHBOARD_MAX_QUERIES = 26


def grow(world, n: int = 30) -> None:
    """Many more assets, deals, uses, ratings, views and failed searches."""
    raters = [UserFactory(username=f"bulk-rep-{i}", role=Role.REP) for i in range(4)]
    today = timezone.localdate()
    for i in range(n):
        asset = with_version(
            AssetFactory(
                owner=world.marketer,
                stages=[world.discovery],
                review_by=today + datetime.timedelta(days=i * 7 - 5),
                rating_count=3,
                rating_total=4 + i % 11,
            )
        )
        asset.tags.add(f"tag-{i % 5}")
        deal = DealFactory(
            owner=raters[i % 4],
            stage=world.discovery,
            outcome=[DealOutcome.WON, DealOutcome.LOST, DealOutcome.OPEN][i % 3],
            closed_at=None if i % 3 == 2 else timezone.now(),
        )
        UsageFactory(asset=asset, deal=deal, user=deal.owner)
        UsageFactory(asset=asset, deal=deal, user=deal.owner)
        daily_stats_add(asset_id=asset.pk, counts={"usages": 2, "views": i})
        for rater in raters[:2]:
            RatingFactory(asset=asset, user=rater, stars=1 + i % 5, comment=f"c{i}")
        ContentRequestFactory(title=f"Need {i}", vote_count=i)
        SearchLog.objects.create(
            query=f"missing {i}", normalized_query=f"missing {i}", results_count=0
        )


def count_queries(client, url, params=None) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "views"},
        {"sort": "title"},
        {"sort": "rating"},
        {"sort": "win_rate"},
        {"sort": "deals"},
        {"sort": "revenue", "page": "2"},
        {"stage": "discovery", "kind": "deck", "tag": "tag-1", "days": "365"},
    ],
)
def test_dashboard_query_count_does_not_grow_with_the_data(
    world, admin_client_, params
):
    url = reverse("content:dashboard")
    small = count_queries(admin_client_, url, params)
    grow(world)
    large = count_queries(admin_client_, url, params)
    assert large == small
    assert large <= DASHBOARD_MAX_QUERIES


def test_dashboard_stays_under_its_query_budget(
    world, admin_client_, django_assert_max_num_queries
):
    grow(world, n=40)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        admin_client_.get(reverse("content:dashboard"), {"days": "90"})


@pytest.mark.parametrize(
    "name",
    [
        "content:unused",
        "content:stale",
        "content:low_rated",
        "content:coverage",
        "content:analytics_requests",
        "content:search_gaps",
    ],
)
def test_action_lists_query_count_does_not_grow_with_the_data(
    world, admin_client_, name
):
    url = reverse(name)
    grow(world, n=3)
    small = count_queries(admin_client_, url)
    grow(world, n=30)
    assert ContentRequest.objects.count() > 25
    large = count_queries(admin_client_, url)
    assert large == small


def test_asset_report_query_count_does_not_grow_with_the_data(rated, admin_client_):
    world = rated
    url = reverse("content:asset_report", args=[world.deck.pk])
    small = count_queries(admin_client_, url)
    for i in range(25):
        deal = DealFactory(owner=world.riley, stage=world.demo)
        UsageFactory(asset=world.deck, deal=deal, user=world.riley)
        rater = UserFactory(username=f"r{i}", role=Role.REP)
        RatingFactory(asset=world.deck, user=rater, stars=3, comment=f"note {i}")
        daily_stats_add(
            asset_id=world.deck.pk,
            counts={"views": 1},
            day=timezone.localdate() - datetime.timedelta(days=i),
        )
    with_version(world.deck, number=2)
    assert count_queries(admin_client_, url) == small


def test_exports_query_count_does_not_grow_with_the_data(world, admin_client_):
    urls = [
        reverse("content:export_usage"),
        reverse("content:export_ratings"),
    ]
    small = [count_queries(admin_client_, url) for url in urls]
    grow(world, n=30)
    assert [count_queries(admin_client_, url) for url in urls] == small
