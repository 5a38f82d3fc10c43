"""The Django admin for content. Each area registers its models in its own block.

Writes go through the same services as the site. Nothing with history can be
deleted here: the database refuses it (PROTECT) and the admin does not offer it.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from content.models import Asset, AssetActivity, Stage, Version
from content.services import library as library_services

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
            library_services.stage_update(
                actor=request.user,
                stage=obj,
                name=data["name"],
                description=data["description"],
                exit_goal=data["exit_goal"],
                order=data["order"],
                is_active=data["is_active"],
            )
        else:
            stage = library_services.stage_create(
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
