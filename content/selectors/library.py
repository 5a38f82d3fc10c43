"""Reads for the library pages; every function returns a ready QuerySet or object."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import roles
from accounts.models import Role, User
from content.models import (
    Asset,
    AssetActivity,
    AssetStatus,
    Audience,
    Deal,
    Stage,
    Usage,
    Version,
)

# The review queue shows what is overdue and what falls due within this window.
REVIEW_HORIZON_DAYS = 14


def with_tile_data(queryset: QuerySet[Asset]) -> QuerySet[Asset]:
    """What `content/library/_asset_tile.html` reads, fetched in the same query."""
    return queryset.select_related("current_version")


def managed_assets(
    *,
    user,
    status: str = "",
    mine: bool = True,
    kind: str = "",
    stage: Stage | None = None,
    query: str = "",
) -> QuerySet[Asset]:
    """The marketer's list: their own (or everyone's) assets in every status."""
    if not roles.can_manage_content(user):
        return Asset.objects.none()
    qs = Asset.objects.all()
    if mine:
        qs = qs.filter(owner=user)
    if status in AssetStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if stage is not None:
        qs = qs.filter(stages=stage)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return (
        qs.select_related("current_version", "owner")
        .prefetch_related("stages")
        .order_by("-updated_at", "-pk")
    )


def status_counts(*, user, mine: bool = True) -> dict[str, int]:
    """How many assets per status, for the filter tabs: one query."""
    if not roles.can_manage_content(user):
        return {}
    qs = Asset.objects.all()
    if mine:
        qs = qs.filter(owner=user)
    counts = qs.aggregate(
        all=Count("pk"),
        **{
            status: Count("pk", filter=Q(status=status))
            for status in AssetStatus.values
        },
    )
    return counts


def review_queue(
    *, user, mine: bool = True, horizon_days: int = REVIEW_HORIZON_DAYS
) -> QuerySet[Asset]:
    """Live assets past or near their review-by date, most overdue first."""
    if not roles.can_manage_content(user):
        return Asset.objects.none()
    due = timezone.localdate() + datetime.timedelta(days=horizon_days)
    qs = Asset.objects.exclude(status=AssetStatus.RETIRED).filter(review_by__lte=due)
    if mine:
        qs = qs.filter(owner=user)
    return (
        qs.select_related("current_version", "owner")
        .prefetch_related("stages")
        .order_by("review_by", "title", "pk")
    )


def asset_for_page(*, user, pk: int, annotate: dict | None = None) -> Asset:
    """The asset `user` may open, with what its page shows; 404 otherwise.

    `annotate`: extra per-user columns the asset page reads with it.
    """
    qs = (
        Asset.objects.visible_to(user)
        .select_related(
            "current_version",
            "current_version__uploaded_by",
            "owner",
            "replaced_by",
        )
        # A deck's text can run to tens of kilobytes; the page never shows it.
        .defer("current_version__extracted_text")
    )
    if annotate:
        qs = qs.annotate(**annotate)
    try:
        return qs.get(pk=pk)
    except Asset.DoesNotExist as exc:
        raise Http404("No such asset.") from exc


def retired_asset_for_notice(*, user, pk: int) -> Asset:
    """A retired asset that `user` was once allowed to open, for the page that says
    it was retired and points at its replacement; 404 otherwise.

    Reps: any retired asset; partners: only those cleared for partners. Drafts
    were never theirs and stay 404. The file stays private (`version_for_file`).
    """
    if not roles.can_use_library(user):
        raise Http404("No such asset.")
    qs = Asset.objects.filter(status=AssetStatus.RETIRED)
    if roles.is_partner(user):
        qs = qs.filter(audience=Audience.PARTNERS)
    try:
        return qs.select_related("replaced_by").get(pk=pk)
    except Asset.DoesNotExist as exc:
        raise Http404("No such asset.") from exc


def asset_for_management(*, user, pk: int) -> Asset:
    if not roles.can_manage_content(user):
        raise Http404("No such asset.")
    qs = Asset.objects.select_related("current_version", "owner", "replaced_by")
    try:
        return qs.prefetch_related("stages", "tags").get(pk=pk)
    except Asset.DoesNotExist as exc:
        raise Http404("No such asset.") from exc


def asset_versions(*, user, asset: Asset) -> list[Version]:
    """Every version for marketers; reps and partners get the current one."""
    if roles.can_manage_content(user):
        qs = asset.versions.select_related("uploaded_by").annotate(
            used=Exists(Usage.objects.filter(version=OuterRef("pk")))
        )
        return list(qs.order_by("-number"))
    return [asset.current_version] if asset.current_version else []


def asset_activity(*, user, asset: Asset, limit: int = 30) -> list[AssetActivity]:
    if not roles.can_manage_content(user):
        return []
    return list(asset.activity.select_related("actor")[:limit])


def replaced_by_visible(*, user, asset: Asset) -> Asset | None:
    """The replacement, if `user` may open it."""
    if asset.replaced_by_id is None:
        return None
    return Asset.objects.visible_to(user).filter(pk=asset.replaced_by_id).first()


def version_for_file(*, user, pk: int) -> Version:
    """A version whose file `user` may fetch; 404 for anything else.

    Marketers and admins: any version, of any asset, retired ones included.
    Everyone else: the current version of an asset they may see (published).
    """
    qs = Version.objects.select_related("asset").filter(
        asset__in=Asset.objects.visible_to(user)
    )
    if not roles.can_manage_content(user):
        qs = qs.filter(asset__current_version=pk)
    try:
        return qs.get(pk=pk)
    except Version.DoesNotExist as exc:
        raise Http404("No such file.") from exc


def replacement_choices(*, asset: Asset) -> QuerySet[Asset]:
    return (
        Asset.objects.exclude(status=AssetStatus.RETIRED)
        .exclude(pk=asset.pk)
        .order_by("title", "pk")
    )


def content_owners() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role__in=[Role.MARKETER, Role.ADMIN]
    ).order_by("first_name", "last_name", "username")


def stages_for_management() -> QuerySet[Stage]:
    """Every stage, active or not, with its asset count and whether it has history."""
    return Stage.objects.annotate(
        asset_total=Count("assets", distinct=True),
        live_assets=Count(
            "assets",
            filter=~Q(assets__status=AssetStatus.RETIRED),
            distinct=True,
        ),
        has_deals=Exists(Deal.objects.filter(stage=OuterRef("pk"))),
    ).order_by("order", "name")


def stage_choices(*, include: list[int] | None = None) -> QuerySet[Stage]:
    """Stages a marketer can map an asset to: active ones, plus those it already has."""
    condition = Q(is_active=True)
    if include:
        condition |= Q(pk__in=include)
    return Stage.objects.filter(condition).order_by("order", "name")
