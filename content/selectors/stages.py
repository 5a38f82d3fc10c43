from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts import roles
from content.caching.keys import STAGES, content_version, remember
from content.caching.release import release
from content.models import Asset, Stage


def active_stages() -> list[Stage]:
    """The active stages in roadmap order, the same for everyone (cached: the
    stage services bump the content version on every change)."""
    key = f"wingman:{STAGES.name}:{release()}:v{content_version()}"
    return remember(STAGES, key, lambda: list(Stage.objects.filter(is_active=True)))


def stage_menu(*, user, with_counts: bool = False) -> list[Stage]:
    """The roadmap in order: the one stage menu of the home and stage pages.

    A stage page's strip (no counts) also lists inactive stages to the people
    who manage content, who can open them. With `with_counts` (the home page):
    active stages only, each with `asset_count`, the assets `user` may see there.
    """
    qs = Stage.objects.all()
    if with_counts or not roles.can_manage_content(user):
        qs = qs.filter(is_active=True)
    if not with_counts:
        return list(qs)
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
        qs.annotate(
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
