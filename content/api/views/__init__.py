"""API views, one module per area; urls.py reaches them through this package."""

from content.api.views.deals import (
    DealByCrmIdView,
    DealOutcomeByCrmIdView,
    DealViewSet,
    UsageViewSet,
)
from content.api.views.library import (
    AssetViewSet,
    MeView,
    NotFoundView,
    StageViewSet,
    VersionDownloadView,
)
from content.api.views.plays import DealRecommendationsByCrmIdView

__all__ = [
    "AssetViewSet",
    "DealByCrmIdView",
    "DealOutcomeByCrmIdView",
    "DealRecommendationsByCrmIdView",
    "DealViewSet",
    "MeView",
    "NotFoundView",
    "StageViewSet",
    "UsageViewSet",
    "VersionDownloadView",
]
