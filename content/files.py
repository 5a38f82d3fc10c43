"""Files: what an upload really is (from its bytes), its checksum, and storage.

Everything here goes through Django's storage API (`storage.open()`, never `.path`),
so the same code runs on the local disk and on S3.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import IO

from django.core.files.storage import Storage, default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from content.file_types import (  # noqa: F401 - re-exported: files.PDF, files.FileType
    ALLOWED_EXTENSIONS,
    CHUNK_SIZE,
    DOCX,
    FILE_TYPES,
    GIF,
    IMAGE_TYPES,
    JPEG,
    MARKDOWN,
    MP4,
    PDF,
    PNG,
    PPTX,
    TEXT,
    TYPES_BY_CONTENT_TYPE,
    TYPES_BY_EXTENSION,
    TYPES_BY_KEY,
    WEBP,
    XLSX,
    FileType,
)

logger = logging.getLogger(__name__)

HEAD_SIZE = 8192


class SniffError(Exception):
    """The bytes are something we refuse; `message` is meant for the uploader."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Markers of content a browser would run or render as a page.
_HTML_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<?xml",
    b"<!--",
    b"<meta",
    b"<title",
    b"<style",
    b"<a ",
    b"<img",
    b"<div",
    b"<table",
    b"<form",
    b"<object",
    b"<embed",
)
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O fat binary / Java class
    b"#!",
)
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"dash",
    b"M4V ",
    b"M4VP",
    b"MSNV",
    b"mmp4",
}
# A deck or document whose parts would unpack to more than this is refused:
# text extraction opens the parts, and a zip bomb must not fill the memory.
MAX_UNPACKED_OFFICE_BYTES = 1024 * 1024 * 1024
MAX_OFFICE_PARTS = 20_000


def sniff(stream: IO[bytes]) -> FileType:
    """What `stream` is, from its bytes alone. Raises SniffError for refused content.

    `stream` must be seekable (Django's uploaded files are); it is left at 0.
    """
    stream.seek(0)
    head = stream.read(HEAD_SIZE)
    stream.seek(0)
    if not head:
        raise SniffError("The file is empty.", "empty")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return MP4
    if head.startswith(b"PK\x03\x04"):
        return _sniff_office(stream)
    if head.startswith(_EXECUTABLE_MAGIC):
        raise SniffError(
            "Programs and scripts cannot be uploaded to the library.", "executable"
        )
    return _sniff_text(head)


def _sniff_office(stream: IO[bytes]) -> FileType:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SniffError(
            "This looks like a damaged Office file or ZIP archive.", "bad_zip"
        ) from exc
    finally:
        stream.seek(0)
    names = {info.filename for info in infos}
    if len(infos) > MAX_OFFICE_PARTS or (
        sum(info.file_size for info in infos) > MAX_UNPACKED_OFFICE_BYTES
    ):
        raise SniffError(
            "This file unpacks to far more data than a document should.", "zip_bomb"
        )
    if "[Content_Types].xml" in names:
        if "ppt/presentation.xml" in names:
            return PPTX
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    raise SniffError(
        "ZIP archives cannot be uploaded; only PowerPoint, Word and Excel files "
        "(which are ZIP inside) are accepted.",
        "zip",
    )


def _sniff_text(head: bytes) -> FileType:
    if b"\x00" in head:
        raise SniffError(
            "This file type is not accepted. Upload a PDF, PowerPoint, Word, Excel, "
            "image, MP4 video, text or Markdown file.",
            "unknown",
        )
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may cut a multi-byte character in half; anything else is binary.
        if exc.start < len(head) - 3:
            raise SniffError(
                "This file type is not accepted. Upload a PDF, PowerPoint, Word, "
                "Excel, image, MP4 video, text or Markdown file.",
                "unknown",
            ) from exc
        text = head[: exc.start].decode("utf-8")
    lowered = text.lstrip("\ufeff \t\r\n").lower().encode()
    if lowered.startswith(_HTML_MARKERS) or b"<script" in lowered or b"<svg" in lowered:
        raise SniffError(
            "HTML, SVG and XML files are not accepted: browsers would run them. "
            "Save the page as PDF instead.",
            "html",
        )
    return TEXT


def matches_extension(file_type: FileType, name: str) -> bool:
    ext = extension(name)
    if file_type in (TEXT, MARKDOWN):
        return ext in TEXT.extensions + MARKDOWN.extensions
    return ext in file_type.extensions


def refine_text_type(file_type: FileType, name: str) -> FileType:
    """Text and Markdown have the same bytes; the name tells them apart."""
    if file_type is TEXT and extension(name) in MARKDOWN.extensions:
        return MARKDOWN
    return file_type


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def sanitize_filename(name: str, *, max_length: int = 200) -> str:
    """A safe display name: no directories, control or format characters.

    Only ever shown and used in Content-Disposition; storage names are uuids.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(
        ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")
    )
    name = _CONTROL.sub("", name)
    name = _WHITESPACE.sub(" ", name).strip()
    # No hidden files; a bare ".pdf" keeps its extension as "file.pdf".
    if name.startswith("."):
        stripped = name.lstrip(".").strip()
        name = stripped if "." in stripped else f"file.{stripped}" if stripped else ""
    if not name or name in {".", ".."}:
        name = "file"
    if len(name) > max_length:
        path = PurePosixPath(name)
        suffix = path.suffix[:12]
        name = path.stem[: max_length - len(suffix)].rstrip() + suffix
    return name


def sha256_of(stream: IO[bytes]) -> str:
    """Checksum in chunks, so memory does not grow with the file; leaves it at 0."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK_SIZE), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def is_s3(storage: Storage) -> bool:
    """Whether the storage can hand out signed URLs instead of streaming."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


# Files stored during the current unit of work; deleted if it fails.
_stored_files: contextvars.ContextVar[list[tuple[Storage, str]] | None] = (
    contextvars.ContextVar("wingman_stored_files", default=None)
)


@contextmanager
def cleanup_on_failure() -> Iterator[None]:
    """Delete every file stored inside the block if the block raises.

    Nested blocks hand their files to the enclosing one on success, so a failure
    anywhere in a service that calls other services leaves no orphan file behind.
    Used around the database transaction of a write, outside `transaction.atomic`.
    """
    parent = _stored_files.get()
    mine: list[tuple[Storage, str]] = []
    token = _stored_files.set(mine)
    try:
        yield
    except BaseException:
        delete_files(mine)
        raise
    finally:
        _stored_files.reset(token)
    if parent is not None:
        parent.extend(mine)


def save_tracked(field_file, filename: str, content) -> None:
    """Store `content` in a FieldFile, tracked for cleanup before the first byte.

    The name is chosen (and tracked) first: a save that fails half-way (disk
    full, storage gone) would otherwise leave a partial file nobody knows of.
    """
    field = field_file.field
    storage = field_file.storage
    name = storage.get_available_name(
        field.generate_filename(field_file.instance, filename),
        max_length=field.max_length,
    )
    track_stored(name, storage)
    field_file.name = storage.save(name, content, max_length=field.max_length)
    field_file._committed = True
    setattr(field_file.instance, field.attname, field_file.name)


def track_stored(name: str, storage: Storage | None = None) -> None:
    files = _stored_files.get()
    if files is not None and name:
        files.append((storage or default_storage, name))


def delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # cleanup must never hide the original error
            logger.exception("Could not delete %s after a failed upload", name)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file as soon as it passes the size limit.

    Put first in `request.upload_handlers`: an oversized file is dropped while it
    streams in, before it fills the temporary disk. Its (sanitised) name is added
    to `request.oversize_uploads` so the form can say what happened.
    """

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            refused = getattr(self.request, "oversize_uploads", None)
            if refused is not None:
                refused.append(sanitize_filename(self.file_name or ""))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
