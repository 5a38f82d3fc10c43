"""Page images of one file: pure file work on bytes, in the file job's child.

PDFs are rendered page by page with pdfium; decks and documents arrive here as
the PDF LibreOffice made of them (content.previews.office_to_pdf). Where there
is no such PDF, a deck is drawn from its own content (python-pptx and Pillow:
titles, wrapped text and bullets, filled boxes, pictures at their places, on
the slide's aspect ratio) and a document's text is laid out on pages: outline
renders, marked `simplified`, legible but not what the original looks like.

Like content.previews, this module imports no model and opens no connection.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO

from PIL import Image, ImageDraw, ImageFont

# The pixels of a page's width, and at most this many times it in height (a
# long page is cropped at the top, like a cover, rather than rendered huge).
PAGE_WIDTH = 1280
MAX_PAGE_ASPECT = 3.0
# WebP keeps slides sharp at a fraction of PNG's size; Pillow without libwebp
# writes PNG instead.
WEBP_QUALITY = 82
# A document without LibreOffice: its first pages only (it is a stand-in).
OUTLINE_DOCUMENT_MAX_PAGES = 20
# A deck's pictures bigger than this are skipped in an outline (decoded whole).
MAX_PICTURE_PIXELS = 25_000_000
EMU_PER_POINT = 12_700

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
)
INK = (27, 35, 48)


@dataclass
class RenderedPage:
    number: int
    data: bytes
    width: int
    height: int
    extension: str  # "webp" or "png"
    simplified: bool = False
    # What an outline render wrote on the page, in order (its alt text, tests).
    lines: list[str] = field(default_factory=list)


def encode(picture: Image.Image) -> tuple[bytes, str]:
    """WebP bytes of an RGB picture (PNG where Pillow has no WebP)."""
    from PIL import features

    out = io.BytesIO()
    if features.check("webp"):
        picture.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
        return out.getvalue(), "webp"
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), "png"


def _page(
    number: int, picture: Image.Image, *, simplified: bool, lines=()
) -> RenderedPage:
    data, extension = encode(picture)
    return RenderedPage(
        number=number,
        data=data,
        width=picture.width,
        height=picture.height,
        extension=extension,
        simplified=simplified,
        lines=list(lines),
    )


# PDF ---------------------------------------------------------------------------------


def pdf_pages(
    stream: IO[bytes], *, max_pages: int, width: int = PAGE_WIDTH
) -> list[RenderedPage]:
    """The first `max_pages` pages of a PDF, `width` pixels wide."""
    import pypdfium2 as pdfium

    if max_pages <= 0:
        return []
    stream.seek(0)
    document = pdfium.PdfDocument(stream)
    pages: list[RenderedPage] = []
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            try:
                page_width, page_height = page.get_size()
                if page_width <= 0 or page_height <= 0:
                    raise ValueError(f"page {index + 1} has no size")
                scale = min(width / page_width, 8.0)
                crop_height = page_width * MAX_PAGE_ASPECT
                crop = max(0.0, page_height - crop_height)
                # pdfium crops from the bottom: the top of a long page is kept.
                bitmap = page.render(scale=scale, crop=(0, crop, 0, 0))
                picture = bitmap.to_pil().convert("RGB")
                bitmap.close()
            finally:
                page.close()
            pages.append(_page(index + 1, picture, simplified=False))
    finally:
        document.close()
    return pages


# Outline renders ---------------------------------------------------------------------


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)  # Pillow's own, always there


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    """`text` in lines no wider than `width` pixels, word by word."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if draw.textlength(candidate, font=face) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            # A word wider than the box is cut where it must be.
            while draw.textlength(word, font=face) > width and len(word) > 1:
                cut = max(int(len(word) * width / draw.textlength(word, font=face)), 1)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def pptx_outline_pages(
    stream: IO[bytes], *, max_pages: int, width: int = PAGE_WIDTH
) -> list[RenderedPage]:
    """Every slide (up to `max_pages`) drawn from its own content."""
    from pptx import Presentation

    stream.seek(0)
    deck = Presentation(stream)
    slide_width = deck.slide_width or 12_192_000
    slide_height = deck.slide_height or 6_858_000
    height = max(int(width * slide_height / slide_width), 1)
    pixels_per_emu = width / slide_width
    pages: list[RenderedPage] = []
    for number, slide in enumerate(deck.slides, start=1):
        if number > max_pages:
            break
        picture = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(picture)
        written: list[str] = []
        _background(slide, draw, (width, height))
        for shape in slide.shapes:
            _draw_shape(shape, picture, draw, pixels_per_emu, written)
        pages.append(_page(number, picture, simplified=True, lines=written))
    return pages


def _rgb(color_format) -> tuple[int, int, int] | None:
    """A fill or font colour given as RGB; theme colours are not resolved."""
    try:
        rgb = color_format.rgb
    except (AttributeError, TypeError, ValueError, KeyError):
        return None
    return (rgb[0], rgb[1], rgb[2]) if rgb is not None else None


def _background(slide, draw, size) -> None:
    try:
        fill = slide.background.fill
        if fill.type == 1:  # MSO_FILL.SOLID
            color = _rgb(fill.fore_color)
            if color:
                draw.rectangle((0, 0, *size), fill=color)
    except (AttributeError, TypeError, ValueError, KeyError):
        pass


def _box(shape, scale: float, size: tuple[int, int], title: bool):
    """The shape's box in pixels, (x, y, width, height)."""
    left, top, cx, cy = shape.left, shape.top, shape.width, shape.height
    if left is None or top is None or cx is None or cy is None:
        # A placeholder that inherits no place: a title at the top, else the body.
        fractions = (0.05, 0.04, 0.9, 0.16) if title else (0.05, 0.24, 0.9, 0.7)
        width, height = size
        return tuple(
            int(f * d) for f, d in zip(fractions, (width, height) * 2, strict=True)
        )
    return tuple(int(v * scale) for v in (left, top, cx, cy))


def _placeholder_type(shape) -> int | None:
    try:
        if shape.is_placeholder:
            return int(shape.placeholder_format.type)
    except (AttributeError, ValueError, TypeError):
        pass
    return None


def _is_title(shape) -> bool:
    return _placeholder_type(shape) in (1, 3, 15)  # TITLE, CENTER_TITLE, VERTICAL


def _draw_shape(shape, picture, draw, scale: float, written: list[str]) -> None:
    title = _is_title(shape)
    x, y, w, h = _box(shape, scale, picture.size, title)
    if hasattr(shape, "shapes"):  # a group: its children, in slide coordinates
        for child in shape.shapes:
            _draw_shape(child, picture, draw, scale, written)
        return
    fill = None
    try:
        if shape.fill.type == 1:
            fill = _rgb(shape.fill.fore_color)
    except (AttributeError, TypeError, ValueError, KeyError, NotImplementedError):
        fill = None
    if fill and w > 0 and h > 0:
        draw.rectangle((x, y, x + w, y + h), fill=fill)
    if getattr(shape, "shape_type", None) == 13 or hasattr(shape, "image"):  # picture
        _draw_picture(shape, picture, (x, y, w, h))
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = [" | ".join(c.text for c in row.cells) for row in shape.table.rows]
        cells = [(row, 0, 14 * EMU_PER_POINT, False) for row in rows]
        written += _draw_text(draw, cells, (x, y, w, h), scale)
    elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        paragraphs = _paragraphs(shape, title, fill)
        written += _draw_text(draw, paragraphs, (x, y, w, h), scale)


def _paragraphs(shape, title: bool, fill) -> list[tuple]:
    """(text, level, size in EMU, bold, colour) of each paragraph of a shape."""
    body = _placeholder_type(shape) in (2, 7)  # BODY, OBJECT: bulleted lists
    default_size = (36 if title else 18) * EMU_PER_POINT
    default_color = (255, 255, 255) if fill and sum(fill) < 300 else INK
    paragraphs = []
    for paragraph in shape.text_frame.paragraphs:
        text = "".join(run.text for run in paragraph.runs) or paragraph.text
        if not text.strip():
            continue
        size, bold, color = default_size, title, default_color
        for source in [paragraph.font, *(run.font for run in paragraph.runs)]:
            size = source.size or size
            bold = bool(source.bold) or bold
            color = _rgb(source.color) or color
        level = paragraph.level
        if body:
            text = "• " + text
        paragraphs.append((text, level, size, bold, color))
    return paragraphs


def _draw_text(draw, paragraphs, box, scale: float) -> list[str]:
    """Draw the paragraphs in the box; returns those written (whole or begun)."""
    x, y, w, h = box
    top = y + 6
    written: list[str] = []
    for entry in paragraphs:
        text, level, size, bold = entry[:4]
        color = entry[4] if len(entry) > 4 else INK
        pixels = max(int(size * scale), 9)
        face = font(pixels, bold)
        indent = int(level * pixels * 1.2)
        if top + pixels > draw.im.size[1]:
            break  # past the bottom of the slide
        written.append(text)
        for line in wrap(draw, text, face, max(w - indent - 12, pixels)):
            if top + pixels > draw.im.size[1]:
                break
            draw.text((x + 6 + indent, top), line, fill=color, font=face)
            top += int(pixels * 1.25)
        top += int(pixels * 0.35)
    return written


def _draw_picture(shape, picture, box) -> None:
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return
    try:
        blob = shape.image.blob
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(blob)) as image:
                if image.width * image.height > MAX_PICTURE_PIXELS:
                    raise ValueError("picture too large for an outline")
                image.draft("RGB", (w, h))
                placed = image.convert("RGBA").resize((w, h))
        picture.paste(placed, (x, y), placed)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise
    except Exception:  # an unreadable picture (EMF, WMF): a grey box in its place
        ImageDraw.Draw(picture).rectangle(
            (x, y, x + w, y + h), fill=(230, 233, 239), outline=(190, 196, 206)
        )


def docx_outline_pages(
    stream: IO[bytes], *, max_pages: int, width: int = PAGE_WIDTH
) -> list[RenderedPage]:
    """A document's headings and paragraphs laid out on A4 pages (first pages)."""
    from docx import Document

    stream.seek(0)
    document = Document(stream)
    height = int(width * 297 / 210)
    margin = int(width * 0.08)
    limit = min(max_pages, OUTLINE_DOCUMENT_MAX_PAGES)
    pages: list[RenderedPage] = []
    picture = draw = None
    top = 0
    written: list[str] = []

    def new_page():
        nonlocal picture, draw, top, written
        if picture is not None:
            pages.append(_page(len(pages) + 1, picture, simplified=True, lines=written))
        picture = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(picture)
        top = margin
        written = []

    new_page()
    body = int(width / 48)
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        size, bold = body, False
        if style == "Title":
            size, bold = int(body * 2), True
        elif style.startswith("Heading"):
            size, bold = int(body * 1.45), True
        elif "List" in style:
            text = "• " + text
        face = font(size, bold)
        written.append(text)
        for line in wrap(draw, text, face, width - 2 * margin):
            if top + size > height - margin:
                if len(pages) + 1 >= limit:
                    last = _page(
                        len(pages) + 1, picture, simplified=True, lines=written
                    )
                    return [*pages, last]
                new_page()
                written.append(text)
            draw.text((margin, top), line, fill=INK, font=face)
            top += int(size * 1.4)
        top += int(size * 0.6)
    if limit > 0:
        pages.append(_page(len(pages) + 1, picture, simplified=True, lines=written))
    return pages
