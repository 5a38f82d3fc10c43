"""The admin of the worked-out evidence rows (content/admin.py is at its size
limit, so this block lives here; `ContentConfig.ready` imports it)."""

from django.contrib import admin

from content.admin import HistoryAdmin
from content.models import AssetEvidence


@admin.register(AssetEvidence)
class AssetEvidenceAdmin(HistoryAdmin):
    """Rebuilt by `rebuild_daily_stats` and the queue, never edited."""

    list_display = [
        "days",
        "scope",
        "rank",
        "asset",
        "verdict",
        "low",
        "high",
        "computed_at",
    ]
    list_filter = ["days", "verdict"]
    search_fields = ["asset__title"]
    list_select_related = ["asset"]
    raw_id_fields = ["asset"]
