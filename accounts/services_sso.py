"""Who an identity provider's person becomes in Wingman, and the end of an account.

The role always comes from WINGMAN_SSO_ROLE_MAP (IdP group -> role): nothing a
person sends (a form field, a claim named "role") ever sets it.
"""

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Role, ScimGroup, User

# When a person is in several mapped groups the most powerful role wins, so that
# adding someone to the admins' group is enough whatever else they are in.
ROLE_PRECEDENCE = [Role.ADMIN, Role.MARKETER, Role.REP, Role.PARTNER]


def role_map() -> dict[str, str]:
    valid = set(Role.values)
    return {
        str(group): role
        for group, role in settings.WINGMAN_SSO_ROLE_MAP.items()
        if role in valid
    }


def role_for_groups(groups: Iterable[str]) -> str | None:
    """The role the mapping gives these groups, or None: no access."""
    mapping = role_map()
    roles = {mapping[g] for g in groups if g in mapping}
    for role in ROLE_PRECEDENCE:
        if role in roles:
            return role
    return None


def groups_from_claims(data: dict[str, Any]) -> list[str] | None:
    """The groups listed in an ID token, userinfo or SAML attributes; None when
    the identity provider sent no groups claim at all."""
    value = data.get(settings.WINGMAN_SSO_GROUPS_CLAIM)
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def scim_groups_of(user: User) -> list[str]:
    return list(ScimGroup.objects.filter(user_set=user).values_list("name", flat=True))


@transaction.atomic
def user_apply_role(*, user: User, role: str) -> User:
    """Set the mapped role (and the admin flags that go with it) if it changed."""
    from accounts.services import user_set_role

    if user.role != role or user.is_staff != (role == Role.ADMIN):
        user_set_role(user=user, role=role)
    return user


def sync_role_from_scim_groups(*, user: User) -> User:
    """After a SCIM group change: the role its mapped groups give, if any.

    A user left in no mapped group keeps their role here; single sign-on refuses
    them at their next sign-in, and the IdP deactivates people who leave.
    """
    role = role_for_groups(scim_groups_of(user))
    if role is not None:
        user_apply_role(user=user, role=role)
    return user


def end_sessions(*, user: User) -> int:
    """Delete every database session of `user`; the number deleted.

    Inactive users are refused by the auth backends on their next request
    anyway; deleting the sessions makes the end immediate and visible.
    """
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in doomed:
        # The store's delete, so a cached copy (cached_db) goes with the row.
        store(session_key=session_key).delete()
    return len(doomed)


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate: sessions and personal API tokens end at once. Share links of
    an inactive owner already answer 410 (content.views.share)."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    end_sessions(user=user)
    return user
