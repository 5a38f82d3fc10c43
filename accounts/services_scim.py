"""SCIM bearer tokens: created by an admin (the secret is returned once), revoked."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ScimToken, User
from accounts.roles import can_manage_users
from accounts.services_tokens import TOUCH_INTERVAL

# Not "wm_": a SCIM token is never a personal API token, and the prefix says so.
SCIM_KEY_PREFIX = "wmscim_"


def scim_key_hash(raw_key: str) -> str:
    # 256 random bits: a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def scim_token_create(*, created_by: User, name: str) -> tuple[ScimToken, str]:
    """Only admins; returns the token and its secret, never stored or shown again."""
    if not can_manage_users(created_by):
        raise PermissionDenied("Only admins can create SCIM tokens.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. 'Okta'."})
    raw_key = SCIM_KEY_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken(
        name=name,
        prefix=raw_key[: len(SCIM_KEY_PREFIX) + 6],
        key_hash=scim_key_hash(raw_key),
        created_by=created_by,
    )
    token.full_clean()
    token.save()
    return token, raw_key


@transaction.atomic
def scim_token_revoke(*, token: ScimToken) -> ScimToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def scim_token_for_key(raw_key: str) -> ScimToken | None:
    """The active token with this secret, or None; marks it used (once a minute)."""
    if not raw_key.startswith(SCIM_KEY_PREFIX) or len(raw_key) > 100:
        return None
    token = ScimToken.objects.filter(
        key_hash=scim_key_hash(raw_key), revoked_at__isnull=True
    ).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
            ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
