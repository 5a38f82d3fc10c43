"""Share links for prospects: create, reorder, revoke, and record what they open."""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import roles
from content.models import (
    Asset,
    Deal,
    EventKind,
    ShareEvent,
    ShareEventKind,
    ShareLink,
    ShareLinkItem,
)
from content.selectors.sharing import asset_is_shareable, why_not_shareable
from content.services.events import event_record

DEFAULT_EXPIRY = timedelta(days=30)
MAX_EXPIRY = timedelta(days=365)
MAX_ITEMS = 20
# A prospect who reloads the page, or comes back within this window, is one open.
OPEN_DEDUP_WINDOW = timedelta(minutes=30)
# Link unfurlers and mail scanners fetch links nobody has read; their visits are
# served but not counted. Matched case-insensitively against the user agent.
BOT_MARKERS = (
    "bot",
    "crawler",
    "spider",
    "slurp",
    "facebookexternalhit",
    "preview",
    "python-requests",
    "curl/",
    "wget/",
)
TOKEN_BYTES = 32
PASSCODE_MIN = 4
PASSCODE_MAX = 64


def share_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def visitor_hash_for(*, ip: str, user_agent: str) -> str:
    """An anonymised, stable fingerprint: the IP never reaches the database."""
    return salted_hmac(
        "wingman.sharing.visitor", f"{ip}|{user_agent}", algorithm="sha256"
    ).hexdigest()[:32]


def is_probably_bot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(marker in agent for marker in BOT_MARKERS)


@transaction.atomic
def share_create(
    *,
    user,
    assets: Sequence[Asset],
    recipient: str,
    deal: Deal | None = None,
    message: str = "",
    expires_at: datetime | None = None,
    require_email: bool = False,
    passcode: str = "",
    allow_download: bool = True,
    watermark: bool = False,
) -> tuple[ShareLink, str]:
    """Create a link to `assets` (in that order); return it with its raw token.

    The token is returned once and only its hash is kept, like a password; so
    is the passcode, if any.
    """
    if not roles.can_share_externally(user):
        raise PermissionDenied("You may not share assets outside the company.")
    now = timezone.now()
    expires_at = expires_at or now + DEFAULT_EXPIRY
    errors: dict[str, list[str]] = {}
    assets = list(assets)
    if not assets:
        errors.setdefault("assets", []).append("Choose at least one asset to share.")
    if len(assets) > MAX_ITEMS:
        errors.setdefault("assets", []).append(
            f"A share can hold at most {MAX_ITEMS} assets."
        )
    if len({asset.pk for asset in assets}) != len(assets):
        errors.setdefault("assets", []).append("Each asset can be in a share once.")
    visible_ids = set(
        Asset.objects.visible_to(user)
        .filter(pk__in=[a.pk for a in assets])
        .values_list("pk", flat=True)
    )
    for asset in assets:
        if asset.pk not in visible_ids:
            errors.setdefault("assets", []).append(f"“{asset}” is not available.")
        elif not asset_is_shareable(asset):
            errors.setdefault("assets", []).append(
                f"“{asset}”: {why_not_shareable(asset)}"
            )
    if deal is not None and deal.owner_id != user.pk:
        errors.setdefault("deal", []).append("You can only share for your own deals.")
    if deal is None and len(assets) > 1:
        errors.setdefault("deal", []).append(
            "A share of several assets is a deal room: choose its deal."
        )
    if expires_at <= now:
        errors.setdefault("expires_at", []).append("The expiry must be in the future.")
    elif expires_at > now + MAX_EXPIRY:
        errors.setdefault("expires_at", []).append(
            "A link can live at most a year; create a new one when it runs out."
        )
    if passcode and not PASSCODE_MIN <= len(passcode) <= PASSCODE_MAX:
        errors.setdefault("passcode", []).append(
            f"A passcode has {PASSCODE_MIN} to {PASSCODE_MAX} characters."
        )
    if watermark and not require_email:
        errors.setdefault("watermark", []).append(
            "The watermark is the viewer's email: ask for an email to use it."
        )
    if errors:
        raise ValidationError(errors)

    raw_token = secrets.token_urlsafe(TOKEN_BYTES)
    share = ShareLink(
        token_hash=share_token_hash(raw_token),
        created_by=user,
        deal=deal,
        recipient=recipient.strip(),
        message=message.strip(),
        expires_at=expires_at,
        require_email=require_email,
        passcode_hash=make_password(passcode) if passcode else "",
        allow_download=allow_download,
        watermark=watermark,
    )
    share.full_clean()
    share.save()
    for position, asset in enumerate(assets):
        item = ShareLinkItem(share=share, asset=asset, position=position)
        item.full_clean()
        item.save()
    return share, raw_token


@transaction.atomic
def share_revoke(*, user, share: ShareLink) -> ShareLink:
    """The link stops working at once; its history stays. Revoking twice is a no-op."""
    if share.created_by_id != user.pk:
        raise PermissionDenied("You can only revoke your own links.")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at", "updated_at"])
    return share


@transaction.atomic
def share_item_move(
    *, user, share: ShareLink, item: ShareLinkItem, offset: int
) -> ShareLink:
    """Move an asset of a deal room up (offset -1) or down (+1) the page."""
    if share.created_by_id != user.pk:
        raise PermissionDenied("You can only change your own links.")
    if item.share_id != share.pk:
        raise ValidationError({"item": "That asset is not in this share."})
    items = list(share.items.select_for_update().order_by("position", "id"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, candidate in enumerate(items):
            if candidate.position != position:
                candidate.position = position
                candidate.save(update_fields=["position"])
    return share


@transaction.atomic
def share_open_record(
    *,
    share: ShareLink,
    items: Sequence[ShareLinkItem],
    visitor_hash: str,
    user_agent: str,
) -> bool:
    """Record that a prospect opened the link and saw `items`.

    Counts once per visitor per OPEN_DEDUP_WINDOW, skips known bots, and records
    a prospect view of every asset shown, which the analytics count. Returns
    whether anything was recorded.
    """
    if is_probably_bot(user_agent):
        return False
    now = timezone.now()
    seen = ShareEvent.objects.filter(
        share=share,
        kind=ShareEventKind.OPEN,
        visitor_hash=visitor_hash,
        created_at__gte=now - OPEN_DEDUP_WINDOW,
    ).exists()
    if seen:
        return False
    ShareEvent.objects.create(
        share=share,
        kind=ShareEventKind.OPEN,
        visitor_hash=visitor_hash,
        user_agent=user_agent[:300],
    )
    ShareLink.objects.filter(pk=share.pk, first_opened_at__isnull=True).update(
        first_opened_at=now
    )
    ShareLink.objects.filter(pk=share.pk).update(
        open_count=F("open_count") + 1, last_opened_at=now
    )
    ShareLinkItem.objects.filter(pk__in=[item.pk for item in items]).update(
        view_count=F("view_count") + 1
    )
    for item in items:
        event_record(
            asset=item.asset,
            kind=EventKind.PROSPECT_VIEW,
            version=item.asset.current_version,
            visitor_hash=visitor_hash,
            user_agent=user_agent,
        )
    return True


@transaction.atomic
def share_download_record(
    *,
    share: ShareLink,
    item: ShareLinkItem,
    visitor_hash: str,
    user_agent: str,
) -> bool:
    """Record that a prospect fetched the file of one asset of the link."""
    if is_probably_bot(user_agent):
        return False
    ShareEvent.objects.create(
        share=share,
        item=item,
        kind=ShareEventKind.DOWNLOAD,
        visitor_hash=visitor_hash,
        user_agent=user_agent[:300],
    )
    ShareLink.objects.filter(pk=share.pk).update(download_count=F("download_count") + 1)
    ShareLinkItem.objects.filter(pk=item.pk).update(
        download_count=F("download_count") + 1
    )
    event_record(
        asset=item.asset,
        kind=EventKind.PROSPECT_DOWNLOAD,
        version=item.asset.current_version,
        visitor_hash=visitor_hash,
        user_agent=user_agent,
    )
    return True
