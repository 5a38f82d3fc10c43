"""Mounted at /embed/: the CRM panel, framed by the CRM (content.views.embed)."""

from django.urls import path, register_converter

from content.api.urls import CrmIdConverter
from content.views import embed as embed_views
from content.views import plays as play_views

app_name = "embed"

register_converter(CrmIdConverter, "embed_crm_id")

urlpatterns = [
    path("login/", embed_views.EmbedLoginView.as_view(), name="login"),
    path("signed-in/", embed_views.signed_in, name="signed_in"),
    # Before the panel: a CRM id may contain "/".
    path(
        "deals/crm/<embed_crm_id:crm_id>/create/",
        embed_views.deal_panel_create,
        name="deal_create",
    ),
    path("deals/crm/<embed_crm_id:crm_id>/", embed_views.deal_panel, name="deal"),
    # "Used it" from inside the frame: the same view as the deal page's.
    path(
        "deals/<int:pk>/use/<int:asset_pk>/",
        embed_views.embed_login_required(play_views.workspace_use),
        name="use",
    ),
]
