from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from content.models import Asset, Stage


def stages_for_roadmap(*, user) -> "list[Stage]":
    """Active stages in order, each with `asset_count`: assets `user` may see there."""
    visible = (
        Asset.objects.visible_to(user)
        .exclude(status="retired")
        .filter(stages=OuterRef("pk"))
        .order_by()
        .values("stages")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Stage.objects.filter(is_active=True).annotate(
            asset_count=Coalesce(Subquery(visible, output_field=IntegerField()), 0)
        )
    )
