from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User
from accounts.services import user_set_role


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
