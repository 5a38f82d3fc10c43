"""The admin of page images (content.models.pages): read only.

Kept beside content/admin.py (which registers it on import) so that module
stays under the size the style guide allows.
"""

from django.contrib import admin

from content.admin import HistoryAdmin
from content.models import VersionPage


@admin.register(VersionPage)
class VersionPageAdmin(HistoryAdmin):
    """Page images are made by the file job, never edited here."""

    list_display = ["version", "number", "width", "height", "simplified", "created_at"]
    list_filter = ["simplified"]
    list_select_related = ["version__asset"]
    raw_id_fields = ["version"]
    readonly_fields = ["version", "number", "image", "width", "height", "simplified"]
