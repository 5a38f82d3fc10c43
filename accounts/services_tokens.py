"""Personal API tokens: create (the key is returned once), revoke, mark as used."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ApiToken, User

KEY_PREFIX = "wm_"
# A user with more live keys than this has forgotten what they are for.
MAX_ACTIVE_TOKENS = 10
# last_used_at is for people, not auditing: one write a minute is enough.
TOUCH_INTERVAL = timedelta(minutes=1)


def api_key_hash(raw_key: str) -> str:
    # Keys are 256 random bits, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the new token and its raw key; the key is never stored or shown again."""
    name = name.strip()
    if not user.is_active:
        raise PermissionDenied("Inactive users cannot create API tokens.")
    if user.api_tokens.active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {
                "name": f"You already have {MAX_ACTIVE_TOKENS} active tokens; "
                "revoke one you no longer use first."
            }
        )
    if user.api_tokens.active().filter(name__iexact=name).exists():
        raise ValidationError({"name": "You already have an active token named so."})
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw_key[: len(KEY_PREFIX) + 6],
        key_hash=api_key_hash(raw_key),
    )
    token.full_clean()
    token.save()
    return token, raw_key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of `user`'s own tokens; revoking twice changes nothing."""
    if token.user_id != user.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was just used, at most once per TOUCH_INTERVAL."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)
    token.last_used_at = now


def api_token_for_key(raw_key: str) -> ApiToken | None:
    """The active token with this key and an active user, or None."""
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 100:
        return None
    return (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=api_key_hash(raw_key), user__is_active=True)
        .first()
    )
