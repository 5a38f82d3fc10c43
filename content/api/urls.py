"""Mounted at /api/: the versioned API under v1/, its schema and its docs."""

from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from content.api import (
    schema,  # noqa: F401 - registers the token auth scheme
    views,
)

app_name = "api"


class CrmIdConverter:
    """A CRM id in the path: any printable text, `/` included (clients send it
    percent-encoded as %2F, which arrives decoded). NUL and control characters
    never reach the database (PostgreSQL refuses NUL in text); they get a 404."""

    regex = r"[^\x00-\x1f\x7f]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CrmIdConverter, "crm_id")

router = SimpleRouter()
router.register("stages", views.StageViewSet, basename="stage")
router.register("assets", views.AssetViewSet, basename="asset")
router.register("deals", views.DealViewSet, basename="deal")
router.register("usages", views.UsageViewSet, basename="usage")

urlpatterns = [
    path("v1/me/", views.MeView.as_view(), name="me"),
    # Before the deal itself: a CRM id may contain "/", so ".../outcome/" must
    # be tried first.
    path(
        "v1/deals/crm/<crm_id:crm_id>/outcome/",
        views.DealOutcomeByCrmIdView.as_view(),
        name="deal-outcome-by-crm-id",
    ),
    path(
        "v1/deals/crm/<crm_id:crm_id>/recommendations/",
        views.DealRecommendationsByCrmIdView.as_view(),
        name="deal-recommendations-by-crm-id",
    ),
    path(
        "v1/deals/crm/<crm_id:crm_id>/",
        views.DealByCrmIdView.as_view(),
        name="deal-by-crm-id",
    ),
    path(
        "v1/versions/<int:pk>/download/",
        views.VersionDownloadView.as_view(),
        name="version-download",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: CSP allows no inline JS.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    re_path(r"^", views.NotFoundView.as_view()),
]
