"""Thumbnails and searchable text of one file: pure file work on bytes.

This module runs inside the limited child process of a file job (content/jobs/):
it imports no model and opens no database connection. A file that cannot be
previewed is recorded in the returned Preview (status and errors), never raised;
a file over a limit is marked `too_complex`, and then nothing of it is kept.
"""

from __future__ import annotations

import html
import io
import logging
import re
import shutil
import subprocess
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps

# The file kinds without content.files: it imports Django's storage, and this
# module must load fast in the job's child process.
from content import file_types as files
from content.file_types import FileType

logger = logging.getLogger(__name__)

# The values of content.models.PreviewStatus (this module must not import models).
READY = "ready"
ICON = "icon"
FAILED = "failed"

THUMBNAIL_SIZE = (640, 480)
# Long pages (infographics, posters) are cropped rather than rendered huge.
MAX_RENDER_HEIGHT = 2000
MAX_TEXT_CHARS = 200_000
# Pages and slides of the extracted text are separated by a form feed, so search
# can say "page 4" or "slide 7" (content.semantic.chunking); to full-text search
# it is whitespace.
PAGE_BREAK = "\f"
MAX_TEXT_PAGES = 300
OFFICE_TIMEOUT_SECONDS = 90
# Above this size decks and documents are read part by part (see extract_text).
OFFICE_LIBRARY_MAX_BYTES = 20 * 1024 * 1024
# Images are decoded whole before they are shrunk (PNG has no reduced decode):
# past this many pixels (after a JPEG's reduced decode) there is no thumbnail.
MAX_IMAGE_PIXELS = 40_000_000
# A deck, document or workbook is a zip: no member may unpack past this size, nor
# grow more than MAX_ZIP_RATIO times (checked from the headers, before parsing;
# Python's zipfile never returns more than a member's header size).
MAX_ZIP_MEMBER_BYTES = 64 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Small members (styles, empty parts) may compress very well and cost nothing.
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
# Called with the soffice command's arguments' `preexec_fn` (set by the child).
office_preexec: Callable[[], None] | None = None

ZIP_TYPES = ("pptx", "docx", "xlsx")


class TooComplex(Exception):
    """The file is over a limit: it gets no preview and no text, by design."""


@dataclass
class Preview:
    thumbnail: bytes | None = None  # PNG bytes
    status: str = ICON
    errors: list[str] = field(default_factory=list)
    text: str = ""
    too_complex: bool = False
    # Page images for the viewer (content.page_render), when asked for.
    pages: list = field(default_factory=list)

    @property
    def error(self) -> str:
        return "; ".join(self.errors)[:2000]


def build_preview(
    stream: IO[bytes], file_type: FileType, *, max_pages: int = 0, page_width: int = 0
) -> Preview:
    """Thumbnail, text and up to `max_pages` page images for a file of a known
    (sniffed) type. Never raises."""
    preview = Preview()
    try:
        check_complexity(stream, file_type)
        try:
            preview.text = _clip(extract_text(stream, file_type))
        except _LIMIT_ERRORS:
            raise
        except Exception as exc:
            logger.warning("Text extraction failed for a %s: %s", file_type.key, exc)
            preview.errors.append(f"text: {_describe(exc)}")
        try:
            images = render_images(
                stream, file_type, max_pages=max_pages, page_width=page_width
            )
            preview.thumbnail, preview.pages = images.thumbnail, images.pages
            preview.errors += images.errors
        except _LIMIT_ERRORS:
            raise
        except Exception as exc:
            logger.warning("Thumbnail failed for a %s: %s", file_type.key, exc)
            preview.errors.append(f"thumbnail: {_describe(exc)}")
            preview.status = FAILED
        else:
            preview.status = READY if preview.thumbnail else ICON
    except _LIMIT_ERRORS as exc:
        # Nothing of a file over a limit is kept, not even the text read so far.
        logger.warning("A %s is too complex to preview: %s", file_type.key, exc)
        return Preview(status=FAILED, errors=[_describe(exc)], too_complex=True)
    finally:
        stream.seek(0)
    return preview


_LIMIT_ERRORS = (
    TooComplex,
    MemoryError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def check_complexity(stream: IO[bytes], file_type: FileType) -> None:
    """Refuse, before any parser runs, what would cost too much to open."""
    if file_type.key in ZIP_TYPES:
        check_zip_members(stream)
    elif file_type.key in files.IMAGE_TYPES:
        stream.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                _reduce_decode(image)
                _check_pixels(image)
    stream.seek(0)


def check_zip_members(stream: IO[bytes]) -> None:
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        for info in archive.infolist():
            if info.file_size > MAX_ZIP_MEMBER_BYTES:
                raise TooComplex(
                    f"{info.filename} unpacks to {info.file_size:,} bytes "
                    f"(limit {MAX_ZIP_MEMBER_BYTES:,})"
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > MAX_ZIP_RATIO:
                raise TooComplex(
                    f"{info.filename} unpacks {ratio:,.0f} times its size "
                    f"(limit {MAX_ZIP_RATIO})"
                )
    stream.seek(0)


def _reduce_decode(image: Image.Image) -> None:
    """A JPEG decodes at 1/2 to 1/8 scale when asked: only those pixels count."""
    if image.format == "JPEG":
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise TooComplex(
            f"the image is {width:,} × {height:,} pixels "
            f"(limit {MAX_IMAGE_PIXELS / 1_000_000:g} million)"
        )


def _describe(exc: Exception) -> str:
    if isinstance(exc, MemoryError):
        return "MemoryError: it needs more memory than a preview may use"
    message = str(exc).strip() or "no details"
    return f"{type(exc).__name__}: {message}"[:500]


def _clip(text: str) -> str:
    text = text.replace("\x00", "")
    text = re.sub(r"[ \t\r\v]+", " ", text)
    text = re.sub(r"\n[^\S\f]*\n+", "\n\n", text)
    text = re.sub(r"[^\S\f]*\f[^\S\f]*", PAGE_BREAK, text)
    # Not .strip(): a leading page break is an empty first page.
    return text.strip(" \n")[:MAX_TEXT_CHARS]


# Thumbnails ----------------------------------------------------------------------


def render_thumbnail(stream: IO[bytes], file_type: FileType) -> bytes | None:
    """PNG bytes of the first page, slide or image; None when only an icon fits."""
    return render_images(stream, file_type).thumbnail


@dataclass
class Images:
    thumbnail: bytes | None = None
    pages: list = field(default_factory=list)  # content.page_render.RenderedPage
    errors: list[str] = field(default_factory=list)


def render_images(
    stream: IO[bytes], file_type: FileType, *, max_pages: int = 0, page_width: int = 0
) -> Images:
    """The thumbnail and the first `max_pages` page images.

    A deck or document is converted to PDF once, for both. A deck LibreOffice
    cannot convert (missing or failing) is drawn from its own content instead:
    simplified slides, the first of them its thumbnail. A failure of the page
    images alone is recorded; the thumbnail stays.
    """
    from content import page_render

    # A width from the settings, kept sane: 200 to 4,000 pixels.
    width = min(max(page_width or page_render.PAGE_WIDTH, 200), 4000)
    stream.seek(0)
    if file_type.key in files.IMAGE_TYPES:
        return Images(thumbnail=image_thumbnail(stream))
    errors: list[str] = []
    if file_type is files.PDF:
        return Images(
            thumbnail=pdf_thumbnail(stream),
            pages=_pages(page_render.pdf_pages, stream, max_pages, width, errors),
            errors=errors,
        )
    if file_type not in (files.PPTX, files.DOCX):
        return Images()
    try:
        pdf = office_to_pdf(stream, file_type.extensions[0])
    except _LIMIT_ERRORS:
        raise
    except Exception as exc:
        if file_type is not files.PPTX:
            raise
        logger.warning("LibreOffice failed on a deck: %s", exc)
        errors.append(f"conversion: {_describe(exc)}")
        pdf = None
    if pdf is not None:
        converted = io.BytesIO(pdf)
        return Images(
            thumbnail=pdf_thumbnail(converted),
            pages=_pages(page_render.pdf_pages, converted, max_pages, width, errors),
            errors=errors,
        )
    if file_type is files.DOCX:
        render = page_render.docx_outline_pages
        pages = _pages(render, stream, max_pages, width, errors)
        return Images(pages=pages, errors=errors)
    # A deck is never just an icon: its first slide drawn from its content.
    slides = page_render.pptx_outline_pages(stream, max_pages=max(max_pages, 1))
    thumbnail = _outline_thumbnail(slides[0].data) if slides else None
    return Images(thumbnail=thumbnail, pages=slides[:max_pages], errors=errors)


def _pages(render, stream, max_pages: int, width: int, errors: list[str]) -> list:
    if max_pages <= 0:
        return []
    try:
        return render(stream, max_pages=max_pages, width=width)
    except _LIMIT_ERRORS:
        raise
    except Exception as exc:
        logger.warning("Page images failed: %s", exc)
        errors.append(f"pages: {_describe(exc)}")
        return []


def _outline_thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as slide:
        picture = slide.convert("RGB")
    picture.thumbnail(THUMBNAIL_SIZE)
    return _png(picture)


def image_thumbnail(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    with warnings.catch_warnings():
        # Pillow warns between one and two times its pixel limit: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(stream) as image:
            _reduce_decode(image)
            # Checked before the first pixel is decoded: a 9,400 × 9,400 PNG of
            # 344 KB would otherwise take over a gigabyte to shrink.
            _check_pixels(image)
            image.seek(0)  # the first frame of an animation
            # Shrink first, then turn: exif_transpose copies the whole image. A
            # picture stored on its side (orientation 5 to 8) fits the box turned.
            turned = image.getexif().get(_EXIF_ORIENTATION, 1) in (5, 6, 7, 8)
            image.thumbnail(THUMBNAIL_SIZE[::-1] if turned else THUMBNAIL_SIZE)
            picture = ImageOps.exif_transpose(image)
            return _png(_flatten(picture))


_EXIF_ORIENTATION = 0x0112


def pdf_thumbnail(stream: IO[bytes]) -> bytes:
    import pypdfium2 as pdfium

    stream.seek(0)
    document = pdfium.PdfDocument(stream)
    try:
        if len(document) == 0:
            raise ValueError("the PDF has no pages")
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise ValueError("the first page has no size")
        scale = min(THUMBNAIL_SIZE[0] / width, MAX_RENDER_HEIGHT / height, 4.0)
        bitmap = page.render(scale=scale)
        picture = bitmap.to_pil()
        picture.thumbnail((THUMBNAIL_SIZE[0], MAX_RENDER_HEIGHT))
        # Keep the tile's aspect: a tall page shows its top, like a cover.
        max_height = int(picture.width * THUMBNAIL_SIZE[1] / THUMBNAIL_SIZE[0] * 1.5)
        if picture.height > max_height:
            picture = picture.crop((0, 0, picture.width, max_height))
        return _png(_flatten(picture))
    finally:
        document.close()


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_pdf(stream: IO[bytes], suffix: str) -> bytes | None:
    """Convert a deck or document to PDF with LibreOffice, if it is installed.

    Returns None without LibreOffice (the page then shows the kind's icon).
    """
    binary = soffice_binary()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="wingman-office-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"source.{suffix}"
        stream.seek(0)
        with source.open("wb") as out:
            shutil.copyfileobj(stream, out, files.CHUNK_SIZE)
        stream.seek(0)
        # A private profile: parallel conversions must not share LibreOffice's lock.
        command = [
            binary,
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ]
        subprocess.run(  # noqa: S603 - fixed arguments, no shell, our own temp file
            command,
            check=True,
            capture_output=True,
            timeout=OFFICE_TIMEOUT_SECONDS,
            preexec_fn=office_preexec,  # noqa: PLW1509 - only sets rlimits
        )
        output = workdir / "source.pdf"
        if not output.exists():
            raise RuntimeError("LibreOffice produced no PDF")
        return output.read_bytes()


def _flatten(picture: Image.Image) -> Image.Image:
    """RGB on white, so transparent images do not turn black."""
    if picture.mode in ("RGBA", "LA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        rgba = picture.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if picture.mode != "RGB":
        return picture.convert("RGB")
    return picture


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Text ------------------------------------------------------------------------------


def extract_text(stream: IO[bytes], file_type: FileType) -> str:
    stream.seek(0)
    if file_type is files.PDF:
        return pdf_text(stream)
    if (
        file_type in (files.PPTX, files.DOCX)
        and _size(stream) > OFFICE_LIBRARY_MAX_BYTES
    ):
        # python-pptx and python-docx load every part, images included, into
        # memory; for big files read only the text parts, one at a time.
        return ooxml_text(stream, file_type)
    if file_type is files.PPTX:
        return pptx_text(stream)
    if file_type is files.DOCX:
        return docx_text(stream)
    if file_type is files.XLSX:
        return xlsx_text(stream)
    if file_type in (files.TEXT, files.MARKDOWN):
        return stream.read(MAX_TEXT_CHARS * 4).decode("utf-8", errors="replace")
    return ""


def pdf_text(stream: IO[bytes]) -> str:
    import pypdfium2 as pdfium

    stream.seek(0)
    document = pdfium.PdfDocument(stream)
    parts: list[str] = []
    size = 0
    try:
        for index in range(min(len(document), MAX_TEXT_PAGES)):
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT_CHARS:
                break
    finally:
        document.close()
    return PAGE_BREAK.join(part.replace(PAGE_BREAK, " ") for part in parts)


def pptx_text(stream: IO[bytes]) -> str:
    from pptx import Presentation

    stream.seek(0)
    presentation = Presentation(stream)
    slides: list[str] = []
    size = 0
    for slide in presentation.slides:
        parts: list[str] = []
        for shape in slide.shapes:
            parts.extend(_shape_text(shape))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text:
                parts.append(notes.text)
        text = "\n".join(p for p in parts if p.strip()).replace(PAGE_BREAK, " ")
        slides.append(text)
        size += len(text)
        if size > MAX_TEXT_CHARS:
            break
    # One segment per slide, empty ones too, so the numbers stay right.
    return PAGE_BREAK.join(slides)


def _shape_text(shape) -> list[str]:
    parts: list[str] = []
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        parts.append(shape.text_frame.text)
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for child in getattr(shape, "shapes", ()):  # group shapes
        parts.extend(_shape_text(child))
    return parts


def docx_text(stream: IO[bytes]) -> str:
    from docx import Document

    stream.seek(0)
    document = Document(stream)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(p for p in parts if p.strip())


_XLSX_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>")


def xlsx_text(stream: IO[bytes]) -> str:
    """The words in a workbook (shared and inline strings), without a parser."""
    stream.seek(0)
    budget = MAX_TEXT_CHARS * 8
    words: list[str] = []
    with zipfile.ZipFile(stream) as archive:
        parts = [
            info
            for info in archive.infolist()
            if info.filename == "xl/sharedStrings.xml"
            or (
                info.filename.startswith("xl/worksheets/")
                and info.filename.endswith(".xml")
            )
        ]
        for info in parts:
            if budget <= 0:
                break
            with archive.open(info) as part:
                data = part.read(budget)
            budget -= len(data)
            words += [
                html.unescape(match.decode("utf-8", "replace"))
                for match in _XLSX_TEXT.findall(data)
            ]
    return "\n".join(word for word in words if word.strip())


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


_OOXML_TEXT = re.compile(rb"<(?:a|w):t(?:\s[^>]*)?>([^<]*)</(?:a|w):t>")
_OOXML_PARTS = {
    "pptx": ("ppt/slides/slide", "ppt/notesSlides/notesSlide"),
    "docx": ("word/document",),
}


def _part_order(name: str) -> tuple[str, int]:
    digits = re.search(r"(\d+)\.xml$", name)
    return (re.sub(r"\d+\.xml$", "", name), int(digits.group(1)) if digits else 0)


def ooxml_text(stream: IO[bytes], file_type: FileType) -> str:
    """The text runs of a deck's slides and notes or a document's body."""
    stream.seek(0)
    prefixes = _OOXML_PARTS[file_type.key]
    budget = MAX_TEXT_CHARS * 8
    words: list[str] = []
    with zipfile.ZipFile(stream) as archive:
        names = sorted(
            (
                info.filename
                for info in archive.infolist()
                if info.filename.startswith(prefixes) and info.filename.endswith(".xml")
            ),
            key=_part_order,
        )
        for name in names:
            if budget <= 0:
                break
            with archive.open(name) as part:
                data = part.read(budget)
            budget -= len(data)
            words += [
                html.unescape(match.decode("utf-8", "replace"))
                for match in _OOXML_TEXT.findall(data)
            ]
    return "\n".join(word for word in words if word.strip())
