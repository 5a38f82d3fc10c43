from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import ApiToken, User
from accounts.services import user_set_role
from accounts.services_tokens import api_token_revoke


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Wingman", {"fields": ("role", "title", "last_seen_news_at")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Wingman", {"fields": ("role", "email", "first_name", "last_name")}),
    )
    readonly_fields = ("last_login", "date_joined", "last_seen_news_at")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "role" in form.changed_data or not change:
            user_set_role(user=obj, role=obj.role)

    def has_delete_permission(self, request, obj=None) -> bool:
        # People leave history (ratings, usage, deals): deactivate, never delete.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see and revoke tokens; keys are never shown (only their hash exists)."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke_tokens"]

    def has_add_permission(self, request) -> bool:
        # A key is shown once to its owner; admins cannot mint keys for others.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request, queryset) -> None:
        for token in queryset.active():
            api_token_revoke(token=token, user=token.user)
