from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
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


def stage_from_query(slug: str | None, *, active_only: bool = False) -> Stage | None:
    """The stage a query string names (`?stage=<slug>`), or None.

    Anything that is not a slug names no stage, and is never sent to the
    database: PostgreSQL refuses a NUL byte in a text comparison (a 500).
    """
    if not slug:
        return None
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        return None
    stages = Stage.objects.filter(is_active=True) if active_only else Stage.objects
    return stages.filter(slug=slug).first()
