"""API permissions: thin wrappers over accounts.roles, so the API and the site agree."""

from rest_framework.permissions import BasePermission

from accounts import roles


class CanUseLibrary(BasePermission):
    message = "Your role cannot use the library."

    def has_permission(self, request, view) -> bool:
        return roles.can_use_library(request.user)


class CanViewAnalytics(BasePermission):
    message = "Only marketers and admins can see an asset's figures."

    def has_permission(self, request, view) -> bool:
        return roles.can_view_analytics(request.user)
