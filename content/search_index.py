"""The full-text index behind search, kept by the database itself.

PostgreSQL: a GIN index on `to_tsvector('english', search_text)`, the expression
of `content.selectors.search.search_vector()`.

SQLite: an FTS5 table over `content_asset.search_text` (external content, so the
text is stored once) with the Porter stemmer, like PostgreSQL's english config,
kept in step by triggers. Without it, a search has to LIKE-scan every asset's
text, which takes about half a second at 100,000 assets.

`install()` runs after every `migrate` (post_migrate, see content.apps), so test
databases built without migrations get the index too, and so do tables that a
later SQLite migration rebuilds (which drops their triggers). It is idempotent:
everything is created only if missing, and the FTS table is filled only when it
is new.
"""

import re

from django.db.backends.base.base import BaseDatabaseWrapper

FTS_TABLE = "content_asset_fts"
_WORD = re.compile(r"\w")

# The one home of the PostgreSQL index's SQL: migration 0002 imports these too.
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS content_asset_search_gin ON content_asset "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(search_text, ''::text)))"
)
POSTGRES_INDEX_DROP = "DROP INDEX IF EXISTS content_asset_search_gin"

# Our own constant names only; nothing here is built from input.
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE content_asset_fts USING fts5(search_text, "
    "content='content_asset', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS content_asset_fts_insert
    AFTER INSERT ON content_asset
    BEGIN
        INSERT INTO content_asset_fts(rowid, search_text)
        VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS content_asset_fts_delete
    AFTER DELETE ON content_asset
    BEGIN
        INSERT INTO content_asset_fts(content_asset_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS content_asset_fts_update
    AFTER UPDATE OF search_text ON content_asset
    BEGIN
        INSERT INTO content_asset_fts(content_asset_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO content_asset_fts(rowid, search_text)
        VALUES (new.id, new.search_text);
    END""",
)
SQLITE_REBUILD = "INSERT INTO content_asset_fts(content_asset_fts) VALUES ('rebuild')"
SQLITE_MATCH = "SELECT rowid FROM content_asset_fts WHERE content_asset_fts MATCH %s"


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the search index of `connection`'s database if it is missing."""
    if "content_asset" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_INDEX)
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s",
                [FTS_TABLE],
            )
            is_new = cursor.fetchone() is None
            if is_new:
                cursor.execute(SQLITE_TABLE)
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(trigger)
            if is_new:
                # Index the rows that exist already (a database from before).
                cursor.execute(SQLITE_REBUILD)


def fts_match_expression(include: list[str], exclude: list[str]) -> str:
    """An FTS5 query: every included term (a word or a phrase) and none of the
    excluded ones. Terms are quoted, so FTS5 operators in them are plain text.

    Terms without a letter or digit are left out (FTS5 would match nothing for
    them); "" means there is nothing left to search for.
    """

    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    include = [term for term in include if _WORD.search(term)]
    exclude = [term for term in exclude if _WORD.search(term)]
    if not include:
        return ""
    expression = " AND ".join(quoted(term) for term in include)
    for term in exclude:
        expression += " NOT " + quoted(term)
    return expression
