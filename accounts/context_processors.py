from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts import roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs to draw the navigation for the current role."""
    user = request.user
    return {
        "brand_name": settings.WINGMAN_SITE_NAME,
        "can_manage_content": roles.can_manage_content(user),
        "can_view_analytics": roles.can_view_analytics(user),
        "can_manage_users": roles.can_manage_users(user),
        "is_partner": roles.is_partner(user),
    }
