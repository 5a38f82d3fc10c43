"""Stages of the sales roadmap: create and edit them (marketers and admins)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from accounts import roles
from content.caching.keys import content_version_bump
from content.models import (
    Stage,
)


def _unique_stage_slug(name: str) -> str:
    base = slugify(name)[:70] or "stage"
    slug, n = base, 2
    while Stage.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def stage_create(
    *,
    actor,
    name: str,
    description: str = "",
    exit_goal: str = "",
    order: int | None = None,
) -> Stage:
    if not roles.can_manage_stages(actor):
        raise PermissionDenied("Only marketers and admins manage stages.")
    if order is None:
        order = (Stage.objects.aggregate(m=Max("order"))["m"] or 0) + 1
    stage = Stage(
        name=name.strip(),
        slug=_unique_stage_slug(name),
        description=description,
        exit_goal=exit_goal,
        order=order,
    )
    stage.full_clean()
    stage.save()
    # Stage menus and per-stage counts are cached under the content version.
    content_version_bump()
    return stage


@transaction.atomic
def stage_update(
    *,
    actor,
    stage: Stage,
    name: str | None = None,
    description: str | None = None,
    exit_goal: str | None = None,
    order: int | None = None,
    is_active: bool | None = None,
) -> Stage:
    """Change a stage. Its slug stays, so links to it keep working.

    Stages are never deleted: a stage with history is deactivated instead, which
    hides it from the roadmap and from new assets while old records keep it.
    """
    if not roles.can_manage_stages(actor):
        raise PermissionDenied("Only marketers and admins manage stages.")
    changes = {
        "name": name.strip() if name is not None else None,
        "description": description,
        "exit_goal": exit_goal,
        "order": order,
        "is_active": is_active,
    }
    for attr, value in changes.items():
        if value is not None:
            setattr(stage, attr, value)
    stage.full_clean()
    stage.save()
    # Stage menus and per-stage counts are cached under the content version.
    content_version_bump()
    return stage
