"""django-scim2's URLs (namespace "scim"), with the discovery views of
accounts.scim_views in place of its own."""

from django.urls import URLPattern, re_path
from django_scim import urls as scim_urls

from accounts import scim_views

app_name = "scim"
_REPLACED = {
    "resource-types": re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        scim_views.ResourceTypesView.as_view(),
        name="resource-types",
    ),
    "schemas": re_path(
        r"^Schemas(?:/(?P<uuid>[^/]+))?$",
        scim_views.SchemasView.as_view(),
        name="schemas",
    ),
}
urlpatterns: list[URLPattern] = [
    *(_REPLACED.get(p.name, p) for p in scim_urls.urlpatterns),
    # Anything else under /scim/v2/ is a SCIM error, not the site's 404 page.
    re_path(r"^.*$", scim_views.not_found),
]
