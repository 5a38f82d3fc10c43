"""Content models, one module per concern; import them from here."""

from content.models.deals import Deal, DealOutcome, Usage
from content.models.events import AssetEvent, DailyAssetStat, EventKind
from content.models.feedback import (
    ContentRequest,
    ContentRequestVote,
    Rating,
    RequestStatus,
    SearchLog,
)
from content.models.library import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetKind,
    AssetStatus,
    Audience,
    PreviewStatus,
    Stage,
    Version,
)

__all__ = [
    "ActivityVerb",
    "Asset",
    "AssetActivity",
    "AssetEvent",
    "AssetKind",
    "AssetStatus",
    "Audience",
    "ContentRequest",
    "ContentRequestVote",
    "DailyAssetStat",
    "Deal",
    "DealOutcome",
    "EventKind",
    "PreviewStatus",
    "Rating",
    "RequestStatus",
    "SearchLog",
    "Stage",
    "Usage",
    "Version",
]
