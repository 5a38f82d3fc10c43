"""Bulk upload: many files at once, each a new draft asset or a clear refusal."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError

from content import files
from content.models import (
    Asset,
    AssetKind,
    Audience,
    Stage,
)
from content.services.library import _require_manager, asset_create
from content.validators import validate_upload


@dataclass
class BulkResult:
    created: list[Asset] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)


_KIND_WORDS = (
    ("battle", AssetKind.BATTLE_CARD),
    ("objection", AssetKind.OBJECTION_HANDLER),
    ("case study", AssetKind.CASE_STUDY),
    ("case-study", AssetKind.CASE_STUDY),
    ("customer story", AssetKind.CASE_STUDY),
    ("script", AssetKind.CALL_SCRIPT),
    ("email", AssetKind.EMAIL_TEMPLATE),
    ("brief", AssetKind.COMPETITIVE_BRIEF),
    (" vs ", AssetKind.COMPETITIVE_BRIEF),
    ("one-pager", AssetKind.ONE_PAGER),
    ("one pager", AssetKind.ONE_PAGER),
    ("deck", AssetKind.DECK),
)

_KIND_BY_TYPE = {
    files.PPTX.key: AssetKind.DECK,
    files.MP4.key: AssetKind.VIDEO,
    files.TEXT.key: AssetKind.EMAIL_TEMPLATE,
    files.MARKDOWN.key: AssetKind.EMAIL_TEMPLATE,
}


def guess_kind(*, name: str, file_type: files.FileType) -> str:
    """A first guess from the file name and type; the marketer corrects it."""
    words = f" {title_from_filename(name).lower()} "
    for word, kind in _KIND_WORDS:
        if word in words:
            return kind
    return _KIND_BY_TYPE.get(file_type.key, AssetKind.ONE_PAGER)


def title_from_filename(name: str) -> str:
    stem = PurePosixPath(files.sanitize_filename(name)).stem
    title = re.sub(r"[_\s]+|(?<=\w)-(?=\w)", " ", stem).strip(" -.")
    title = title[:200] or "Untitled"
    return title[0].upper() + title[1:]


def assets_bulk_create(
    *,
    actor,
    uploads: Sequence,
    stages: Iterable[Stage] = (),
    kind: str | None = None,
    audience: str = Audience.INTERNAL,
    tags: Sequence[str] = (),
) -> BulkResult:
    """One draft asset per file. Refused files are reported; the others are kept.

    Each file is its own unit of work: a bad file leaves nothing behind and does
    not stop the good ones.
    """
    _require_manager(actor)
    stages = list(stages)
    result = BulkResult()
    for upload in uploads:
        name = files.sanitize_filename(getattr(upload, "name", "") or "")
        try:
            checked = validate_upload(upload)
            asset = asset_create(
                actor=actor,
                kind=kind or guess_kind(name=checked.name, file_type=checked.file_type),
                title=title_from_filename(checked.name),
                stages=stages,
                audience=audience,
                tags=tags,
                file=upload,
                change_note="Bulk upload",
            )
        except ValidationError as exc:
            result.refused.append((name, _messages(exc)))
        else:
            result.created.append(asset)
    return result


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for errors in exc.message_dict.values() for m in errors]
    return list(exc.messages)
