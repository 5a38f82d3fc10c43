"""Writes for the library: assets, versions and their lifecycle.

Every function checks that the actor may manage content, validates, writes one
AssetActivity row for what it did, and keeps `Asset.search_text` current. Files
stored by a write that then fails are deleted again (files.cleanup_on_failure).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts import roles
from content import files
from content.caching.keys import content_version_bump
from content.models import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetKind,
    AssetStatus,
    Audience,
    PreviewStatus,
    Stage,
    Version,
)
from content.services.notifications import notify_asset_published, notify_asset_updated
from content.tasks import asset_embed, enqueue_on_commit, version_preview
from content.validators import CheckedUpload, validate_upload

BATTLE_CARD_FIELDS = (
    "competitor",
    "their_strengths",
    "their_weaknesses",
    "landmines",
    "how_we_win",
    "proof_points",
)
OBJECTION_HANDLER_FIELDS = ("objection", "response", "proof_points", "when_to_use")
CARD_FIELDS = tuple(dict.fromkeys(BATTLE_CARD_FIELDS + OBJECTION_HANDLER_FIELDS))
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    AssetKind.BATTLE_CARD: BATTLE_CARD_FIELDS,
    AssetKind.OBJECTION_HANDLER: OBJECTION_HANDLER_FIELDS,
}
# What a card needs before reps can rely on it in the middle of a call.
REQUIRED_TO_PUBLISH: dict[str, tuple[str, ...]] = {
    AssetKind.BATTLE_CARD: ("competitor", "how_we_win"),
    AssetKind.OBJECTION_HANDLER: ("objection", "response"),
}
EDITABLE_FIELDS = frozenset(
    {"kind", "title", "summary", "audience", "review_by", "owner", *CARD_FIELDS}
)


def _require_manager(actor) -> None:
    if not roles.can_manage_content(actor):
        raise PermissionDenied("Only marketers and admins manage the library.")


def _log(*, asset: Asset, actor, verb: str, detail: str = "") -> AssetActivity:
    return AssetActivity.objects.create(
        asset=asset, actor=actor, verb=verb, detail=detail[:2000]
    )


def review_interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.WINGMAN_REVIEW_INTERVAL_DAYS)


def next_review_date() -> datetime.date:
    return timezone.localdate() + review_interval()


# Search text -------------------------------------------------------------------


def build_search_text(*, asset: Asset) -> str:
    """Title, summary, every card field, tag names and the current file's text."""
    parts = [asset.title, asset.summary, asset.get_kind_display()]
    parts += [getattr(asset, name) for name in CARD_FIELDS]
    parts += sorted(asset.tags.names())
    version = asset.current_version
    if version is not None:
        parts += [version.original_name, version.extracted_text]
    return "\n".join(part for part in parts if part).strip()


def _save_asset(asset: Asset) -> None:
    """Save every field but the search text.

    The search text is written only by _refresh_search_text, here and in the
    preview task (a worker, content.services.previews): an asset loaded before
    that task finished must not write its old text back.
    """
    asset.save(update_fields=_SAVED_FIELDS)


_SAVED_FIELDS = [
    field.name
    for field in Asset._meta.concrete_fields
    if not field.primary_key and field.name != "search_text"
]


def _refresh_search_text(asset: Asset) -> None:
    asset.search_text = build_search_text(asset=asset)
    Asset.objects.filter(pk=asset.pk).update(search_text=asset.search_text)
    enqueue_on_commit(asset_embed, asset.pk)  # its vectors follow (docs/search.md)


def _clear_other_kind_fields(asset: Asset) -> None:
    """A deck carries no battle card fields: a kind keeps only its own."""
    keep = KIND_FIELDS.get(asset.kind, ())
    for name in CARD_FIELDS:
        if name not in keep:
            setattr(asset, name, "")


# Assets --------------------------------------------------------------------------


def _check_card_fields(card_fields: dict[str, Any]) -> None:
    unknown = set(card_fields) - set(CARD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown card fields: {sorted(unknown)}")


def _check_owner(owner) -> None:
    if not roles.can_manage_content(owner):
        raise ValidationError(
            {"owner": "The owner must be a marketer or an admin who is active."}
        )


def asset_create(
    *,
    actor,
    kind: str,
    title: str,
    stages: Iterable[Stage] = (),
    summary: str = "",
    tags: Sequence[str] = (),
    audience: str = Audience.INTERNAL,
    review_by: datetime.date | None = None,
    owner=None,
    file=None,
    change_note: str = "",
    **card_fields: str,
) -> Asset:
    """A new draft asset, optionally with its first file version."""
    _require_manager(actor)
    _check_card_fields(card_fields)
    owner = owner or actor
    _check_owner(owner)
    with files.cleanup_on_failure(), transaction.atomic():
        asset = Asset(
            kind=kind,
            title=title.strip(),
            summary=summary,
            audience=audience,
            owner=owner,
            status=AssetStatus.DRAFT,
            review_by=review_by,
            **card_fields,
        )
        _clear_other_kind_fields(asset)
        asset.full_clean(exclude=["search_text"])
        asset.save()
        asset.stages.set(list(stages))
        asset.tags.set(_clean_tags(tags))
        detail = f"as a draft {asset.get_kind_display().lower()}"
        _log(asset=asset, actor=actor, verb=ActivityVerb.CREATED, detail=detail)
        if file is not None:
            version_upload(
                actor=actor,
                asset=asset,
                file=file,
                change_note=change_note or "First version",
            )
        else:
            _refresh_search_text(asset)
    return asset


def _clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(str(tag).split())[:100]
        if tag:
            cleaned.setdefault(tag.lower(), tag)
    return list(cleaned.values())


@transaction.atomic
def asset_update(*, actor, asset: Asset, **changes: Any) -> Asset:
    """Edit an asset's fields, stages and tags; records which ones changed."""
    _require_manager(actor)
    stages = changes.pop("stages", None)
    tags = changes.pop("tags", None)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    if "owner" in changes and changes["owner"] != asset.owner:
        _check_owner(changes["owner"])
    changed: list[str] = []
    for name, value in changes.items():
        if name == "title":
            value = value.strip()
        if getattr(asset, name) != value:
            setattr(asset, name, value)
            changed.append(name)
    before = {name: getattr(asset, name) for name in CARD_FIELDS}
    _clear_other_kind_fields(asset)
    changed += [n for n in CARD_FIELDS if before[n] != getattr(asset, n)]
    asset.full_clean(exclude=["search_text"])
    _save_asset(asset)
    if stages is not None:
        stages = list(stages)
        if asset.is_published and not stages:
            raise ValidationError(
                {"stages": "A published asset needs at least one stage."}
            )
        if {s.pk for s in stages} != set(asset.stages.values_list("pk", flat=True)):
            asset.stages.set(stages)
            changed.append("stages")
    if tags is not None:
        tags = _clean_tags(tags)
        if sorted(t.lower() for t in tags) != sorted(
            t.lower() for t in asset.tags.names()
        ):
            asset.tags.set(tags)
            changed.append("tags")
    if changed:
        labels = [_field_label(name) for name in dict.fromkeys(changed)]
        _log(
            asset=asset,
            actor=actor,
            verb=ActivityVerb.EDITED,
            detail="Changed " + ", ".join(labels),
        )
        _refresh_search_text(asset)
        content_version_bump()
    return asset


def _field_label(name: str) -> str:
    if name in ("stages", "tags"):
        return name
    return str(Asset._meta.get_field(name).verbose_name)


def version_upload(*, actor, asset: Asset, file, change_note: str = "") -> Version:
    """Store a new file version; the old versions stay, with their usage links.

    The type is checked from the bytes before anything is written. The file goes
    to storage in chunks, with its size and checksum, and the version commits as
    "preview pending". Its thumbnail, text and search text are a task, enqueued
    once this commits (content.tasks.version_preview): no file is parsed in the
    request or inside the transaction.
    """
    _require_manager(actor)
    if asset.is_retired:
        raise ValidationError(
            {"file": "This asset is retired: restore it before uploading a new file."}
        )
    try:
        checked = validate_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    change_note = " ".join(change_note.split())[:500]
    with files.cleanup_on_failure(), transaction.atomic():
        version = _store_version(
            actor=actor, asset=asset, upload=file, checked=checked, note=change_note
        )
        content_version_bump()
        enqueue_on_commit(version_preview, version.pk)
        return version


def _store_version(
    *, actor, asset: Asset, upload, checked: CheckedUpload, note: str
) -> Version:
    sha256 = files.sha256_of(upload)
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = Version(
        asset=locked,
        number=number,
        original_name=checked.name,
        size=checked.size,
        sha256=sha256,
        content_type=checked.file_type.content_type,
        uploaded_by=actor,
        change_note=note,
        preview_status=PreviewStatus.PENDING,
    )
    upload.seek(0)
    # A plain File (not the upload) so local storage copies the bytes instead of
    # moving the temporary file, and S3 gets the sniffed content type.
    content = File(upload, name=checked.name)
    content.content_type = checked.file_type.content_type
    files.save_tracked(version.file, checked.name, content)
    version.full_clean()
    version.save()
    Asset.objects.filter(pk=locked.pk).update(
        current_version=version, updated_at=timezone.now()
    )
    asset.current_version = version
    detail = f"v{number}: {checked.name}" + (f" — {note}" if note else "")
    _log(asset=asset, actor=actor, verb=ActivityVerb.VERSION_UPLOADED, detail=detail)
    _refresh_search_text(asset)
    if locked.is_published:
        notify_asset_updated(asset=locked)
    return version


def publish_problems(asset: Asset) -> list[str]:
    """What stops `asset` from being published, in words for the marketer."""
    problems = []
    if not asset.title.strip():
        problems.append("Give it a title.")
    if not any(stage.is_active for stage in asset.stages.all()):
        problems.append("Map it to at least one active stage.")
    required = REQUIRED_TO_PUBLISH.get(asset.kind)
    if required:
        missing = [
            str(Asset._meta.get_field(name).verbose_name)
            for name in required
            if not getattr(asset, name).strip()
        ]
        if missing:
            problems.append(f"Fill in: {', '.join(missing)}.")
    elif asset.current_version_id is None:
        problems.append(f"Upload the {asset.get_kind_display().lower()}'s file.")
    return problems


@transaction.atomic
def asset_publish(*, actor, asset: Asset) -> Asset:
    _require_manager(actor)
    if asset.status != AssetStatus.DRAFT:
        raise ValidationError(
            "Only drafts can be published; restore a retired asset instead."
        )
    problems = publish_problems(asset)
    if problems:
        raise ValidationError(problems)
    asset.status = AssetStatus.PUBLISHED
    asset.published_at = timezone.now()
    if asset.review_by is None or asset.review_by <= timezone.localdate():
        asset.review_by = next_review_date()
    asset.full_clean(exclude=["search_text"])
    _save_asset(asset)
    _log(
        asset=asset,
        actor=actor,
        verb=ActivityVerb.PUBLISHED,
        detail=f"Review by {asset.review_by:%Y-%m-%d}",
    )
    notify_asset_published(asset=asset)
    content_version_bump()
    return asset


def _replacement_loops(asset: Asset, replacement: Asset) -> bool:
    seen = {asset.pk}
    current: Asset | None = replacement
    for _ in range(100):
        if current is None:
            return False
        if current.pk in seen:
            return True
        seen.add(current.pk)
        current = current.replaced_by
    return True


@transaction.atomic
def asset_retire(
    *, actor, asset: Asset, reason: str, replaced_by: Asset | None = None
) -> Asset:
    """Take an asset out of browse and search; its history and files stay."""
    _require_manager(actor)
    if asset.is_retired:
        raise ValidationError("This asset is already retired.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is retired, for the record."})
    if replaced_by is not None:
        if replaced_by.pk == asset.pk:
            raise ValidationError({"replaced_by": "An asset cannot replace itself."})
        if replaced_by.is_retired:
            raise ValidationError(
                {"replaced_by": "The replacement is retired itself; pick a live one."}
            )
        if _replacement_loops(asset, replaced_by):
            raise ValidationError(
                {"replaced_by": "That replacement already points back at this asset."}
            )
    asset.status = AssetStatus.RETIRED
    asset.retired_at = timezone.now()
    asset.retired_reason = reason
    asset.replaced_by = replaced_by
    asset.full_clean(exclude=["search_text"])
    _save_asset(asset)
    detail = reason + (f" Replaced by “{replaced_by.title}”." if replaced_by else "")
    _log(asset=asset, actor=actor, verb=ActivityVerb.RETIRED, detail=detail)
    content_version_bump()
    return asset


@transaction.atomic
def asset_restore(*, actor, asset: Asset) -> Asset:
    """Bring a retired asset back: published again if it was, else a draft."""
    _require_manager(actor)
    if not asset.is_retired:
        raise ValidationError("Only retired assets can be restored.")
    was = asset.retired_reason
    asset.status = AssetStatus.PUBLISHED if asset.published_at else AssetStatus.DRAFT
    asset.retired_at = None
    asset.retired_reason = ""
    asset.replaced_by = None
    asset.full_clean(exclude=["search_text"])
    _save_asset(asset)
    _log(
        asset=asset,
        actor=actor,
        verb=ActivityVerb.RESTORED,
        detail=f"As {asset.get_status_display().lower()} (was retired: {was})",
    )
    content_version_bump()
    return asset


@transaction.atomic
def asset_verify(*, actor, asset: Asset) -> Asset:
    """The owner checked it is still current: the review date moves forward."""
    _require_manager(actor)
    if asset.is_retired:
        raise ValidationError("A retired asset cannot be verified; restore it first.")
    asset.verified_at = timezone.now()
    asset.review_by = next_review_date()
    asset.full_clean(exclude=["search_text"])
    _save_asset(asset)
    _log(
        asset=asset,
        actor=actor,
        verb=ActivityVerb.VERIFIED,
        detail=f"Next review by {asset.review_by:%Y-%m-%d}",
    )
    return asset
