from django.contrib import admin
from django.urls import include, path

from content.views.home import HomeView, healthz

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    # Single sign-on round trips (allauth; no namespace: allauth reverses its names).
    path("accounts/", include("accounts.urls_sso")),
    # SCIM 2.0 provisioning, for SCIM tokens only (accounts/scim.py).
    path("scim/v2/", include("accounts.scim_urls", namespace="scim")),
    path("admin/", admin.site.urls),
    path("api/", include("content.api.urls")),
    path("embed/", include("content.embed_urls")),
    path("", include("content.urls")),
]

# Outages (database or file store unreachable) answer 503; see enablement/errors.py.
handler500 = "enablement.errors.server_error"
