"""Assets over the API: the site's visibility rules, filters and file access."""

import pytest

from content.models import AssetEvent, EventKind, Rating

pytestmark = pytest.mark.django_db
ASSETS = "/api/v1/assets/"


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_partner_never_gets_an_internal_asset(partner, token_client, library):
    client = token_client(partner)
    assert titles(client.get(ASSETS)) == {"Partner overview deck"}
    for name in ("internal", "card", "draft", "retired"):
        response = client.get(f"{ASSETS}{library[name].pk}/")
        assert response.status_code == 404, name
    assert client.get(f"{ASSETS}{library['partner_deck'].pk}/").status_code == 200


def test_partner_cannot_fetch_an_internal_file(partner, token_client, library):
    version = library["internal"].current_version
    response = token_client(partner).get(f"/api/v1/versions/{version.pk}/download/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_rep_lists_published_assets_only(rep, token_client, library):
    assert titles(token_client(rep).get(ASSETS)) == {
        "Internal pricing deck",
        "Partner overview deck",
        "Battle card: Acme",
    }


def test_rep_gets_no_draft_but_a_marketer_does(rep, marketer, token_client, library):
    url = f"{ASSETS}{library['draft'].pk}/"
    assert token_client(rep).get(url).status_code == 404
    response = token_client(marketer).get(url)
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("kind=battle_card", {"Battle card: Acme"}),
        ("stage=closing", {"Battle card: Acme"}),
        ("competitor=acme", {"Battle card: Acme"}),
        ("audience=partners", {"Partner overview deck"}),
        ("q=pricing", {"Internal pricing deck"}),
        ("q=nothing-like-this", set()),
    ],
)
def test_search_filters_are_query_parameters(
    rep, token_client, library, query, expected
):
    assert titles(token_client(rep).get(f"{ASSETS}?{query}")) == expected


def test_bad_filter_is_a_400_with_a_clear_message(rep, token_client, library):
    response = token_client(rep).get(f"{ASSETS}?kind=poster")
    assert response.status_code == 400
    assert "kind" in response.json()
    response = token_client(rep).get(f"{ASSETS}?ordering=sideways")
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_list_is_paginated(rep, token_client, library):
    response = token_client(rep).get(f"{ASSETS}?page_size=2")
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    assert token_client(rep).get(f"{ASSETS}?page=99").status_code == 404


def test_asset_detail_has_versions_with_working_download_links(
    rep, token_client, library
):
    client = token_client(rep)
    asset = library["partner_deck"]
    body = client.get(f"{ASSETS}{asset.pk}/").json()
    assert body["title"] == asset.title
    assert body["stages"] == ["discovery"]
    assert [v["number"] for v in body["versions"]] == [1]
    download = client.get(body["versions"][0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Plain text notes for reps.\n"
    assert "attachment" in download["Content-Disposition"]
    # The API download counts like the site's.
    assert AssetEvent.objects.filter(
        asset=asset, kind=EventKind.DOWNLOAD, user=rep
    ).exists()


def test_detail_of_a_missing_or_non_numeric_asset_is_a_json_404(rep, token_client, db):
    client = token_client(rep)
    assert client.get(f"{ASSETS}999999/").status_code == 404
    response = client.get(f"{ASSETS}abc/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_rating_over_the_api_uses_the_same_rules(rep, token_client, library):
    client = token_client(rep)
    url = f"{ASSETS}{library['internal'].pk}/rating/"
    response = client.put(url, {"stars": 4, "comment": "Works"}, format="json")
    assert response.status_code == 200, response.content
    response = client.put(url, {"stars": 5}, format="json")
    assert response.json()["stars"] == 5
    assert Rating.objects.get(asset=library["internal"], user=rep).stars == 5
    library["internal"].refresh_from_db()
    assert library["internal"].rating_count == 1


@pytest.mark.parametrize("stars", [0, 6, "many", None])
def test_rating_out_of_range_is_refused(rep, token_client, library, stars):
    url = f"{ASSETS}{library['internal'].pk}/rating/"
    response = token_client(rep).put(url, {"stars": stars}, format="json")
    assert response.status_code == 400
    assert "stars" in response.json()
    assert not Rating.objects.exists()


def test_partner_cannot_rate_an_internal_asset(partner, token_client, library):
    url = f"{ASSETS}{library['internal'].pk}/rating/"
    response = token_client(partner).put(url, {"stars": 3}, format="json")
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_marketer_cannot_rate_a_draft(marketer, token_client, library):
    url = f"{ASSETS}{library['draft'].pk}/rating/"
    response = token_client(marketer).put(url, {"stars": 3}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_stages_are_listed_in_order(rep, token_client, library):
    response = token_client(rep).get("/api/v1/stages/")
    assert [s["slug"] for s in response.json()] == ["discovery", "closing"]


def test_list_runs_a_constant_number_of_queries(
    rep, token_client, library, django_assert_max_num_queries
):
    client = token_client(rep)
    client.get(ASSETS)  # warm the library-mean cache
    with django_assert_max_num_queries(10):
        client.get(ASSETS)
