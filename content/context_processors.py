"""What every page's layout needs from the playbook: the unread notification count."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts import roles
from content.selectors.notifications import unread_notification_count


def playbook(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not roles.can_use_library(user):
        return {}

    def count() -> int:
        # Read with the user (content.auth_backends); counted here otherwise.
        unread = getattr(user, "unread_notifications", None)
        return unread if unread is not None else unread_notification_count(user=user)

    # Lazy: counted only when a template draws the navigation.
    return {"unread_notification_count": SimpleLazyObject(count)}
