"""Hybrid search end to end: ranking, visibility, excerpts, reindexing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from content.models import SearchChunk
from content.selectors.search_page import did_you_mean, search_results, semantic_matches
from content.semantic import index as semantic_index
from content.semantic.embedding import asset_embed, vectors_version
from tests.content.search.conftest import analyze, make_asset

pytestmark = pytest.mark.django_db


def ids(results):
    return [asset.pk for asset in results[0:50]]


def test_meaning_finds_what_the_words_alone_miss(rep, library):
    # Every-word keyword search: "outrageously" is in no asset (and, unlike
    # "too", is no stop word PostgreSQL's English configuration would drop).
    hybrid = search_results(user=rep, query="outrageously expensive price")
    # Both name an expensive price (the internal sheet in its summary).
    assert library["pricing"].pk in ids(hybrid)[:2]
    keyword = search_results(
        user=rep, query="outrageously expensive price", hybrid=False
    )
    assert keyword.total == 0


def test_a_partner_never_gets_internal_assets_by_meaning(partner, rep, library):
    internal = library["internal"].pk
    hits = semantic_matches(user=rep, query="margins discount floors")
    assert internal in [hit.asset_id for hit in hits]
    partner_hits = semantic_matches(user=partner, query="margins discount floors")
    assert internal not in [hit.asset_id for hit in partner_hits]
    assert internal not in ids(search_results(user=partner, query="margins floors"))


def test_filters_apply_to_meaning_matches(rep, library):
    hits = semantic_matches(user=rep, query="expensive price", kind="deck")
    assert library["pricing"].pk not in [hit.asset_id for hit in hits]


def test_excluded_words_exclude_meaning_matches_too(rep, library):
    results = search_results(user=rep, query="expensive price -margins")
    assert library["internal"].pk not in ids(results)


def test_the_page_shows_the_excerpt_with_its_slide(rep_client, library):
    response = rep_client.get(reverse("content:search"), {"q": "discount ladder"})
    assert response.status_code == 200
    html = response.content.decode()
    deck = library["deck"]
    assert "<mark>discount</mark>" in html
    assert "Slide 3" in html
    version = deck.current_version
    assert f"/versions/{version.pk}/download/?inline=1#page=3" in html


def test_a_partners_excerpts_never_quote_internal_assets(partner_client, library):
    response = partner_client.get(
        reverse("content:search"), {"q": "margins discount floors exceptions"}
    )
    html = response.content.decode()
    assert "Secret margin sheet" not in html
    assert "floors" not in html.split("</form>", 2)[-1]


def test_did_you_mean_a_misspelled_library_word(rep, rep_client, library):
    assert did_you_mean("Renewl deck", user=rep) == "Renewal deck"
    assert did_you_mean("renewal deck", user=rep) == ""
    response = rep_client.get(reverse("content:search"), {"q": "Renwal"})
    assert response.context["suggestion"] == "Renewal"
    assert "Did you mean" in response.content.decode()


def test_an_internal_word_is_never_suggested_to_a_partner(partner, library):
    assert did_you_mean("Secrett", user=partner) == ""


def test_the_index_picks_up_new_vectors_without_a_restart(rep, stage, library):
    before = semantic_index.current_index()
    version = vectors_version()
    new = make_asset(title="Onboarding kickoff", summary="calendar", stage=stage)
    # The test's transaction never commits: bump as the commit would.
    from content.semantic.embedding import vectors_version_bump

    vectors_version_bump()
    assert vectors_version() != version
    after = semantic_index.current_index()
    assert after is not before
    assert new.pk in set(after.asset_ids.tolist())


def test_embedding_twice_replaces_the_chunks(library):
    asset = library["deck"]
    first = SearchChunk.objects.filter(asset=asset).count()
    assert first == 4  # its own words and three slides
    assert asset_embed(asset_id=asset.pk) == first
    assert SearchChunk.objects.filter(asset=asset).count() == first
    assert list(
        SearchChunk.objects.filter(asset=asset, ordinal__gt=0).values_list(
            "page", "page_label"
        )
    ) == [(1, "slide"), (2, "slide"), (3, "slide")]


def test_reindex_search_rebuilds_everything_and_drops_other_encoders(library, capsys):
    asset = library["pricing"]
    SearchChunk.objects.filter(asset=asset).update(encoder="old-model")
    SearchChunk.objects.filter(asset=library["deck"]).delete()
    call_command("reindex_search")
    out = capsys.readouterr().out
    assert "Embedding 3 assets with hashing-64" in out
    assert "3/3" in out
    assert not SearchChunk.objects.exclude(encoder="hashing-64").exists()
    assert SearchChunk.objects.filter(asset=library["deck"]).count() == 4


def test_reindex_missing_only_embeds_assets_without_vectors(library, capsys):
    SearchChunk.objects.filter(asset=library["deck"]).delete()
    call_command("reindex_search", "--missing")
    assert "Embedding 1 assets" in capsys.readouterr().out


def test_editing_an_asset_enqueues_its_embedding(marketer, library, run_tasks):
    from content.services.library import asset_update

    asset = library["pricing"]
    with run_tasks():
        asset_update(actor=marketer, asset=asset, summary="Cheaper rivals handler")
    texts = SearchChunk.objects.filter(asset=asset, ordinal=0).values_list(
        "text", flat=True
    )
    assert "Cheaper rivals handler" in texts[0]


def test_a_refresh_reads_only_new_rows_and_replaces_an_assets_old_ones(
    library, django_assert_max_num_queries
):
    from content.semantic.embedding import vectors_version_bump

    first = semantic_index.current_index()
    deck = library["deck"]
    asset_embed(asset_id=deck.pk)  # its chunks again, with new ids
    vectors_version_bump()
    with django_assert_max_num_queries(2):  # the new rows and the count
        after = semantic_index.current_index()
    assert len(after) == len(first) == SearchChunk.objects.count()
    assert sorted(after.chunk_ids.tolist()) == sorted(
        SearchChunk.objects.values_list("pk", flat=True)
    )


def test_a_deleted_asset_makes_the_refresh_read_everything(library):
    from content.semantic.embedding import vectors_version_bump

    semantic_index.current_index()
    SearchChunk.objects.filter(asset=library["internal"]).delete()
    vectors_version_bump()
    after = semantic_index.current_index()
    assert library["internal"].pk not in set(after.asset_ids.tolist())
    assert len(after) == SearchChunk.objects.count()


def test_with_hybrid_search_off_the_page_ranks_by_the_words_alone(
    rep_client, library, settings
):
    query = {"q": "outrageously expensive price"}
    response = rep_client.get(reverse("content:search"), query)
    assert library["pricing"].title in response.content.decode()
    settings.WINGMAN_SEARCH_HYBRID = False
    response = rep_client.get(reverse("content:search"), query)
    assert response.status_code == 200
    assert library["pricing"].title not in response.content.decode()
    assert response.context["results"].total == 0


def test_the_any_word_ranking_leaves_out_the_librarys_common_words(
    rep, library, monkeypatch
):
    from content.selectors import search_page as page_module
    from content.selectors import search_words

    # Every word counts in a small library...
    assert search_words.informative_words(["price", "renewal"]) == [
        "price",
        "renewal",
    ]
    # ...but past the floor, a word in over the share of it ranks nothing.
    monkeypatch.setattr(search_words, "ANY_WORD_COMMON_FLOOR", 1)
    monkeypatch.setattr(search_words, "ANY_WORD_COMMON_SHARE", 0.0)
    analyze()
    assert search_words.informative_words(["price", "renewal"]) == ["renewal"]
    found = page_module.any_word_matches(user=rep, query="price renewal")
    assert found == [library["deck"].pk]
