"""PostgreSQL only: a GIN index for full-text search over Asset.search_text.

The expression must match content.selectors.search.search_vector() exactly, or
PostgreSQL will not use it. SQLite searches with its LIKE fallback instead.
"""

from django.db import migrations

# The one statement that creates the index (content.search_index): the same
# CREATE INDEX IF NOT EXISTS as before, so running this again changes nothing.
from content.search_index import POSTGRES_INDEX as CREATE
from content.search_index import POSTGRES_INDEX_DROP as DROP


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
