"""The asset page, the page a rep opens most: everything it shows, as data.

`asset_page(user=, pk=)` returns the asset and every panel of its page (the
library's versions and activity, the playbook's rating, usage, follow and related
assets) in a constant number of queries, whatever the size of the library or
of the user's history. Selectors return data only: the views build the rating and
usage forms from it (content.views.library.asset_page_forms).
"""

from typing import Any

from django.db.models import Exists, OuterRef, Subquery

from accounts import roles
from content.models import Asset, Rating, Stage, Subscription, Usage
from content.selectors.deals import open_deals_for
from content.selectors.library import (
    asset_activity,
    asset_for_page,
    asset_versions,
    replaced_by_visible,
)
from content.selectors.pages import site_page_viewer
from content.selectors.search import findable_assets
from content.selectors.stages import active_stages

RELATED_LIMIT = 4
MY_USAGES_LIMIT = 10
# The user's own rating, as the asset page reads it (playbook/_rating.html and
# the rating form's initial values).
RATING_READS = ("pk", "stars", "comment", "created_at", "updated_at")


def related_assets(*, user, asset: Asset, limit: int = RELATED_LIMIT) -> list[Asset]:
    """Other published assets for the same stages that `user` may see, best first."""
    links = Asset.stages.through.objects
    # Correlated, so the database walks assets top rated first and stops after
    # `limit` that share a stage, instead of sorting every asset of the stages.
    same_stage = links.filter(
        asset_id=OuterRef("pk"),
        stage_id__in=links.filter(asset_id=asset.pk).values("stage_id"),
    )
    return list(
        findable_assets(user=user)
        .filter(Exists(same_stage))
        .exclude(pk=asset.pk)
        .select_related("current_version")
        .defer("current_version__extracted_text")
        # The (status, -rating_score, -id) index order: stops after `limit` rows.
        .order_by("-rating_score", "-pk")[:limit]
    )


def usage_stages() -> list[Stage]:
    """The usage form's stage menu: the active stages in roadmap order."""
    return active_stages()


def _first_stage_links(asset_pk):
    return (
        Asset.stages.through.objects.filter(asset_id=asset_pk, stage__is_active=True)
        .order_by("stage__order", "stage__name")
        .values("stage_id")[:1]
    )


def new_deal_stage(stages: list[Stage], *, asset: Asset) -> Stage | None:
    """Where a deal created from the asset page starts: the asset's first active
    stage in roadmap order (read with the asset on the asset page,
    `first_stage_id`), else the first stage."""
    first = getattr(asset, "first_stage_id", False)
    if first is False:
        first = next(
            iter(_first_stage_links(asset.pk).values_list("stage_id", flat=True)), None
        )
    return next((s for s in stages if s.pk == first), stages[0] if stages else None)


def asset_page_panels(
    *, user, asset: Asset, my_rating: Rating | None | bool = False
) -> dict[str, Any]:
    """The playbook's panels of the asset page for this user: data only.

    `my_rating`: the user's rating when the caller has read it already (None:
    has none); by default it is read here.
    """
    can_use = roles.can_use_library(user)
    context: dict[str, Any] = {
        "playbook_can_use": can_use,
        "playbook_is_published": asset.is_published,
        "replacement": replaced_by_visible(user=user, asset=asset)
        if asset.is_retired
        else None,
        "related_assets": related_assets(user=user, asset=asset),
    }
    if not can_use:
        return context
    if my_rating is False:
        my_rating = Rating.objects.filter(asset=asset, user=user).first()
    context["my_rating"] = my_rating
    following = getattr(asset, "is_following", None)
    if following is None:
        following = Subscription.objects.filter(user=user, asset=asset).exists()
    context["is_following_asset"] = following
    context["my_usages"] = list(
        Usage.objects.filter(asset=asset, user=user)
        .select_related("deal", "stage", "version")
        .defer("version__extracted_text")
        .order_by("-created_at", "-pk")[:MY_USAGES_LIMIT]
    )
    if not asset.is_published:
        return context
    stages = usage_stages()
    context["usage_stages"] = stages
    context["new_deal_stage"] = new_deal_stage(stages, asset=asset)
    context["open_deals"] = open_deals_for(user=user)
    return context


def asset_page(*, user, pk: int) -> dict[str, Any]:
    """Everything the asset page shows `user`; Http404 when they may not open it.

    The asset comes with the user's rating and whether they follow it
    (subqueries of its own query), so the panels ask nothing twice.
    """
    mine = Rating.objects.filter(asset=OuterRef("pk"), user=user.pk)
    annotate = {
        f"my_rating_{name}": Subquery(mine.values(name)[:1]) for name in RATING_READS
    }
    annotate["is_following"] = Exists(
        Subscription.objects.filter(asset=OuterRef("pk"), user=user.pk)
    )
    # When one of its stages last changed (a rename): part of the cached body's
    # key (content.caching.asset_body), read here rather than by another query.
    annotate["stages_changed_at"] = Subquery(
        Asset.stages.through.objects.filter(asset_id=OuterRef("pk"))
        .order_by("-stage__updated_at")
        .values("stage__updated_at")[:1]
    )
    # Where a deal made from the usage form starts (the stage menu is cached).
    annotate["first_stage_id"] = Subquery(_first_stage_links(OuterRef("pk")))
    asset = asset_for_page(user=user, pk=pk, annotate=annotate)
    my_rating = None
    if asset.my_rating_pk is not None:
        # One rating per user and asset (a constraint): these columns are it.
        my_rating = Rating(
            asset=asset,
            user=user,
            **{name: getattr(asset, f"my_rating_{name}") for name in RATING_READS},
        )
    can_manage = roles.can_manage_content(user)
    return {
        "asset": asset,
        "object": asset,
        "can_manage": can_manage,
        "versions": asset_versions(user=user, asset=asset),
        "activity": asset_activity(user=user, asset=asset),
        **site_page_viewer(asset.current_version),
        **asset_page_panels(user=user, asset=asset, my_rating=my_rating),
    }
