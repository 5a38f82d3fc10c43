"""The database's own search index (content.search_index): SQLite's FTS5 table is
kept in step by triggers and understands words, phrases, stems and exclusions;
PostgreSQL gets its GIN index. Both are made by `migrate` (post_migrate)."""

import pytest
from django.db import connection

from content import search_index
from content.models import Asset
from content.search_index import fts_match_expression
from content.selectors.search import search_assets
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 table is SQLite's index"
)


def found(user, query: str) -> set[str]:
    return {asset.title for asset in search_assets(user=user, query=query)}


def test_match_expression_quotes_every_term_so_operators_are_text():
    assert fts_match_expression(["pricing", "too expensive"], ["legacy"]) == (
        '"pricing" AND "too expensive" NOT "legacy"'
    )
    assert fts_match_expression(['say "no"'], []) == '"say ""no"""'
    assert fts_match_expression(["NEAR(a b)", "title:x", "*"], []) == (
        '"NEAR(a b)" AND "title:x"'
    )


def test_match_expression_is_empty_without_a_word():
    assert fts_match_expression(["—", "!!"], ["x"]) == ""


@sqlite_only
def test_new_assets_are_indexed_and_found_by_stem(rep):
    AssetFactory(title="Pricing guide", search_text="Pricing guide for renewals")
    assert found(rep, "prices") == {"Pricing guide"}
    assert found(rep, "renewal") == {"Pricing guide"}


@sqlite_only
def test_edited_text_replaces_the_old_text_in_the_index(rep):
    asset = AssetFactory(title="Deck", search_text="kubernetes migration")
    asset.search_text = "serverless adoption"
    asset.save()
    assert found(rep, "kubernetes") == set()
    assert found(rep, "serverless") == {"Deck"}


@sqlite_only
def test_deleted_rows_leave_the_index(rep):
    asset = AssetFactory(title="Gone", search_text="ephemeral words")
    Asset.objects.filter(pk=asset.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(search_index.SQLITE_MATCH, ['"ephemeral"'])
        assert cursor.fetchall() == []


@sqlite_only
def test_phrases_and_exclusions(rep):
    AssetFactory(title="A", search_text="too expensive for the budget")
    AssetFactory(title="B", search_text="expensive, but too slow")
    assert found(rep, '"too expensive"') == {"A"}
    assert found(rep, "expensive -slow") == {"A"}
    assert found(rep, 'expensive -"too expensive"') == {"B"}


@pytest.mark.parametrize(
    "query", ["—", '"!!"', "NEAR(x y)", "title:deck", "a*", "(", '"', "AND OR NOT"]
)
def test_hostile_or_empty_queries_never_error(rep, query):
    AssetFactory(title="Deck", search_text="a deck about title matters")
    list(search_assets(user=rep, query=query))  # no OperationalError


@sqlite_only
def test_install_indexes_rows_written_before_it_and_is_idempotent(rep):
    AssetFactory(title="Old", search_text="prehistoric asset")
    with connection.cursor() as cursor:
        for trigger in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER content_asset_fts_{trigger}")
        cursor.execute("DROP TABLE content_asset_fts")
    search_index.install(connection)
    search_index.install(connection)  # a second migrate changes nothing
    assert found(rep, "prehistoric") == {"Old"}
    AssetFactory(title="New", search_text="prehistoric too")
    assert found(rep, "prehistoric") == {"Old", "New"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
def test_postgres_gets_its_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'content_asset_search_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "to_tsvector('english'::regconfig" in definition
