"""Reads for share links: what may be shared, a rep's links, prospect engagement.

The sharing rule lives here, in `shareable_q` and `asset_is_shareable`, and
nowhere else: an asset may leave the company through a link only when it is
published, cleared for people outside the company (its audience includes
partners) and is not one of the kinds written for our own sellers' eyes.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from accounts import roles
from content.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Audience,
    Deal,
    ShareEvent,
    ShareLink,
    ShareLinkItem,
)

# Kinds that are the seller's own tools (competitive tactics, talk tracks,
# templates to write from): never sent to a prospect, whatever their audience.
INTERNAL_ONLY_KINDS = frozenset(
    {
        AssetKind.BATTLE_CARD,
        AssetKind.OBJECTION_HANDLER,
        AssetKind.COMPETITIVE_BRIEF,
        AssetKind.CALL_SCRIPT,
        AssetKind.EMAIL_TEMPLATE,
    }
)


def shareable_q(prefix: str = "") -> Q:
    """The sharing rule as a filter; `prefix` reaches the asset across a relation."""
    return (
        Q(**{f"{prefix}status": AssetStatus.PUBLISHED})
        & Q(**{f"{prefix}audience": Audience.PARTNERS})
        & Q(**{f"{prefix}current_version__isnull": False})
        & ~Q(**{f"{prefix}kind__in": INTERNAL_ONLY_KINDS})
    )


def asset_is_shareable(asset: Asset) -> bool:
    """The same rule as `shareable_q`, for one asset already in memory."""
    return (
        asset.status == AssetStatus.PUBLISHED
        and asset.audience == Audience.PARTNERS
        and asset.current_version_id is not None
        and asset.kind not in INTERNAL_ONLY_KINDS
    )


def why_not_shareable(asset: Asset) -> str:
    """A sentence for the rep when the asset page offers no share form."""
    if asset.status != AssetStatus.PUBLISHED:
        return "Only published assets can be shared."
    if asset.kind in INTERNAL_ONLY_KINDS:
        return f"{asset.get_kind_display()}s are for internal use and cannot be shared."
    if asset.audience != Audience.PARTNERS:
        return "This asset is internal only and cannot be shared outside the company."
    if asset.current_version_id is None:
        return "This asset has no file to share yet."
    return ""


def shareable_assets(*, user) -> QuerySet[Asset]:
    """Assets `user` may see and send to a prospect."""
    if not roles.can_share_externally(user):
        return Asset.objects.none()
    return (
        Asset.objects.visible_to(user)
        .filter(shareable_q())
        .select_related("current_version")
        .order_by("title", "pk")
    )


def share_deal_choices(*, user) -> QuerySet[Deal]:
    """The deals a share may belong to: the user's own open deals."""
    return Deal.objects.owned_by(user).open().order_by("name", "pk")


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=ShareLinkItem.objects.select_related("asset").order_by(
            "position", "id"
        ),
    )


def share_links_for(*, user) -> QuerySet[ShareLink]:
    """The links `user` created, newest first, with deal and assets loaded."""
    return (
        ShareLink.objects.created_by(user)
        .select_related("deal")
        .prefetch_related(_items_prefetch())
    )


def share_link_events(*, share: ShareLink, limit: int = 50) -> list[ShareEvent]:
    return list(
        share.events.select_related("item__asset").order_by("-created_at", "-id")[
            :limit
        ]
    )


def share_by_token_hash(*, token_hash: str) -> ShareLink | None:
    """The share with this token hash, its creator and items loaded, or None."""
    return (
        ShareLink.objects.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ShareLinkItem.objects.select_related(
                    "asset__current_version"
                ).order_by("position", "id"),
            )
        )
        .filter(token_hash=token_hash)
        .first()
    )


def public_share_items(*, share: ShareLink) -> list[ShareLinkItem]:
    """The items a prospect may still open: an asset retired, made internal or
    emptied since the link was made drops out of the page."""
    return [item for item in share.items.all() if asset_is_shareable(item.asset)]


def asset_share_links(*, user, asset: Asset, limit: int = 10) -> list[ShareLink]:
    """`user`'s latest links that carry `asset`, for the asset page."""
    return list(
        ShareLink.objects.created_by(user)
        .filter(items__asset=asset)
        .select_related("deal")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass
class DealEngagement:
    links: list[ShareLink]
    recent_events: list[ShareEvent]
    opens: int = 0
    downloads: int = 0
    last_opened_at: datetime | None = None
    # asset pk -> {"asset": Asset, "views": int, "downloads": int}
    by_asset: list[dict[str, Any]] = field(default_factory=list)


def deal_share_engagement(*, user, deal: Deal, limit: int = 10) -> DealEngagement:
    """How the prospect engaged with what was shared for `deal`.

    Only the deal's owner sees it (the caller has already checked that `user`
    may see the deal); three queries whatever the number of links.
    """
    if deal.owner_id != user.pk:
        return DealEngagement(links=[], recent_events=[])
    links = list(
        ShareLink.objects.filter(deal=deal)
        .select_related("created_by")
        .prefetch_related(_items_prefetch())
        .order_by("-created_at", "-id")
    )
    events = list(
        ShareEvent.objects.filter(share__deal=deal)
        .select_related("item__asset", "share")
        .order_by("-created_at", "-id")[:limit]
    )
    by_asset: dict[int, dict[str, Any]] = {}
    for link in links:
        for item in link.items.all():
            row = by_asset.setdefault(
                item.asset_id, {"asset": item.asset, "views": 0, "downloads": 0}
            )
            row["views"] += item.view_count
            row["downloads"] += item.download_count
    opened = [link.last_opened_at for link in links if link.last_opened_at]
    return DealEngagement(
        links=links,
        recent_events=events,
        opens=sum(link.open_count for link in links),
        downloads=sum(link.download_count for link in links),
        last_opened_at=max(opened) if opened else None,
        by_asset=sorted(
            by_asset.values(),
            key=lambda r: (-r["views"] - r["downloads"], r["asset"].title),
        ),
    )
