"""The asset page, built from one asset_page() selector, in a constant number of
queries (issue 13): 10 to read the page, whatever the user's history, and the
view event's own writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from content.caching.asset_body import asset_body_key
from tests.factories import (
    DealFactory,
    RatingFactory,
    SubscriptionFactory,
    UsageFactory,
)

pytestmark = pytest.mark.django_db

# The user (with the unread count: content.auth_backends), the asset (with the
# user's rating and follow and its first stage), related assets, the user's
# usages, the usage form's deals, the user's share links; the session comes from
# the cache (cached_db) and the stage menu too; the stages and tags only when the
# body is not cached.
PAGE_READS = 6
# The view event: the event, the daily row (with its first-view-today check) and
# the asset's counter, in one transaction (in a test's, a savepoint and release;
# on SQLite in production, BEGIN): 10 statements at most in all (issue 13).
EVENT_WRITES = 3
PAGE_LIMIT = 10


def _reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "content_assetevent" not in q["sql"]
    ]


def test_asset_page_reads_a_constant_number_of_queries(
    rep_client, rep, library, bulk_assets, django_assert_max_num_queries
):
    url = reverse("content:asset", kwargs={"pk": library.internal.pk})
    bulk_assets(30, library.stage)
    for i in range(12):
        deal = DealFactory(owner=rep, stage=library.stage, name=f"Deal {i}")
        UsageFactory(deal=deal, asset=library.internal, user=rep)
    RatingFactory(asset=library.internal, user=rep, stars=4, comment="Handy")
    SubscriptionFactory(user=rep, stage=None, asset=library.internal)
    rep_client.get(url)  # fills the cached body
    with django_assert_max_num_queries(PAGE_LIMIT + 1):  # savepoint and release
        with CaptureQueriesContext(connection) as queries:
            response = rep_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Handy" in html and "Deal 11" in html
    reads = _reads(queries.captured_queries)
    assert len(reads) <= PAGE_READS, reads
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) <= EVENT_WRITES, writes
    # What is the same for every viewer came from the cache.
    # (no prefetch of the asset's stages or tags).
    assert not any("_prefetch_related_val" in sql for sql in reads), reads


def test_the_cached_body_changes_with_the_asset(marketer, library, rep_client):
    from content.services.library import asset_update

    url = reverse("content:asset", kwargs={"pk": library.internal.pk})
    library.internal.refresh_from_db()
    before = asset_body_key(library.internal)
    assert "Where it helps" in rep_client.get(url).content.decode()
    asset_update(actor=marketer, asset=library.internal, tags=["fresh-tag"])
    library.internal.refresh_from_db()
    assert asset_body_key(library.internal) != before
    assert "fresh-tag" in rep_client.get(url).content.decode()


def test_a_renamed_stage_shows_on_the_cached_asset_page(marketer, library, rep_client):
    from content.services.stages import stage_update

    url = reverse("content:asset", kwargs={"pk": library.internal.pk})
    assert escape(library.stage.name) in rep_client.get(url).content.decode()
    stage_update(actor=marketer, stage=library.stage, name="Renamed stage")
    assert "Renamed stage" in rep_client.get(url).content.decode()
