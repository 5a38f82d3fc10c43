"""The stored rank score and the cached stage counts that keep pages fast at scale."""

import pytest
from django.core.management import call_command
from django.db.models import Case, Value, When
from django.urls import reverse

from content.models import Asset, AssetKind
from content.selectors.playbook import stage_assets, stage_kind_counts
from content.selectors.search import (
    BAYES_PRIOR_WEIGHT,
    competitors_for,
    library_mean_rating,
    search_assets,
)
from content.services.feedback import rating_set
from content.services.library import asset_publish, asset_restore, asset_retire
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db


def bayes(total: int, count: int, mean: float) -> float:
    return (BAYES_PRIOR_WEIGHT * mean + total) / (BAYES_PRIOR_WEIGHT + count)


def stored_score(asset) -> float:
    return Asset.objects.values_list("rating_score", flat=True).get(pk=asset.pk)


def stage_url(stage, **params) -> str:
    url = reverse("content:stage", kwargs={"slug": stage.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) * bool(params))


# The score ---------------------------------------------------------------------


def test_rating_stores_the_bayesian_score_and_a_changed_rating_updates_it(
    rep, other_rep, library
):
    asset = library.internal
    rating_set(user=rep, asset=asset, stars=5)
    mean = library_mean_rating()
    assert stored_score(asset) == pytest.approx(bayes(5, 1, mean))
    assert asset.rating_score == pytest.approx(stored_score(asset))

    rating_set(user=other_rep, asset=asset, stars=4)
    rating_set(user=rep, asset=asset, stars=1)  # changes the first rating
    assert stored_score(asset) == pytest.approx(bayes(5, 2, library_mean_rating()))
    # An unrated asset keeps the prior.
    assert stored_score(library.for_partners) == pytest.approx(3.0)


def test_refresh_rating_scores_rebases_every_asset_on_the_library_mean(library, capsys):
    Asset.objects.filter(pk=library.internal.pk).update(
        rating_count=4, rating_total=20, rating_score=0
    )
    Asset.objects.filter(pk=library.for_partners.pk).update(
        rating_count=2, rating_total=2, rating_score=0
    )
    call_command("refresh_rating_scores")
    mean = 22 / 6  # over published assets only
    assert stored_score(library.internal) == pytest.approx(bayes(20, 4, mean))
    assert stored_score(library.for_partners) == pytest.approx(bayes(2, 2, mean))
    assert stored_score(library.draft) == pytest.approx(mean)
    assert "assets scored" in capsys.readouterr().out


# The order ---------------------------------------------------------------------


def test_stage_lists_each_kind_by_stored_score(rep, stage):
    make = lambda title, kind, score: AssetFactory(  # noqa: E731
        title=title, kind=kind, stages=[stage], rating_score=score
    )
    make("Deck low", AssetKind.DECK, 2.0)
    make("Deck high", AssetKind.DECK, 4.5)
    make("Card mid", AssetKind.BATTLE_CARD, 3.0)
    make("Card top", AssetKind.BATTLE_CARD, 4.9)
    listed = stage_assets(user=rep, stage=stage)
    assert [a.title for a in listed[0:10]] == [
        "Card top",
        "Card mid",
        "Deck high",
        "Deck low",
    ]
    assert [a.title for a in search_assets(user=rep, sort="rating")] == [
        "Card top",
        "Deck high",
        "Card mid",
        "Deck low",
    ]


def test_stage_pages_match_sorting_the_whole_stage(rep, stage, bulk_assets):
    bulk_assets(30, stage)
    kind_order = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(AssetKind.values)]
    )
    expected = list(
        search_assets(user=rep, stage=stage).order_by(
            kind_order, "-rating_score", "-pk"
        )
    )
    listed = stage_assets(user=rep, stage=stage)
    assert len(listed) == 30
    pages = [a for start in range(0, 30, 7) for a in listed[start : start + 7]]
    assert pages == expected
    only_decks = stage_assets(user=rep, stage=stage, kind=AssetKind.DECK)
    assert list(only_decks[0:24]) == [a for a in expected if a.kind == AssetKind.DECK]


def test_stage_page_queries_do_not_grow_with_the_stage_or_the_page(
    rep_client, library, bulk_assets, count_queries
):
    def warm(url: str) -> int:
        rep_client.get(url)  # caches the kind counts and the page's ids
        return count_queries(lambda: rep_client.get(url))

    bulk_assets(10, library.stage)
    small = warm(stage_url(library.stage))
    bulk_assets(60, library.stage)
    first = warm(stage_url(library.stage))
    deep = warm(stage_url(library.stage, page=3))
    one_kind = warm(stage_url(library.stage, kind=AssetKind.DECK))
    assert small == first == deep == one_kind


def test_warm_stage_page_does_not_count_or_sort_the_stage(
    rep_client, library, count_queries
):
    cold = count_queries(lambda: rep_client.get(stage_url(library.stage)))
    warm = count_queries(lambda: rep_client.get(stage_url(library.stage)))
    # Neither the per-kind counts nor the page's ids are read again.
    assert warm == cold - 2


def test_cached_page_order_still_shows_fresh_counters(rep_client, library):
    url = stage_url(library.stage)
    assert "No ratings yet" in rep_client.get(url).content.decode()
    rating_set(user=UserFactory(role="rep"), asset=library.internal, stars=4)
    html = rep_client.get(url).content.decode()
    assert "(1)" in html  # the new rating's count, though the order is cached


def test_cached_page_order_drops_a_retired_asset_at_once(rep_client, marketer, library):
    url = stage_url(library.stage)
    assert library.internal.title in rep_client.get(url).content.decode()
    asset_retire(actor=marketer, asset=library.internal, reason="Outdated")
    assert library.internal.title not in rep_client.get(url).content.decode()


# Cached counts -----------------------------------------------------------------


def kinds(user, stage) -> dict[str, int]:
    return {
        row["kind"]: row["count"] for row in stage_kind_counts(user=user, stage=stage)
    }


def test_cached_counts_follow_publish_retire_and_restore(rep, marketer, library):
    before = kinds(rep, library.stage)
    assert AssetKind.BATTLE_CARD not in before

    Asset.objects.filter(pk=library.draft.pk).update(
        competitor="Acme", how_we_win="Faster rollout."
    )
    library.draft.refresh_from_db()
    asset_publish(actor=marketer, asset=library.draft)
    assert kinds(rep, library.stage)[AssetKind.BATTLE_CARD] == 1

    asset_retire(actor=marketer, asset=library.draft, reason="Outdated")
    assert AssetKind.BATTLE_CARD not in kinds(rep, library.stage)

    asset_restore(actor=marketer, asset=library.draft)
    assert kinds(rep, library.stage)[AssetKind.BATTLE_CARD] == 1


def test_cached_counts_are_per_audience(rep, partner, marketer, library):
    assert sum(kinds(rep, library.stage).values()) == 2
    assert sum(kinds(partner, library.stage).values()) == 1
    assert sum(kinds(marketer, library.stage).values()) == 2
    asset_retire(actor=marketer, asset=library.for_partners, reason="Old")
    assert kinds(partner, library.stage) == {}
    assert sum(kinds(rep, library.stage).values()) == 1


def test_stage_page_total_drops_when_an_asset_is_retired(rep_client, marketer, library):
    assert rep_client.get(stage_url(library.stage)).context["total"] == 2
    asset_retire(actor=marketer, asset=library.internal, reason="Outdated")
    response = rep_client.get(stage_url(library.stage))
    assert response.context["total"] == 1
    assert library.internal not in response.context["assets"]


def test_competitors_menu_is_cached_until_the_library_changes(
    rep, marketer, stage, django_assert_num_queries
):
    card = AssetFactory(kind=AssetKind.BATTLE_CARD, competitor="Acme", stages=[stage])
    assert competitors_for(user=rep) == ["Acme"]
    with django_assert_num_queries(0):
        assert competitors_for(user=rep) == ["Acme"]
    asset_retire(actor=marketer, asset=card, reason="Acme left the market")
    assert competitors_for(user=rep) == []


def test_partners_never_get_the_internal_competitors_from_the_cache(
    rep, partner, stage
):
    AssetFactory(competitor="Acme", stages=[stage])
    assert competitors_for(user=rep) == ["Acme"]
    assert competitors_for(user=partner) == []


def test_unrated_assets_sort_after_well_rated_ones_in_related_assets(rep_client, stage):
    owner = UserFactory()
    page = AssetFactory(title="Page", stages=[stage], owner=owner)
    AssetFactory(title="Unrated", stages=[stage])
    AssetFactory(title="Loved", stages=[stage], rating_count=10, rating_total=50)
    response = rep_client.get(page.get_absolute_url())
    related = [a.title for a in response.context["related_assets"]]
    assert related[:2] == ["Loved", "Unrated"]
