from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from accounts.models import ApiToken, ScimGroup, ScimToken, User
from accounts.roles import can_manage_users
from accounts.services import user_set_role
from accounts.services_scim import scim_token_create, scim_token_revoke
from accounts.services_sso import user_deactivate
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
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Deactivating ends the person's sessions and API tokens at once.
            user_deactivate(user=obj)

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


class ScimTokenAddForm(forms.ModelForm):
    class Meta:
        model = ScimToken
        fields = ["name"]


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Admins create the identity provider's SCIM token here; the secret is shown
    once on the page that follows, and only its hash is kept."""

    list_display = (
        "name",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = (
        "name",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke_tokens"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ScimTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else list(self.readonly_fields)

    def has_module_permission(self, request) -> bool:
        return can_manage_users(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_manage_users(request.user)

    def has_add_permission(self, request) -> bool:
        return can_manage_users(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        token, secret = scim_token_create(created_by=request.user, name=obj.name)
        obj.pk = token.pk
        request._scim_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        response = TemplateResponse(
            request,
            "admin/accounts/scimtoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "token": ScimToken.objects.get(pk=obj.pk),
                "secret": request._scim_secret,
                "title": "SCIM token created",
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected SCIM tokens")
    def revoke_tokens(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            scim_token_revoke(token=token)


@admin.register(ScimGroup)
class ScimGroupAdmin(admin.ModelAdmin):
    """Read-only: the identity provider owns these groups over SCIM."""

    list_display = ("name", "scim_external_id")
    readonly_fields = ("name", "scim_id", "scim_external_id", "user_set")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
