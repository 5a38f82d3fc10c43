"""The signed-in user, read with their unread notification count (one query).

Django loads the signed-in user on every request through the backend named in
the session. These are Django's and allauth's backends with one change: the user
comes with `unread_notifications`, the count the navigation's badge shows
(content.context_processors), as a subquery of the user's own query. Every page
a rep or partner opens saves a query, and the count is read fresh each request.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from content.models import Notification


def with_unread_count(queryset):
    # Written as SQL: the ORM's Subquery took 2 ms a request to compile, four
    # times the query it saves; this costs next to nothing.
    notifications = Notification._meta.db_table
    users = queryset.model._meta.db_table
    unread = RawSQL(  # noqa: S611 - no user input in it
        f'SELECT COUNT(*) FROM "{notifications}" AS n'  # noqa: S608 - our names
        f' WHERE n.user_id = "{users}".id AND n.read_at IS NULL',
        (),
        output_field=IntegerField(),
    )
    return queryset.annotate(unread_notifications=unread)


class _UserWithUnreadCount:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = with_unread_count(user_model._default_manager).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class PasswordBackend(_UserWithUnreadCount, ModelBackend):
    """Username and password (django.contrib.auth's ModelBackend)."""


class SingleSignOnBackend(_UserWithUnreadCount, AuthenticationBackend):
    """Single sign-on logins (allauth's backend)."""
