"""The Django admin for content. Each area registers its models in its own block.

Writes go through the same services as the site. Nothing with history can be
deleted here: the database refuses it (PROTECT) and the admin does not offer it.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from content.models import (
    Asset,
    AssetActivity,
    AssetEvent,
    AssetLastActivity,
    ContentRequest,
    ContentRequestVote,
    DailyAssetStat,
    Deal,
    DealStageChange,
    DigestState,
    Industry,
    Notification,
    Play,
    PlayActivity,
    PlayItem,
    Rating,
    RatingReply,
    RequestStatus,
    SearchChunk,
    SearchLog,
    ShareEvent,
    ShareLink,
    ShareLinkItem,
    Stage,
    Subscription,
    Usage,
    Version,
)
from content.services import library as library_services
from content.services import stages as stage_services
from content.services.feedback import content_request_triage
from content.services.notifications import subscription_delete

# admin:library ---------------------------------------------------------------------


def _asset_has_history(asset: Asset) -> bool:
    return (
        asset.versions.exists()
        or asset.ratings.exists()
        or asset.usages.exists()
        or asset.events.exists()
        or asset.activity.exists()
    )


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active", "slug"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    fields = ["name", "slug", "order", "description", "exit_goal", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Stages are deactivated, never deleted: deals and usage point at them.
        return False

    def save_model(self, request, obj: Stage, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            stage_services.stage_update(
                actor=request.user,
                stage=obj,
                name=data["name"],
                description=data["description"],
                exit_goal=data["exit_goal"],
                order=data["order"],
                is_active=data["is_active"],
            )
        else:
            stage = stage_services.stage_create(
                actor=request.user,
                name=data["name"],
                description=data["description"],
                exit_goal=data["exit_goal"],
                order=data["order"],
            )
            obj.pk = stage.pk


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "original_name", "size", "content_type", "preview_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """Read and correct assets; uploads and retiring happen on the site."""

    list_display = ["title", "kind", "status", "audience", "owner", "review_by"]
    list_filter = ["status", "kind", "audience", "stages"]
    search_fields = ["title", "summary", "competitor"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["stages"]
    inlines = [VersionInline]
    actions = ["publish_selected", "verify_selected"]
    readonly_fields = [
        "status",
        "published_at",
        "verified_at",
        "retired_at",
        "retired_reason",
        "replaced_by",
        "current_version",
        "rating_count",
        "rating_total",
        "usage_count",
        "deal_count",
        "view_count",
        "download_count",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "summary", "stages", "tags"]}),
        ("Audience and ownership", {"fields": ["audience", "owner", "review_by"]}),
        (
            "Battle card",
            {
                "fields": [
                    "competitor",
                    "their_strengths",
                    "their_weaknesses",
                    "landmines",
                    "how_we_win",
                ],
                "classes": ["collapse"],
            },
        ),
        (
            "Objection handler",
            {
                "fields": ["objection", "response", "when_to_use"],
                "classes": ["collapse"],
            },
        ),
        ("Proof", {"fields": ["proof_points"], "classes": ["collapse"]}),
        (
            "Lifecycle",
            {
                "fields": [
                    "status",
                    "current_version",
                    "published_at",
                    "verified_at",
                    "retired_at",
                    "retired_reason",
                    "replaced_by",
                ]
            },
        ),
        (
            "Counters",
            {
                "fields": [
                    "rating_count",
                    "rating_total",
                    "usage_count",
                    "deal_count",
                    "view_count",
                    "download_count",
                    "created_at",
                    "updated_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return False  # no bulk deletes from the list
        return not _asset_has_history(obj)

    def save_model(self, request, obj: Asset, form, change: bool) -> None:
        data = dict(form.cleaned_data)
        stages = list(data.pop("stages", []))
        tags = list(data.pop("tags", []))
        fields = {
            name: value
            for name, value in data.items()
            if name in library_services.EDITABLE_FIELDS
        }
        if change:
            fresh = Asset.objects.get(pk=obj.pk)
            library_services.asset_update(
                actor=request.user, asset=fresh, stages=stages, tags=tags, **fields
            )
        else:
            card = {
                k: fields.pop(k) for k in library_services.CARD_FIELDS if k in fields
            }
            fields.pop("kind", None)
            fields.pop("title", None)
            asset = library_services.asset_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                stages=stages,
                tags=tags,
                **fields,
                **card,
            )
            obj.pk = asset.pk

    def save_related(self, request, form, formsets, change: bool) -> None:
        # Stages and tags were saved by the service; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="Publish the selected drafts")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Asset]) -> None:
        self._run(request, queryset, library_services.asset_publish, "published")

    @admin.action(description="Verify the selected assets as still current")
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Asset]) -> None:
        self._run(request, queryset, library_services.asset_verify, "verified")

    def _run(self, request, queryset, service, done: str) -> None:
        count = 0
        for asset in queryset:
            try:
                service(actor=request.user, asset=asset)
            except ValidationError as exc:
                self.message_user(
                    request, f"{asset}: {' '.join(exc.messages)}", messages.WARNING
                )
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} asset(s) {done}.", messages.SUCCESS)


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Versions are history: uploaded on the site, never edited or deleted."""

    list_display = ["asset", "number", "original_name", "size", "preview_status"]
    list_filter = ["preview_status", "content_type"]
    search_fields = ["asset__title", "original_name", "sha256"]
    list_select_related = ["asset"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [field.name for field in Version._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AssetActivity)
class AssetActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "asset", "detail"]
    list_filter = ["verb"]
    search_fields = ["asset__title", "detail"]
    list_select_related = ["actor", "asset"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# admin:analytics -------------------------------------------------------------------
# Everything else: the history of what people did (deals, uses, ratings, events,
# votes, searches, notifications, share links). It is read here, never edited or
# deleted; the figures rolled up from it are rebuilt by `rebuild_daily_stats`.
# Every model of the app must have an admin (tests/content/analytics/test_admin.py).


class HistoryAdmin(admin.ModelAdmin):
    """View only: no add, no change, no delete, no bulk delete action."""

    show_full_result_count = False  # no second COUNT(*) over millions of rows

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class HistoryInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class UsageInline(HistoryInline):
    model = Usage
    fields = ["created_at", "asset", "version", "stage", "user", "note"]
    readonly_fields = fields
    ordering = ["-created_at"]


@admin.register(Deal)
class DealAdmin(HistoryAdmin):
    """Deals belong to their rep, who alone changes them (services.deals)."""

    list_display = ["name", "account", "owner", "stage", "outcome", "amount"]
    list_filter = ["outcome", "stage"]
    search_fields = ["name", "account", "crm_id", "owner__username"]
    list_select_related = ["owner", "stage"]
    date_hierarchy = "created_at"
    inlines = [UsageInline]


@admin.register(Usage)
class UsageAdmin(HistoryAdmin):
    list_display = ["created_at", "asset", "version", "deal", "stage", "user"]
    list_filter = ["stage"]
    search_fields = ["asset__title", "deal__name", "deal__account", "user__username"]
    list_select_related = ["asset", "version__asset", "deal", "stage", "user"]
    raw_id_fields = ["asset", "version", "deal", "user"]


@admin.register(Rating)
class RatingAdmin(HistoryAdmin):
    list_display = ["updated_at", "asset", "user", "stars", "comment"]
    list_filter = ["stars"]
    search_fields = ["asset__title", "user__username", "comment"]
    list_select_related = ["asset", "user"]


@admin.register(ContentRequest)
class ContentRequestAdmin(HistoryAdmin):
    """Triage happens on the requests page (done needs its asset, declined its
    reason); here an admin can mark requests as planned, through the service."""

    list_display = ["title", "status", "vote_count", "stage", "kind", "requester"]
    list_filter = ["status", "stage", "kind"]
    search_fields = ["title", "description", "requester__username"]
    list_select_related = ["stage", "requester"]
    actions = ["mark_planned"]

    @admin.action(description="Mark the selected requests as planned")
    def mark_planned(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for item in queryset:
            try:
                content_request_triage(
                    user=request.user, request=item, status=RequestStatus.PLANNED
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{item}: {' '.join(exc.messages)}", messages.WARNING
                )
            else:
                count += 1
        if count:
            self.message_user(
                request, f"{count} request(s) marked as planned.", messages.SUCCESS
            )


@admin.register(ContentRequestVote)
class ContentRequestVoteAdmin(HistoryAdmin):
    list_display = ["created_at", "request", "user"]
    search_fields = ["request__title", "user__username"]
    list_select_related = ["request", "user"]


@admin.register(SearchLog)
class SearchLogAdmin(HistoryAdmin):
    list_display = ["created_at", "query", "stage", "role", "results_count", "user"]
    list_filter = ["role", "stage"]
    search_fields = ["query", "normalized_query"]
    list_select_related = ["stage", "user"]


@admin.register(SearchChunk)
class SearchChunkAdmin(HistoryAdmin):
    """Read-only: the embedding task writes them (`reindex_search` rebuilds)."""

    list_display = ["asset", "ordinal", "page_label", "page", "encoder", "created_at"]
    list_filter = ["encoder"]
    search_fields = ["asset__title"]
    list_select_related = ["asset"]
    exclude = ["vector"]


@admin.register(AssetEvent)
class AssetEventAdmin(HistoryAdmin):
    list_display = ["created_at", "kind", "asset", "version", "user"]
    list_filter = ["kind"]
    search_fields = ["asset__title", "user__username"]
    list_select_related = ["asset", "version__asset", "user"]


@admin.register(DailyAssetStat)
class DailyAssetStatAdmin(HistoryAdmin):
    list_display = [
        "day",
        "asset",
        "views",
        "downloads",
        "prospect_views",
        "usages",
        "unique_viewers",
    ]
    search_fields = ["asset__title"]
    list_select_related = ["asset"]
    date_hierarchy = "day"


@admin.register(AssetLastActivity)
class AssetLastActivityAdmin(HistoryAdmin):
    list_display = ["asset", "day"]
    search_fields = ["asset__title"]
    list_select_related = ["asset"]


@admin.register(Subscription)
class SubscriptionAdmin(HistoryAdmin):
    """A follow carries no history: an admin may remove one, through the service."""

    list_display = ["created_at", "user", "stage", "tag", "asset"]
    list_filter = ["stage"]
    search_fields = ["user__username", "asset__title", "tag__name"]
    list_select_related = ["user", "stage", "tag", "asset"]

    def get_actions(self, request: HttpRequest):
        return admin.ModelAdmin.get_actions(self, request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj: Subscription) -> None:
        subscription_delete(
            user=obj.user, stage=obj.stage, tag=obj.tag, asset=obj.asset
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset.select_related("user", "stage", "tag", "asset"):
            self.delete_model(request, obj)


@admin.register(Notification)
class NotificationAdmin(HistoryAdmin):
    list_display = ["created_at", "user", "verb", "message", "read_at"]
    list_filter = ["verb"]
    search_fields = ["user__username", "message"]
    list_select_related = ["user"]


@admin.register(DigestState)
class DigestStateAdmin(HistoryAdmin):
    list_display = ["user", "enabled", "last_digest_at"]
    list_filter = ["enabled"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


class ShareLinkItemInline(HistoryInline):
    model = ShareLinkItem
    fields = ["asset", "view_count", "download_count"]
    readonly_fields = fields


@admin.register(ShareLink)
class ShareLinkAdmin(HistoryAdmin):
    """Only the rep who made a link revokes it (on the site); its token is never
    shown, only its hash is stored."""

    list_display = [
        "created_at",
        "created_by",
        "recipient",
        "deal",
        "expires_at",
        "revoked_at",
        "open_count",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["recipient", "created_by__username", "deal__name"]
    list_select_related = ["created_by", "deal"]
    exclude = ["token_hash", "passcode_hash"]
    inlines = [ShareLinkItemInline]


@admin.register(ShareLinkItem)
class ShareLinkItemAdmin(HistoryAdmin):
    list_display = ["share", "asset", "view_count", "download_count"]
    search_fields = ["asset__title", "share__recipient"]
    list_select_related = ["share", "asset"]


@admin.register(ShareEvent)
class ShareEventAdmin(HistoryAdmin):
    list_display = ["created_at", "kind", "share", "item"]
    list_filter = ["kind"]
    list_select_related = ["share", "item__asset"]


# admin:plays -----------------------------------------------------------------------


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    """The industries a deal may carry: marketing keeps the list; an industry
    in use is switched off (is_active), never deleted."""

    list_display = ["name", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# Plays are edited on the site (content:play_edit, with their history); the
# admin shows them, their items and history, and each deal's stage history.


@admin.register(Play)
class PlayAdmin(HistoryAdmin):
    list_display = ["stage", "updated_by", "updated_at"]
    list_select_related = ["stage", "updated_by"]


@admin.register(PlayItem)
class PlayItemAdmin(HistoryAdmin):
    list_display = ["play", "position", "asset", "when_to_use"]
    list_select_related = ["play__stage", "asset"]
    raw_id_fields = ["asset"]


@admin.register(PlayActivity)
class PlayActivityAdmin(HistoryAdmin):
    list_display = ["created_at", "play", "actor"]
    list_select_related = ["play__stage", "actor"]


@admin.register(DealStageChange)
class DealStageChangeAdmin(HistoryAdmin):
    list_display = ["created_at", "deal", "from_stage", "to_stage", "source"]
    list_filter = ["source"]
    list_select_related = ["deal", "from_stage", "to_stage"]
    raw_id_fields = ["deal"]


# admin:feedback (answers) --------------------------------------------------------


@admin.register(RatingReply)
class RatingReplyAdmin(HistoryAdmin):
    """Answers are written on the asset report by the asset's owner or an admin."""

    list_display = ["created_at", "rating", "author"]
    list_select_related = ["rating__asset", "author"]
    raw_id_fields = ["rating"]
