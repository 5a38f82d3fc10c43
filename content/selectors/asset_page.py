"""Extra context for the asset page from the playbook (ratings, usage, related).

The asset page (owned by the library) merges `asset_page_context(user=, asset=)`
into its context and includes `content/_asset_playbook.html`. The number of
queries is constant: one each for the rating, the open deals, the stages, the
usages, the related assets, the subscription and (when retired) the replacement.
"""

import uuid
from typing import Any

from django.db.models import Exists, OuterRef

from accounts import roles
from content.models import Asset, Rating, Stage, Subscription, Usage
from content.selectors.deals import open_deals_for
from content.selectors.search import findable_assets

RELATED_LIMIT = 4
MY_USAGES_LIMIT = 20


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
        # The (status, -rating_score, -id) index order: stops after `limit` rows.
        .order_by("-rating_score", "-pk")[:limit]
    )


def replacement_for(*, user, asset: Asset) -> Asset | None:
    """What replaced a retired asset, if `user` may open it."""
    if not asset.replaced_by_id:
        return None
    return Asset.objects.visible_to(user).filter(pk=asset.replaced_by_id).first()


def usage_stages(*, asset: Asset) -> list[Stage]:
    """Active stages, each with `serves`: whether the asset is mapped to it."""
    serves = Asset.stages.through.objects.filter(
        asset_id=asset.pk, stage_id=OuterRef("pk")
    )
    return list(Stage.objects.filter(is_active=True).annotate(serves=Exists(serves)))


def new_deal_stage(stages: list[Stage]) -> Stage | None:
    """Where a deal created from the asset page starts: the asset's first stage."""
    return next((s for s in stages if s.serves), stages[0] if stages else None)


def asset_page_context(*, user, asset: Asset, **form_overrides: Any) -> dict[str, Any]:
    """Everything `content/_asset_playbook.html` needs for this user and asset.

    `form_overrides` lets the rate and usage views hand back a bound form with
    errors (rating_form=..., usage_form=...).
    """
    from content.forms.deals import NEW_DEAL, UsageForm
    from content.forms.feedback import RatingForm

    can_use = roles.can_use_library(user)
    context: dict[str, Any] = {
        "playbook_can_use": can_use,
        "playbook_is_published": asset.is_published,
        "replacement": replacement_for(user=user, asset=asset)
        if asset.is_retired
        else None,
        "related_assets": related_assets(user=user, asset=asset),
    }
    if not can_use:
        return context
    my_rating = Rating.objects.filter(asset=asset, user=user).first()
    context["my_rating"] = my_rating
    context["is_following_asset"] = Subscription.objects.filter(
        user=user, asset=asset
    ).exists()
    context["my_usages"] = list(
        Usage.objects.filter(asset=asset, user=user)
        .select_related("deal", "stage", "version")
        .order_by("-created_at", "-pk")[:MY_USAGES_LIMIT]
    )
    if not asset.is_published:
        return context
    context["rating_form"] = form_overrides.get("rating_form") or RatingForm(
        initial={"stars": my_rating.stars, "comment": my_rating.comment}
        if my_rating
        else None
    )
    stages = usage_stages(asset=asset)
    deals = open_deals_for(user=user)
    usage_form = form_overrides.get("usage_form")
    if usage_form is None:
        # The most recent open deal, at whatever stage it is in ("The deal's
        # current stage", right without JavaScript too); no deal yet: a new one.
        usage_form = UsageForm(
            user=user,
            deals=deals,
            stages=stages,
            new_deal_stage=new_deal_stage(stages),
            initial={
                "deal": deals[0].pk if deals else NEW_DEAL,
                "idempotency_key": uuid.uuid4().hex,
            },
        )
    context["usage_form"] = usage_form
    context["open_deals"] = deals
    return context
