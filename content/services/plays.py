"""Writes of plays: marketing's essential assets and key questions for a stage."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from accounts.models import User
from content.models import Asset, AssetStatus, Play, PlayActivity, PlayItem, Stage

PLAY_MAX_ITEMS = 8
WHEN_TO_USE_MAX = 200


@dataclass(frozen=True)
class PlayItemInput:
    asset: Asset
    when_to_use: str
    talk_track: str = ""


def _describe(items: list[PlayItemInput], key_questions: str) -> str:
    lines = [
        f"{n}. {item.asset.title}: {item.when_to_use}"
        for n, item in enumerate(items, start=1)
    ]
    questions = [q.strip() for q in key_questions.splitlines() if q.strip()]
    if questions:
        lines.append("Key questions: " + " / ".join(questions))
    return "\n".join(lines) or "Emptied the play."


@transaction.atomic
def play_save(
    *,
    user: User,
    stage: Stage,
    key_questions: str,
    items: list[PlayItemInput],
) -> Play:
    """Replace a stage's play (its ordered items and key questions) and record
    the change in the play's history. Nothing is written if anything is wrong."""
    if not roles.can_manage_stages(user):
        raise PermissionDenied("Only marketers and admins edit plays.")
    errors: list[str] = []
    if len(items) > PLAY_MAX_ITEMS:
        errors.append(f"A play keeps to at most {PLAY_MAX_ITEMS} essential assets.")
    seen: set[int] = set()
    for item in items:
        asset = item.asset
        if asset.pk in seen:
            errors.append(f"“{asset.title}” is in the play twice.")
        seen.add(asset.pk)
        if asset.status != AssetStatus.PUBLISHED:
            errors.append(f"“{asset.title}” is not published.")
        if not (item.when_to_use or "").strip():
            errors.append(f"Say when to use “{asset.title}”.")
        elif len(item.when_to_use.strip()) > WHEN_TO_USE_MAX:
            errors.append(
                f"Keep “when to use” for “{asset.title}” to {WHEN_TO_USE_MAX} "
                "characters."
            )
    if errors:
        raise ValidationError(errors)
    stage_asset_ids = set(
        Asset.objects.filter(pk__in=seen, stages=stage).values_list("pk", flat=True)
    )
    outside = [i.asset.title for i in items if i.asset.pk not in stage_asset_ids]
    if outside:
        raise ValidationError(
            [f"“{title}” is not mapped to {stage.name}." for title in outside]
        )
    play, _ = Play.objects.select_for_update().get_or_create(stage=stage)
    play.key_questions = (key_questions or "").strip()
    play.updated_by = user
    play.full_clean()
    play.save()
    play.items.all().delete()
    PlayItem.objects.bulk_create(
        PlayItem(
            play=play,
            asset=item.asset,
            position=position,
            when_to_use=item.when_to_use.strip(),
            talk_track=(item.talk_track or "").strip(),
        )
        for position, item in enumerate(items)
    )
    PlayActivity.objects.create(
        play=play, actor=user, detail=_describe(items, play.key_questions)
    )
    return play
