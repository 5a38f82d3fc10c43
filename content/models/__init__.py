"""Content models, one module per concern; import them from here."""

from content.models.deals import Deal, DealOutcome, Usage
from content.models.engagement import ShareVisit, ShareVisitPage
from content.models.events import (
    AssetEvent,
    AssetLastActivity,
    DailyAssetStat,
    EventKind,
)
from content.models.evidence import AssetEvidence
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
from content.models.notifications import (
    DigestState,
    Notification,
    NotificationVerb,
    Subscription,
    SubscriptionTarget,
)
from content.models.pages import VersionPage
from content.models.plays import (
    DealStageChange,
    Industry,
    Play,
    PlayActivity,
    PlayItem,
    StageChangeSource,
)
from content.models.replies import RatingReply
from content.models.search import SearchChunk
from content.models.sharing import ShareEvent, ShareEventKind, ShareLink, ShareLinkItem

__all__ = [
    "DealStageChange",
    "Industry",
    "Play",
    "PlayActivity",
    "PlayItem",
    "StageChangeSource",
    "ActivityVerb",
    "Asset",
    "AssetActivity",
    "AssetEvent",
    "AssetEvidence",
    "AssetLastActivity",
    "AssetKind",
    "AssetStatus",
    "Audience",
    "ContentRequest",
    "ContentRequestVote",
    "DailyAssetStat",
    "Deal",
    "DealOutcome",
    "DigestState",
    "EventKind",
    "Notification",
    "NotificationVerb",
    "PreviewStatus",
    "Rating",
    "RatingReply",
    "RequestStatus",
    "SearchChunk",
    "SearchLog",
    "ShareEvent",
    "ShareEventKind",
    "ShareLink",
    "ShareLinkItem",
    "ShareVisit",
    "ShareVisitPage",
    "Stage",
    "Subscription",
    "SubscriptionTarget",
    "Usage",
    "Version",
    "VersionPage",
]
