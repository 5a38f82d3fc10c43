"""PostgreSQL only: a GIN index for full-text search over Asset.search_text.

The expression must match content.selectors.search.search_vector() exactly, or
PostgreSQL will not use it. SQLite searches with its LIKE fallback instead.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS content_asset_search_gin ON content_asset
  USING gin (to_tsvector('english'::regconfig, COALESCE(search_text, ''::text)));
"""
DROP = "DROP INDEX IF EXISTS content_asset_search_gin;"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
