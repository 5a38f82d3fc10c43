"""Cached tiles (content.caching.tiles) and the search page's cached ranking
(content.selectors.search_page.SearchResults): fast, and never stale where it
matters."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from content.caching import tiles
from content.selectors import search_page as search_selectors
from content.selectors.search import search_assets
from content.selectors.search_page import search_results
from content.services.feedback import rating_set
from content.services.library import asset_publish, asset_retire, asset_update
from tests.content.playbook.conftest import with_version
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db


def fetched(asset):
    """The asset as a tile list fetches it."""
    return search_assets(user=asset.owner).get(pk=asset.pk)


# Tiles -------------------------------------------------------------------------


def test_a_cached_tile_is_the_template_rendered(rep, marketer, stage):
    asset = fetched(AssetFactory(owner=marketer, stages=[stage], title="Card"))
    (first,) = tiles.with_tiles([asset])
    (again,) = tiles.with_tiles([fetched(asset)])
    expected = render_to_string(tiles.TILE_TEMPLATE, {"asset": asset})
    assert first.tile == again.tile == expected
    assert "Card" in first.tile


def test_tiles_come_from_the_cache_until_what_they_show_changes(
    marketer, stage, monkeypatch
):
    asset = AssetFactory(owner=marketer, stages=[stage])
    rendered = []
    real_render = tiles.render_to_string
    monkeypatch.setattr(
        tiles,
        "render_to_string",
        lambda *a, **k: rendered.append(1) or real_render(*a, **k),
    )
    tiles.with_tiles([fetched(asset)])
    tiles.with_tiles([fetched(asset)])
    assert len(rendered) == 1
    rater = UserFactory(role="rep")
    rating_set(user=rater, asset=asset, stars=5)
    (tile,) = tiles.with_tiles([fetched(asset)])
    assert len(rendered) == 2
    assert "(1)" in tile.tile  # one rating now


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Renamed"},
        {"summary": "New summary"},
        {"deal_count": 3},
        {"rating_count": 2, "rating_total": 7},
        {"audience": "partners"},
    ],
)
def test_every_shown_field_is_in_the_key(marketer, change):
    asset = fetched(AssetFactory(owner=marketer))
    before = tiles.tile_key(asset)
    for field, value in change.items():
        setattr(asset, field, value)
    assert tiles.tile_key(asset) != before


def test_stage_page_shows_an_edit_at_once(rep_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage], title="Before edit")
    url = reverse("content:stage", kwargs={"slug": stage.slug})
    assert "Before edit" in rep_client.get(url).content.decode()
    asset_update(actor=marketer, asset=asset, title="After edit")
    page = rep_client.get(url).content.decode()
    assert "After edit" in page
    assert "Before edit" not in page


# Search results ----------------------------------------------------------------


def test_results_rank_as_the_search_does(rep, marketer, stage, bulk_assets):
    bulk_assets(30, stage)
    expected = list(search_assets(user=rep, query="pricing"))
    # Keyword-only: hybrid ranking is tested in tests/content/search.
    results = search_results(user=rep, query="pricing", hybrid=False)
    assert results.total == len(results) == 30
    assert [a for start in range(0, 30, 7) for a in results[start : start + 7]] == (
        expected
    )
    # A second read is the cached ranking: the same.
    assert list(search_results(user=rep, query="pricing", hybrid=False)[0:30]) == (
        expected
    )


def test_past_the_cap_the_count_stays_exact(rep, stage, bulk_assets, monkeypatch):
    monkeypatch.setattr(search_selectors, "SEARCH_RESULTS_CAP", 10)
    bulk_assets(14, stage)
    results = search_results(user=rep, query="pricing")
    assert results.total == 14
    assert len(results) == 10
    assert results.is_capped


def test_search_page_says_when_only_the_best_are_shown(
    rep_client, stage, bulk_assets, monkeypatch
):
    monkeypatch.setattr(search_selectors, "SEARCH_RESULTS_CAP", 10)
    bulk_assets(14, stage)
    page = rep_client.get(reverse("content:search"), {"q": "pricing"}).content
    assert "14 results (the best 10 are shown" in page.decode()


def test_publish_and_retire_show_in_a_repeated_search_at_once(rep, marketer, stage):
    AssetFactory(owner=marketer, title="Live", search_text="zebra")
    draft = with_version(
        AssetFactory(
            owner=marketer, draft=True, stages=[stage], title="New", search_text="zebra"
        )
    )

    def found() -> set[str]:
        return {a.title for a in search_results(user=rep, query="zebra")[0:10]}

    assert found() == {"Live"}
    asset_publish(actor=marketer, asset=draft)
    assert found() == {"Live", "New"}
    asset_retire(actor=marketer, asset=draft, reason="Outdated")
    assert found() == {"Live"}


def test_partners_never_get_a_rep_s_cached_results(rep, partner, marketer):
    AssetFactory(owner=marketer, title="Internal", search_text="falcon")
    AssetFactory(
        owner=marketer, title="Shared", search_text="falcon", for_partners=True
    )
    assert search_results(user=rep, query="falcon").total == 2
    partner_found = search_results(user=partner, query="falcon")
    assert [a.title for a in partner_found[0:10]] == ["Shared"]


def test_a_repeated_search_page_runs_few_queries(
    rep_client, stage, bulk_assets, django_assert_max_num_queries
):
    bulk_assets(40, stage)
    url = reverse("content:search") + "?q=pricing&page=2"
    rep_client.get(url)
    with django_assert_max_num_queries(7):
        response = rep_client.get(url)
    assert response.status_code == 200
