"""Real files for the demo (and tests): PDF decks, PowerPoint, Word and PNG images.

The PDF writer is a small hand-written one (text, filled rectangles, Helvetica),
enough for multi-page decks whose text pdfium can extract and render.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

Color = tuple[float, float, float]

BLUE: Color = (0.12, 0.31, 0.82)
INK: Color = (0.11, 0.14, 0.19)
GREEN: Color = (0.09, 0.47, 0.29)
RED: Color = (0.71, 0.14, 0.09)
AMBER: Color = (0.6, 0.36, 0.0)
PURPLE: Color = (0.38, 0.2, 0.71)


@dataclass
class Page:
    """One slide or page: a title, then bullet points or paragraphs."""

    title: str
    lines: Sequence[str] = field(default_factory=list)
    kicker: str = ""
    cover: bool = False  # a full-colour title slide


def _pdf_text(text: str) -> str:
    # The standard fonts use WinAnsi; keep to it and escape PDF string syntax.
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2014", "-")
        .replace("\u2013", "-")
        .replace("\u2022", "-")
    )
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _rgb(color: Color) -> str:
    return " ".join(f"{c:.3f}" for c in color)


def _page_stream(
    page: Page,
    number: int,
    total: int,
    size: tuple[int, int],
    accent: Color,
    footer: str,
) -> bytes:
    width, height = size
    landscape = width > height
    ops: list[str] = []
    if page.cover:
        return _cover_stream(page, size, accent)
    band = 90 if landscape else 110
    # Header band, accent stripe and footer rule.
    ops.append(f"{_rgb(accent)} rg 0 {height - band} {width} {band} re f")
    ops.append(f"{_rgb(INK)} rg 0 0 {width} 6 re f")
    margin = 48
    if page.kicker:
        ops.append(
            f"BT /F1 13 Tf 1 1 1 rg {margin} {height - 32} Td "
            f"({_pdf_text(page.kicker.upper())}) Tj ET"
        )
    title_size = 28 if landscape else 24
    ops.append(
        f"BT /F2 {title_size} Tf 1 1 1 rg {margin} {height - band + 24} Td "
        f"({_pdf_text(page.title)}) Tj ET"
    )
    size_pt = 18 if landscape else 12
    leading = size_pt * 1.45
    chars = int((width - 2 * margin) / (size_pt * 0.5))
    y = height - band - 48
    for line in page.lines:
        bullet = landscape or line.startswith("- ")
        text = line[2:] if line.startswith("- ") else line
        wrapped = textwrap.wrap(text, chars - 3) or [""]
        for i, part in enumerate(wrapped):
            if y < 40:
                break
            if bullet and i == 0:
                ops.append(f"{_rgb(accent)} rg {margin} {y - 2} 8 8 re f")
            x = margin + (20 if bullet else 0)
            ops.append(
                f"BT /F1 {size_pt} Tf {_rgb(INK)} rg {x} {y - 4} Td "
                f"({_pdf_text(part)}) Tj ET"
            )
            y -= leading
        y -= leading * 0.4
    ops.append(
        f"BT /F1 9 Tf 0.4 0.43 0.48 rg {margin} 18 Td "
        f"({_pdf_text(footer)}  {number}/{total}) Tj ET"
    )
    return "\n".join(ops).encode("latin-1")


def _cover_stream(page: Page, size: tuple[int, int], accent: Color) -> bytes:
    width, height = size
    margin = 64
    ops = [
        f"{_rgb(accent)} rg 0 0 {width} {height} re f",
        f"1 1 1 rg {margin} {height * 0.42:.0f} 120 6 re f",
    ]
    if page.kicker:
        ops.append(
            f"BT /F2 16 Tf 1 1 1 rg {margin} {height - 70} Td "
            f"({_pdf_text(page.kicker.upper())}) Tj ET"
        )
    y = height * 0.42 + 40
    for part in reversed(textwrap.wrap(page.title, 30)):
        ops.append(
            f"BT /F2 44 Tf 1 1 1 rg {margin} {y:.0f} Td ({_pdf_text(part)}) Tj ET"
        )
        y += 52
    y = height * 0.42 - 40
    for line in page.lines:
        ops.append(
            f"BT /F1 20 Tf 1 1 1 rg {margin} {y:.0f} Td ({_pdf_text(line)}) Tj ET"
        )
        y -= 28
    return "\n".join(ops).encode("latin-1")


def pdf_document(
    pages: Sequence[Page],
    *,
    size: tuple[int, int] = (960, 540),
    accent: Color = BLUE,
    footer: str = "Brightwave - confidential",
) -> bytes:
    """A PDF with one page per Page: 16:9 slides by default, or letter pages."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree exists
    pages_id = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for number, page in enumerate(pages, start=1):
        stream = _page_stream(page, number, len(pages), size, accent, footer)
        content = add(
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        )
        kids.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_id} 0 R "
                    f"/MediaBox [0 0 {size[0]} {size[1]}] "
                    f"/Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> >> "
                    f"/Contents {content} 0 R >>"
                ).encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
        f"/Count {len(kids)} >>"
    ).encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


def pptx_document(slides: Sequence[Page], *, accent: Color = BLUE) -> bytes:
    """A real PowerPoint deck: a title slide, then title-and-content slides."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    color = RGBColor(*(int(c * 255) for c in accent))
    for index, page in enumerate(slides):
        layout = deck.slide_layouts[0 if index == 0 else 1]
        slide = deck.slides.add_slide(layout)
        band = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, 0, 0, deck.slide_width, Inches(0.35)
        )
        band.fill.solid()
        band.fill.fore_color.rgb = color
        band.line.fill.background()
        slide.shapes.title.text = page.title
        body = slide.placeholders[1]
        if index == 0:
            body.text = page.kicker or (page.lines[0] if page.lines else "")
            continue
        frame = body.text_frame
        for i, line in enumerate(page.lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line.removeprefix("- ")
            paragraph.font.size = Pt(22)
        if page.kicker:
            slide.notes_slide.notes_text_frame.text = page.kicker
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def docx_document(title: str, sections: Sequence[Page]) -> bytes:
    """A Word document: a title, then a heading and paragraphs per section."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=0)
    for section in sections:
        document.add_heading(section.title, level=1)
        for line in section.lines:
            if line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png_image(
    title: str,
    lines: Sequence[str] = (),
    *,
    size: tuple[int, int] = (1200, 900),
    accent: Color = BLUE,
    bars: Sequence[int] = (),
) -> bytes:
    """An infographic-style PNG: a title band, some lines of text and a bar chart."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    rgb = tuple(int(c * 255) for c in accent)
    image = Image.new("RGB", size, (245, 247, 251))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, int(height * 0.18)), fill=rgb)
    title_font = ImageFont.load_default(size=max(24, width // 22))
    body_font = ImageFont.load_default(size=max(16, width // 45))
    draw.text((48, int(height * 0.06)), title, fill="white", font=title_font)
    y = int(height * 0.24)
    for line in lines:
        for part in textwrap.wrap(line, 60) or [""]:
            draw.text((48, y), part, fill=(27, 35, 48), font=body_font)
            y += int(body_font.size * 1.5)
    if bars:
        top = max(bars)
        chart_top, chart_bottom = y + 30, height - 60
        bar_width = (width - 96) // (len(bars) * 2)
        for i, value in enumerate(bars):
            x = 48 + i * bar_width * 2
            bar_height = int((chart_bottom - chart_top) * value / top)
            draw.rounded_rectangle(
                (x, chart_bottom - bar_height, x + bar_width, chart_bottom),
                radius=8,
                fill=rgb if i == len(bars) - 1 else (154, 163, 178),
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
