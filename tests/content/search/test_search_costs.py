"""What a hybrid search asks of the database, pinned (docs/search.md, "Cost"):
the word counts once per word, one visibility query for every candidate, and
keyword excerpts only for the page's keyword matches."""

import pytest

from content.selectors import search_page as page_module
from content.selectors import search_words
from content.semantic import index as semantic_index
from content.semantic.excerpts import excerpts_for
from tests.content.search.conftest import analyze

pytestmark = pytest.mark.django_db


def test_new_words_are_counted_in_one_query_then_come_from_the_cache(
    library, django_assert_num_queries
):
    analyze()
    with django_assert_num_queries(1):
        first = search_words.word_counts(["renewal", "price", "margins"])
    assert first.counts["renewal"] >= 1
    with django_assert_num_queries(0):
        again = search_words.word_counts(["price", "renewal"])
    assert again.counts == first.counts
    with django_assert_num_queries(1):  # only the new word is counted
        more = search_words.word_counts(["renewal", "calendar"])
    assert set(more.counts) == {"renewal", "price", "margins", "calendar"}


def test_the_word_counts_follow_the_content_version(library):
    from content.caching.keys import content_version_bump

    analyze()
    before = search_words.word_counts(["renewal"]).counts["renewal"]
    library["pricing"].search_text += " renewal"
    library["pricing"].save(update_fields=["search_text"])
    content_version_bump()  # as the library services do on an edit
    if search_words.connection.vendor == "sqlite":
        assert search_words.word_counts(["renewal"]).counts["renewal"] == before + 1


def test_a_hybrid_ranking_asks_visibility_once_for_all_candidates(
    rep, library, django_assert_max_num_queries
):
    query = "outrageously expensive price renewal"
    page_module.hybrid_ranking(user=rep, query=query)  # the index, the counts
    semantic_index.current_index()
    # The keyword ranking, the any-word ranking, the candidates' visibility.
    with django_assert_max_num_queries(3):
        ranking = page_module.hybrid_ranking(user=rep, query=query)
    assert library["pricing"].pk in ranking.ids
    assert ranking.keyword_ids == frozenset()  # no asset has every word


def test_the_keyword_matches_of_a_hybrid_ranking_are_marked(rep, library):
    ranking = page_module.hybrid_ranking(user=rep, query="discount")
    deck, internal = library["deck"].pk, library["internal"].pk
    assert {deck, internal} <= set(ranking.ids)
    if ranking.keyword_ids is not None:  # also found by meaning or any word
        assert {deck, internal} <= ranking.keyword_ids


def test_excerpts_ask_the_full_text_index_only_for_keyword_matches(
    library, django_assert_num_queries
):
    deck = library["deck"]
    # A page of meaning matches only: no snippet query, only the chunk rows.
    with django_assert_num_queries(1):
        excerpts = excerpts_for(
            [deck], include=["discount"], exclude=[], chunks={}, keyword_ids=set()
        )
    assert "discount" in [text.lower() for text, hit in excerpts[deck.pk].parts if hit]
    with django_assert_num_queries(2):  # the snippet, then its chunk
        keyword = excerpts_for(
            [deck], include=["discount"], exclude=[], chunks={}, keyword_ids=None
        )
    assert keyword[deck.pk].page == 3


def test_an_excerpt_reads_only_the_chunks_it_can_come_from(library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deck = library["deck"]
    nearest = deck.search_chunks.get(ordinal=2).pk
    with CaptureQueriesContext(connection) as queries:
        excerpts = excerpts_for(
            [deck], include=["procurement"], exclude=[], chunks={deck.pk: nearest},
            keyword_ids=set(),
        )  # fmt: skip
    assert excerpts[deck.pk].page == 2
    (chunk_query,) = queries.captured_queries
    where = chunk_query["sql"].split("WHERE", 1)[1].split("ORDER BY")[0]
    assert "asset_id" not in where  # the one chunk, not all of the asset's
