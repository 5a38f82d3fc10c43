"""Every menu lists only what the user may see (issue 12, item 10): the search
page's tags and competitors, and the stages with their counts."""

import pytest
from django.urls import reverse

from content.models import AssetKind
from content.selectors.search import competitors_for, tags_for
from content.services.library import asset_update
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(marketer, stage):
    shared = AssetFactory(
        owner=marketer,
        stages=[stage],
        for_partners=True,
        kind=AssetKind.DECK,
        competitor="Globex",
    )
    shared.tags.add("pricing")
    internal = AssetFactory(
        owner=marketer,
        stages=[stage],
        kind=AssetKind.BATTLE_CARD,
        competitor="Rivalry Inc",
    )
    internal.tags.add("Rivalry Inc", "pricing")
    draft = AssetFactory(
        owner=marketer,
        stages=[stage],
        draft=True,
        for_partners=True,
        kind=AssetKind.CASE_STUDY,
        competitor="Initech",
    )
    draft.tags.add("build vs buy")
    retired = AssetFactory(
        owner=marketer,
        stages=[stage],
        retired=True,
        for_partners=True,
        kind=AssetKind.ONE_PAGER,
        competitor="Umbrella",
    )
    retired.tags.add("legacy pricing")
    return {"shared": shared, "internal": internal, "draft": draft}


def _menu(response, field: str) -> list[str]:
    return [label for value, label in response.context["form"].fields[field].choices][
        1:
    ]


def test_partners_see_only_the_tags_of_partner_assets(partner_client, library):
    response = partner_client.get(reverse("content:search"))
    assert _menu(response, "tag") == ["pricing"]
    page = response.content.decode()
    assert "Rivalry Inc" not in page
    assert "build vs buy" not in page
    assert "legacy pricing" not in page


def test_reps_see_internal_tags_but_never_drafts_or_retired(rep_client, library):
    response = rep_client.get(reverse("content:search"))
    assert _menu(response, "tag") == ["pricing", "Rivalry Inc"]


def test_partners_see_only_competitors_of_partner_assets(partner_client, library):
    response = partner_client.get(reverse("content:search"))
    assert _menu(response, "competitor") == ["Globex"]
    assert "Rivalry Inc" not in response.content.decode()


def test_a_partner_naming_an_internal_tag_gets_no_hint_of_it(partner_client, library):
    response = partner_client.get(reverse("content:search"), {"tag": "rivalry-inc"})
    assert response.status_code == 200
    assert response.context["filters"]["tag"] is None  # ignored, not applied
    assert "Rivalry Inc" not in response.content.decode()


def test_the_tag_menu_follows_an_audience_change_at_once(partner, marketer, library):
    assert [t.name for t in tags_for(user=partner)] == ["pricing"]
    asset_update(actor=marketer, asset=library["internal"], audience="partners")
    assert [t.name for t in tags_for(user=partner)] == ["pricing", "Rivalry Inc"]
    assert competitors_for(user=partner) == ["Globex", "Rivalry Inc"]


def test_stage_counts_count_only_what_the_user_may_see(
    partner_client, rep_client, stage, library
):
    for client, expected in ((partner_client, 1), (rep_client, 2)):
        home = client.get(reverse("home"))
        (row,) = [s for s in home.context["stages"] if s.pk == stage.pk]
        assert row.asset_count == expected
        page = client.get(reverse("content:stage", kwargs={"slug": stage.slug}))
        assert sum(row["count"] for row in page.context["kind_counts"]) == expected


def test_partners_kind_menu_on_a_stage_lists_only_their_kinds(
    partner_client, stage, library
):
    page = partner_client.get(reverse("content:stage", kwargs={"slug": stage.slug}))
    assert [row["kind"] for row in page.context["kind_counts"]] == [AssetKind.DECK]
