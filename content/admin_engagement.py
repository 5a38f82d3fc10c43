"""The admin of prospect visits (content.models.engagement): read only.

Kept beside content/admin.py (registered from ContentConfig.ready) so that
module stays under the size the style guide allows.
"""

from django.contrib import admin

from content.admin import HistoryAdmin, HistoryInline
from content.models import ShareVisit, ShareVisitPage


class ShareVisitPageInline(HistoryInline):
    model = ShareVisitPage
    fields = ["item", "number", "seconds"]
    readonly_fields = fields


@admin.register(ShareVisit)
class ShareVisitAdmin(HistoryAdmin):
    list_display = ["started_at", "share", "email", "total_seconds", "beat_count"]
    list_select_related = ["share"]
    search_fields = ["email", "share__recipient"]
    inlines = [ShareVisitPageInline]


@admin.register(ShareVisitPage)
class ShareVisitPageAdmin(HistoryAdmin):
    list_display = ["visit", "item", "number", "seconds"]
    list_select_related = ["visit", "item__asset"]
