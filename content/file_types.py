"""The kinds of file the library accepts: names, types and how each is served.

Pure data with no Django import, so the limited child process of a file job
(content/jobs/child.py) loads it in no time; `content.files` re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass

CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    """One kind of file we accept: how it is served and which names it may have."""

    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    # Shown in the browser (inline) when asked; everything else is an attachment.
    inline: bool = False


PDF = FileType("pdf", "PDF document", "application/pdf", ("pdf",), inline=True)
PPTX = FileType(
    "pptx",
    "PowerPoint deck",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
DOCX = FileType(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = FileType(
    "xlsx",
    "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
PNG = FileType("png", "PNG image", "image/png", ("png",), inline=True)
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", ("jpg", "jpeg"), inline=True)
GIF = FileType("gif", "GIF image", "image/gif", ("gif",), inline=True)
WEBP = FileType("webp", "WebP image", "image/webp", ("webp",), inline=True)
MP4 = FileType("mp4", "MP4 video", "video/mp4", ("mp4", "m4v"))
TEXT = FileType("text", "plain text", "text/plain", ("txt",))
MARKDOWN = FileType("markdown", "Markdown text", "text/markdown", ("md", "markdown"))

FILE_TYPES: tuple[FileType, ...] = (
    PDF,
    PPTX,
    DOCX,
    XLSX,
    PNG,
    JPEG,
    GIF,
    WEBP,
    MP4,
    TEXT,
    MARKDOWN,
)
IMAGE_TYPES = frozenset({PNG.key, JPEG.key, GIF.key, WEBP.key})
TYPES_BY_CONTENT_TYPE = {t.content_type: t for t in FILE_TYPES}
TYPES_BY_KEY = {t.key: t for t in FILE_TYPES}
TYPES_BY_EXTENSION = {ext: t for t in FILE_TYPES for ext in t.extensions}
ALLOWED_EXTENSIONS = tuple(TYPES_BY_EXTENSION)
