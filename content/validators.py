"""Upload checks with messages meant for the marketer who chose the file.

The type comes from the file's bytes; the name's extension must agree with it.
Nothing here writes anything: a refused file never reaches storage.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from content import files
from content.files import FileType, SniffError

_BLOCKED_EXTENSIONS = {
    "html": "HTML pages",
    "htm": "HTML pages",
    "xhtml": "HTML pages",
    "svg": "SVG images",
    "svgz": "SVG images",
    "xml": "XML files",
    "exe": "Programs",
    "msi": "Programs",
    "dll": "Programs",
    "bat": "Scripts",
    "cmd": "Scripts",
    "sh": "Scripts",
    "js": "Scripts",
    "ps1": "Scripts",
    "jar": "Programs",
    "app": "Programs",
    "dmg": "Disk images",
    "zip": "ZIP archives",
}


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # safe display name
    file_type: FileType
    size: int


def max_upload_bytes() -> int:
    return settings.WINGMAN_MAX_UPLOAD_MB * 1024 * 1024


def allowed_types_text() -> str:
    return "PDF, PowerPoint, Word, Excel, PNG, JPEG, GIF, WebP, MP4, text or Markdown"


def validate_upload(upload: UploadedFile) -> CheckedUpload:
    """Check an uploaded file; raise ValidationError with a clear message."""
    # sanitize_filename names a nameless file "file": refused for its missing
    # extension whatever the fallback, so mutating the fallback changes nothing.
    name = files.sanitize_filename(upload.name or "")  # pragma: no mutate
    size = upload.size or 0
    if size <= 0:
        raise ValidationError("The file is empty.", code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            "The file is too large: %(size)s, and the limit is %(limit)s MB.",
            code="too_large",
            params={"size": _megabytes(size, limit), "limit": limit // (1024 * 1024)},
        )
    ext = files.extension(name)
    if ext in _BLOCKED_EXTENSIONS:
        raise ValidationError(
            "%(what)s cannot be uploaded to the library. Upload a %(allowed)s file.",
            code="blocked_type",
            params={"what": _BLOCKED_EXTENSIONS[ext], "allowed": allowed_types_text()},
        )
    if ext not in files.ALLOWED_EXTENSIONS:
        raise ValidationError(
            "Files ending in “%(ext)s” are not accepted. Upload a %(allowed)s file.",
            code="bad_extension",
            params={
                "ext": f".{ext}" if ext else "(no extension)",
                "allowed": allowed_types_text(),
            },
        )
    try:
        file_type = files.sniff(upload)
    except SniffError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    if not files.matches_extension(file_type, name):
        raise ValidationError(
            "This file's contents are a %(actual)s, but its name ends in “.%(ext)s”. "
            "Upload the right file, or rename it to match what it is.",
            code="type_mismatch",
            params={"actual": file_type.label, "ext": ext},
        )
    file_type = files.refine_text_type(file_type, name)
    if file_type.key in files.IMAGE_TYPES:
        validate_image_pixels(upload)
    return CheckedUpload(name=name, file_type=file_type, size=size)


def _megabytes(size: int, limit: int) -> str:
    """The size with enough decimals to show it is over the limit."""
    for decimals in (1, 2, 3):
        text = f"{size / (1024 * 1024):.{decimals}f}"
        if float(text) > limit / (1024 * 1024):
            return f"{text} MB"
    return f"{size:,} bytes"


def validate_image_pixels(upload) -> None:
    """Refuse images whose pixel count could exhaust memory (decompression bombs).

    Pillow reads only the header here; its own guard raises past twice the limit,
    and we turn its warning between one and two times the limit into a refusal too.
    """
    # Pillow's open also starts from the beginning, so mutating this is equivalent.
    upload.seek(0)  # pragma: no mutate
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Opening reads the header and runs Pillow's pixel check, for every
            # format: past the limit it warns (an error here) or raises.
            with Image.open(upload):
                pass
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses only when a limit is set: the "or 0" (for type checkers)
        # is never used, so mutating it cannot change anything.
        limit = (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000  # pragma: no mutate
        raise ValidationError(
            "This image is too large to process (over %(limit)s million pixels). "
            "Resize it and upload it again.",
            code="image_too_large",
            params={"limit": limit},
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        # A damaged image still uploads; its preview records the failure.
        return
    finally:
        upload.seek(0)
