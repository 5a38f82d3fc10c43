"""The stage page: the stage's goal and its published assets, grouped by kind."""

import pytest
from django.urls import reverse

from content.models import AssetKind
from tests.factories import AssetFactory, StageFactory

pytestmark = pytest.mark.django_db


def stage_url(stage, **params):
    url = reverse("content:stage", kwargs={"slug": stage.slug})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def shown(response) -> set[str]:
    return {asset.title for asset in response.context["assets"]}


@pytest.mark.parametrize(
    "role,visible",
    [
        ("partner", {"Partner pricing one-pager"}),
        ("rep", {"Pricing objection handler", "Partner pricing one-pager"}),
        ("marketer", {"Pricing objection handler", "Partner pricing one-pager"}),
        ("admin", {"Pricing objection handler", "Partner pricing one-pager"}),
    ],
)
def test_stage_page_shows_each_role_only_what_it_may_see(
    role, visible, users, library, client_for
):
    response = client_for(users[role]).get(stage_url(library.stage))
    assert response.status_code == 200
    assert shown(response) == visible
    for hidden in ("Draft pricing battle card", "Old pricing deck"):
        assert hidden.encode() not in response.content


def test_stage_page_shows_goal_and_groups_assets_by_kind(rep_client, library):
    library.stage.exit_goal = "Commercial terms agreed with the economic buyer."
    library.stage.save()
    response = rep_client.get(stage_url(library.stage))
    html = response.content.decode()
    assert "Commercial terms agreed with the economic buyer." in html
    # Objection handlers come before one-pagers, each kind under its heading.
    assert html.index("Objection handler</h2>") < html.index("One-pager</h2>")
    assert [row["kind"] for row in response.context["kind_counts"]] == [
        AssetKind.OBJECTION_HANDLER,
        AssetKind.ONE_PAGER,
    ]


def test_kind_filter_and_sort_live_in_the_url(rep_client, library):
    response = rep_client.get(
        stage_url(library.stage, kind=AssetKind.ONE_PAGER, sort="newest")
    )
    assert shown(response) == {"Partner pricing one-pager"}
    assert response.context["sort"] == "newest"
    bogus = rep_client.get(stage_url(library.stage, kind="nope", sort="nope"))
    assert bogus.context["kind"] == "" and bogus.context["sort"] == "rating"
    assert len(shown(bogus)) == 2


def test_stage_page_paginates(rep_client, library, bulk_assets):
    bulk_assets(30, library.stage)
    first = rep_client.get(stage_url(library.stage))
    assert first.context["page_obj"].paginator.count == 32
    assert len(first.context["assets"]) == 24
    second = rep_client.get(stage_url(library.stage, page=2))
    assert len(second.context["assets"]) == 8
    assert not shown(first) & shown(second)


def test_empty_stage_offers_to_request_content(rep_client):
    stage = StageFactory(name="Closing", slug="closing")
    response = rep_client.get(stage_url(stage))
    assert b"No content for Closing yet" in response.content
    assert b"/requests/add/?stage=closing" in response.content


def test_inactive_stage_is_hidden_from_reps_but_not_from_marketers(
    rep_client, marketer_client
):
    stage = StageFactory(name="Old stage", slug="old-stage", is_active=False)
    assert rep_client.get(stage_url(stage)).status_code == 404
    assert marketer_client.get(stage_url(stage)).status_code == 200


def test_unknown_stage_is_404(rep_client, db):
    assert rep_client.get("/stages/nope/").status_code == 404


def test_home_links_every_stage_and_shows_counts(rep_client, library):
    response = rep_client.get(reverse("home"))
    assert stage_url(library.stage).encode() in response.content
    assert stage_url(library.other_stage).encode() in response.content


def test_stage_page_runs_a_constant_number_of_queries(
    rep_client, library, bulk_assets, count_queries, django_assert_max_num_queries
):
    bulk_assets(5, library.stage)
    few = count_queries(lambda: rep_client.get(stage_url(library.stage)))
    bulk_assets(35, library.stage)
    with django_assert_max_num_queries(few):
        response = rep_client.get(stage_url(library.stage))
    assert len(response.context["assets"]) == 24
    assert few <= 10


def test_stage_page_deep_page_runs_the_same_queries(
    rep_client, library, bulk_assets, count_queries
):
    bulk_assets(60, library.stage)
    rep_client.get(stage_url(library.stage))  # warms the cached counts and ids
    rep_client.get(stage_url(library.stage, page=3))
    first = count_queries(lambda: rep_client.get(stage_url(library.stage)))
    deep = count_queries(lambda: rep_client.get(stage_url(library.stage, page=3)))
    assert deep == first


def test_stage_tile_shows_rating_usage_and_freshness(rep_client, library):
    library.internal.rating_count = 4
    library.internal.rating_total = 18
    library.internal.deal_count = 3
    library.internal.save()
    html = rep_client.get(stage_url(library.stage)).content.decode()
    assert "4.5" in html and "(4)" in html
    assert "Used in 3 deals" in html
    assert "Updated" in html or "Verified" in html


def test_asset_in_two_stages_shows_on_both(rep_client, library):
    asset = AssetFactory(
        title="Shared ROI calculator",
        stages=[library.stage, library.other_stage],
    )
    assert asset.title in shown(rep_client.get(stage_url(library.stage)))
    assert asset.title in shown(rep_client.get(stage_url(library.other_stage)))
