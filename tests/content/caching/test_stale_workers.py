"""A change made through one worker, read through another worker's stale cache.

Worker B's cache still holds the content version, the stage page's ids and the
search's ranking from before the change (per-process caches never hear of a bump
made in worker A). Whatever B's cache holds, no page, search or API list shows
an asset the user may no longer see: visibility is the query's, on every request.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import user_set_role
from content.caching.keys import content_version
from content.models import Asset, AssetStatus, Audience
from content.selectors.playbook import stage_assets
from content.selectors.search import assets_in_order
from content.selectors.search_page import search_results
from content.services.library import asset_retire, asset_update
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db

GONE = "Falcon pricing card"
STAYS = "Heron discovery deck"


@pytest.fixture
def assets(marketer, stage) -> dict[str, Asset]:
    """Two partner assets of one stage: one about to change, one that stays."""
    return {
        "gone": AssetFactory(
            owner=marketer,
            stages=[stage],
            title=GONE,
            search_text="falcon heron pricing",
            for_partners=True,
        ),
        "stays": AssetFactory(
            owner=marketer,
            stages=[stage],
            title=STAYS,
            search_text="falcon heron discovery",
            for_partners=True,
        ),
    }


def _pages(client, stage, assets) -> dict[str, str]:
    """Every list a reader gets the asset from, as text."""
    api = client.get("/api/v1/assets/", {"stage": stage.slug})
    return {
        "stage page": client.get(
            reverse("content:stage", kwargs={"slug": stage.slug})
        ).content.decode(),
        "search": client.get(
            reverse("content:search"), {"q": "falcon"}
        ).content.decode(),
        "related assets": client.get(
            reverse("content:asset", kwargs={"pk": assets["stays"].pk})
        ).content.decode(),
        "what's new": client.get(reverse("content:whats_new")).content.decode(),
        "api": " ".join(row["title"] for row in api.json()["results"]),
    }


def _retire(marketer, asset: Asset) -> None:
    asset_retire(actor=marketer, asset=asset, reason="Outdated pricing")


def _unpublish(marketer, asset: Asset) -> None:
    # Back to draft by any path (the admin, a data fix), even one that forgets
    # to bump the content version: visibility must not depend on the bump.
    Asset.objects.filter(pk=asset.pk).update(
        status=AssetStatus.DRAFT, published_at=None
    )


def _internal_only(marketer, asset: Asset) -> None:
    asset_update(actor=marketer, asset=asset, audience=Audience.INTERNAL)


CHANGES: dict[str, tuple[Callable, tuple[str, ...]]] = {
    # change: (how, who must no longer see the asset)
    "retire": (_retire, ("rep", "partner")),
    "unpublish": (_unpublish, ("rep", "partner")),
    "audience change": (_internal_only, ("partner",)),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_through_worker_a_never_shows_through_worker_b_s_stale_cache(
    change, workers, users, client_for, marketer, stage, assets
):
    how, losers = CHANGES[change]
    clients = {role: client_for(users[role]) for role in losers}
    with workers("b"):
        stale_version = content_version()
        for role, client in clients.items():
            for where, text in _pages(client, stage, assets).items():
                if where != "related assets":  # the page of "stays" lists "gone"
                    assert GONE in text, (role, where)
    with workers("a"):
        how(marketer, assets["gone"])
    with workers("b"):
        # The simulation holds: worker B never heard of the change.
        assert content_version() == stale_version
        for role, client in clients.items():
            pages = _pages(client, stage, assets)
            for where, text in pages.items():
                assert GONE not in text, f"{role} sees it on the {where} ({change})"
            assert STAYS in pages["stage page"]
            assert STAYS in pages["search"]


def test_the_audience_change_still_shows_to_reps(
    workers, rep, client_for, marketer, stage, assets
):
    client = client_for(rep)
    with workers("b"):
        _pages(client, stage, assets)
    with workers("a"):
        _internal_only(marketer, assets["gone"])
    with workers("b"):
        pages = _pages(client, stage, assets)
    assert GONE in pages["stage page"]
    assert GONE in pages["search"]
    assert GONE in pages["api"]


def test_a_rep_turned_partner_never_sees_internal_assets_from_a_stale_cache(
    workers, client_for, marketer, stage
):
    user = UserFactory(role=Role.REP)
    AssetFactory(
        owner=marketer,
        stages=[stage],
        title="Osprey internal brief",
        search_text="falcon",
    )
    shared = AssetFactory(
        owner=marketer,
        stages=[stage],
        title=STAYS,
        search_text="falcon",
        for_partners=True,
    )
    client = client_for(user)
    with workers("b"):
        pages = _pages(client, stage, {"stays": shared})
        assert "Osprey internal brief" in pages["stage page"]
    with workers("a"):
        user_set_role(user=user, role=Role.PARTNER)
    with workers("b"):
        pages = _pages(client, stage, {"stays": shared})
    for where, text in pages.items():
        assert "Osprey internal brief" not in text, where
    assert STAYS in pages["stage page"]


def test_a_deactivated_user_gets_nothing_from_a_stale_cache(
    workers, client_for, marketer, stage, assets
):
    user = UserFactory(role=Role.REP)
    client = client_for(user)
    with workers("b"):
        _pages(client, stage, assets)
        page = stage_assets(user=user, stage=stage)
        cached_ids = [asset.pk for asset in page[0:24]]
        assert len(cached_ids) == 2
    with workers("a"):
        user.is_active = False
        user.save(update_fields=["is_active"])
    with workers("b"):
        stage_url = reverse("content:stage", kwargs={"slug": stage.slug})
        assert client.get(stage_url).status_code == 302  # to the login page
        assert client.get(reverse("content:search")).status_code == 302
        assert client.get("/api/v1/assets/").status_code in (401, 403)
        # Even handed the ids a cache holds, the fetch returns nothing.
        assert assets_in_order(cached_ids, user=user) == []
        assert list(stage_assets(user=user, stage=stage)[0:24]) == []
        assert list(search_results(user=user, query="falcon")[0:20]) == []


# Fewer rows or a refill, never a row the user may not see ---------------------


def test_a_stage_page_whose_cached_ids_lost_a_row_refills(
    workers, rep, marketer, stage, bulk_assets
):
    bulk_assets(5, stage)
    with workers("b"):
        first = [a.pk for a in stage_assets(user=rep, stage=stage)[0:3]]
    with workers("a"):
        _retire(marketer, Asset.objects.get(pk=first[0]))
    with workers("b"):
        page = [a.pk for a in stage_assets(user=rep, stage=stage)[0:3]]
        again = [a.pk for a in stage_assets(user=rep, stage=stage)[0:3]]
    assert first[0] not in page
    assert len(page) == 3  # refilled from the query, not one short
    assert again == page  # and the refill was cached


def test_a_search_whose_cached_ranking_lost_a_row_refills(
    workers, rep, marketer, stage, bulk_assets
):
    bulk_assets(5, stage)
    with workers("b"):
        first = [a.pk for a in search_results(user=rep, query="pricing")[0:3]]
    with workers("a"):
        _unpublish(marketer, Asset.objects.get(pk=first[1]))
    with workers("b"):
        page = [a.pk for a in search_results(user=rep, query="pricing")[0:3]]
    assert first[1] not in page
    assert len(page) == 3


@pytest.mark.parametrize("role", ["partner", "rep", "marketer"])
def test_assets_in_order_skips_what_the_user_may_not_see(users, role, marketer):
    shown = AssetFactory(owner=marketer, for_partners=True)
    internal = AssetFactory(owner=marketer)
    draft = AssetFactory(owner=marketer, draft=True, for_partners=True)
    retired = AssetFactory(owner=marketer, retired=True, for_partners=True)
    ids = [retired.pk, internal.pk, shown.pk, draft.pk]
    expected = {
        "partner": [shown.pk],
        "rep": [internal.pk, shown.pk],
        # Managers may open drafts, but lists of published assets never hold them.
        "marketer": [internal.pk, shown.pk],
    }
    fetched = assets_in_order(ids, user=users[role])
    assert [a.pk for a in fetched] == expected[role]
