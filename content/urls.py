from django.urls import path  # noqa: F401

from content.views import analytics as analytics_views
from content.views import deals as deal_views
from content.views import feedback as feedback_views
from content.views import files as file_views
from content.views import library as library_views
from content.views import notifications as notification_views
from content.views import playbook as playbook_views
from content.views import plays as play_views
from content.views import share_public as share_public_views
from content.views import sharing as sharing_views
from content.views import stages as stage_views
from content.views import uploads as upload_views

app_name = "content"

# Each area of the site adds its routes in its own block.
urlpatterns = [
    # urls:library
    path("assets/new/", library_views.AssetCreateView.as_view(), name="asset_add"),
    path("assets/<int:pk>/", library_views.AssetDetailView.as_view(), name="asset"),
    path(
        "assets/<int:pk>/edit/",
        library_views.AssetEditView.as_view(),
        name="asset_edit",
    ),
    path(
        "assets/<int:pk>/versions/new/",
        library_views.VersionCreateView.as_view(),
        name="version_add",
    ),
    path(
        "assets/<int:pk>/publish/",
        library_views.AssetPublishView.as_view(),
        name="asset_publish",
    ),
    path(
        "assets/<int:pk>/retire/",
        library_views.AssetRetireView.as_view(),
        name="asset_retire",
    ),
    path(
        "assets/<int:pk>/restore/",
        library_views.AssetRestoreView.as_view(),
        name="asset_restore",
    ),
    path(
        "assets/<int:pk>/verify/",
        library_views.AssetVerifyView.as_view(),
        name="asset_verify",
    ),
    path(
        "assets/<int:pk>/versions/<int:version_pk>/pages/<int:number>/",
        file_views.page,
        name="page",
    ),
    path("versions/<int:pk>/download/", file_views.download, name="download"),
    path("versions/<int:pk>/thumbnail/", file_views.thumbnail, name="thumbnail"),
    path(
        "versions/<int:pk>/preview/", file_views.preview_status, name="preview_status"
    ),
    path("library/", library_views.MyContentView.as_view(), name="my_content"),
    path(
        "library/review/",
        library_views.ReviewQueueView.as_view(),
        name="review_queue",
    ),
    path("library/bulk/", upload_views.BulkUploadView.as_view(), name="bulk_upload"),
    path("library/stages/", stage_views.StageListView.as_view(), name="stage_list"),
    path(
        "library/stages/new/",
        stage_views.StageCreateView.as_view(),
        name="stage_add",
    ),
    path(
        "library/stages/<int:pk>/edit/",
        stage_views.StageUpdateView.as_view(),
        name="stage_edit",
    ),
    # urls:playbook
    path("stages/<slug:slug>/", playbook_views.stage_detail, name="stage"),
    path("search/", playbook_views.search, name="search"),
    path("assets/<int:pk>/rate/", feedback_views.rate, name="rate"),
    path("assets/<int:pk>/usage/", deal_views.usage_add, name="usage_add"),
    path("whats-new/", playbook_views.whats_new_feed, name="whats_new"),
    path("deals/", deal_views.deal_list, name="deal_list"),
    path("deals/add/", deal_views.deal_add, name="deal_add"),
    path("deals/<int:pk>/", deal_views.deal_detail, name="deal"),
    path("deals/<int:pk>/edit/", deal_views.deal_edit, name="deal_edit"),
    path("deals/<int:pk>/outcome/", deal_views.deal_outcome, name="deal_outcome"),
    path("requests/", feedback_views.request_list, name="request_list"),
    path("requests/add/", feedback_views.request_add, name="request_add"),
    path("requests/<int:pk>/vote/", feedback_views.request_vote, name="request_vote"),
    path(
        "requests/<int:pk>/triage/",
        feedback_views.request_triage,
        name="request_triage",
    ),
    path(
        "notifications/",
        notification_views.notification_list,
        name="notifications",
    ),
    path("follow/<str:target>/<int:pk>/", notification_views.follow, name="follow"),
    path(
        "unfollow/<str:target>/<int:pk>/",
        notification_views.unfollow,
        name="unfollow",
    ),
    # urls:plays
    path("stages/<slug:slug>/play/", play_views.play_edit, name="play_edit"),
    path(
        "deals/<int:pk>/use/<int:asset_pk>/",
        play_views.workspace_use,
        name="workspace_use",
    ),
    path("deals/<int:pk>/context/", play_views.deal_context, name="deal_context"),
    # urls:analytics
    path("analytics/", analytics_views.dashboard, name="dashboard"),
    path(
        "analytics/assets/<int:pk>/",
        analytics_views.asset_report,
        name="asset_report",
    ),
    path(
        "analytics/ratings/<int:pk>/answer/",
        analytics_views.rating_answer,
        name="rating_answer",
    ),
    path("analytics/unused/", analytics_views.unused, name="unused"),
    path(
        "analytics/unused/<int:pk>/retire/",
        analytics_views.unused_retire,
        name="unused_retire",
    ),
    path("analytics/review-due/", analytics_views.review_due, name="stale"),
    path("analytics/low-rated/", analytics_views.low_rated, name="low_rated"),
    path("analytics/coverage/", analytics_views.coverage, name="coverage"),
    path(
        "analytics/requests/",
        analytics_views.open_requests,
        name="analytics_requests",
    ),
    path("analytics/search-gaps/", analytics_views.search_gaps, name="search_gaps"),
    path(
        "analytics/export/dashboard.csv",
        analytics_views.export_dashboard,
        name="export_dashboard",
    ),
    path(
        "analytics/export/ratings.csv",
        analytics_views.export_ratings,
        name="export_ratings",
    ),
    path(
        "analytics/export/usage.csv",
        analytics_views.export_usage,
        name="export_usage",
    ),
    # urls:sharing
    path("shares/", sharing_views.share_list, name="share_list"),
    path("shares/new/", sharing_views.share_room_add, name="share_room_add"),
    path("shares/<int:pk>/", sharing_views.share_detail, name="share_detail"),
    path("shares/<int:pk>/revoke/", sharing_views.share_revoke, name="share_revoke"),
    path(
        "shares/<int:pk>/items/<int:item_pk>/move/",
        sharing_views.share_item_move,
        name="share_item_move",
    ),
    path("assets/<int:pk>/share/", sharing_views.share_add, name="share_add"),
    # Public: the prospect's page. Under /s/, which needs no login.
    path("s/<str:token>/", share_public_views.share_public, name="share_public"),
    path(
        "s/<str:token>/files/<int:item_pk>/",
        share_public_views.share_public_file,
        name="share_public_file",
    ),
    path(
        "s/<str:token>/previews/<int:item_pk>/",
        share_public_views.share_public_thumbnail,
        name="share_public_thumbnail",
    ),
    path(
        "s/<str:token>/items/<int:item_pk>/pages/<int:number>/",
        share_public_views.share_public_page,
        name="share_public_page",
    ),
    path(
        "s/<str:token>/beacon/",
        share_public_views.share_beacon,
        name="share_beacon",
    ),
]
