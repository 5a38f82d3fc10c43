import io
import os
import stat
import subprocess
import sys

import pytest
from PIL import Image

from content import files, previews
from content.models import PreviewStatus
from tests.content.library import builders


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


def test_an_image_gets_a_thumbnail_within_the_size():
    preview = previews.build_preview(
        io.BytesIO(builders.png_bytes(size=(2400, 1200))), files.PNG
    )
    assert preview.status == PreviewStatus.READY
    thumb = _image(preview.thumbnail)
    assert thumb.format == "PNG"
    assert thumb.size == (640, 320)


@pytest.mark.parametrize(
    "fmt,file_type", [("JPEG", files.JPEG), ("GIF", files.GIF), ("WEBP", files.WEBP)]
)
def test_every_image_format_gets_a_thumbnail(fmt, file_type):
    preview = previews.build_preview(io.BytesIO(builders.image_bytes(fmt)), file_type)
    assert preview.status == PreviewStatus.READY
    assert _image(preview.thumbnail).mode == "RGB"


def test_transparent_images_are_flattened_on_white():
    data = builders.png_bytes(mode="RGBA", color=(0, 0, 0, 0))
    preview = previews.build_preview(io.BytesIO(data), files.PNG)
    assert _image(preview.thumbnail).getpixel((5, 5)) == (255, 255, 255)


def test_a_decompression_bomb_is_never_decoded():
    preview = previews.build_preview(io.BytesIO(builders.bomb_png()), files.PNG)
    assert preview.status == PreviewStatus.FAILED
    assert "DecompressionBomb" in preview.error
    assert preview.thumbnail is None


def test_a_pdf_gets_its_first_page_and_the_text_of_every_page():
    data = builders.pdf_bytes("Total cost of ownership", "Rivalry Inc pricing")
    preview = previews.build_preview(io.BytesIO(data), files.PDF)
    assert preview.status == PreviewStatus.READY
    assert _image(preview.thumbnail).width == 640
    assert "Total cost of ownership" in preview.text
    assert "Rivalry Inc pricing" in preview.text


def test_a_corrupt_pdf_records_the_failure_and_does_not_raise():
    preview = previews.build_preview(io.BytesIO(builders.corrupt_pdf()), files.PDF)
    assert preview.status == PreviewStatus.FAILED
    assert preview.thumbnail is None
    assert "thumbnail" in preview.error


def test_deck_text_includes_slides_tables_and_notes():
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Pricing"
    table = slide.shapes.add_table(2, 2, 0, 0, Inches(4), Inches(2)).table
    table.cell(0, 0).text = "Seats"
    table.cell(1, 1).text = "Enterprise tier"
    slide.notes_slide.notes_text_frame.text = "Mention the annual discount"
    out = io.BytesIO()
    deck.save(out)
    text = previews.extract_text(io.BytesIO(out.getvalue()), files.PPTX)
    assert "Pricing" in text
    assert "Enterprise tier" in text
    assert "annual discount" in text


def test_document_text_includes_paragraphs_and_tables():
    from docx import Document

    document = Document()
    document.add_paragraph("Acme Analytics switched in six weeks.")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "ROI 312%"
    out = io.BytesIO()
    document.save(out)
    text = previews.extract_text(io.BytesIO(out.getvalue()), files.DOCX)
    assert "six weeks" in text
    assert "ROI 312%" in text


def test_workbook_text_comes_from_its_shared_strings():
    data = builders.xlsx_bytes("ROI calculator", "Payback & savings")
    text = previews.extract_text(io.BytesIO(data), files.XLSX)
    assert "ROI calculator" in text
    assert "Payback & savings" in text


def test_markdown_text_is_kept_for_search():
    preview = previews.build_preview(
        io.BytesIO(b"# Cold call opener\n"), files.MARKDOWN
    )
    assert preview.text == "# Cold call opener"
    assert preview.status == PreviewStatus.ICON


def test_without_libreoffice_a_deck_shows_its_first_simplified_slide(monkeypatch):
    monkeypatch.setattr(previews, "soffice_binary", lambda: None)
    preview = previews.build_preview(io.BytesIO(builders.pptx_bytes()), files.PPTX)
    assert preview.status == PreviewStatus.READY
    assert _image(preview.thumbnail).size == (640, 360)  # the slide's 16:9
    assert preview.error == ""
    assert "total cost of ownership" in preview.text


def test_with_libreoffice_a_deck_gets_its_first_slide(monkeypatch):
    calls = []

    def convert(stream, suffix):
        calls.append((suffix, stream.read(4)))
        return builders.pdf_bytes("First slide")

    monkeypatch.setattr(previews, "office_to_pdf", convert)
    preview = previews.build_preview(io.BytesIO(builders.docx_bytes()), files.DOCX)
    assert preview.status == PreviewStatus.READY
    assert _image(preview.thumbnail).width == 640
    assert calls == [("docx", b"PK\x03\x04")]


def test_a_libreoffice_failure_is_recorded(monkeypatch):
    def convert(stream, suffix):
        raise subprocess.TimeoutExpired("soffice", 90)

    monkeypatch.setattr(previews, "office_to_pdf", convert)
    preview = previews.build_preview(
        io.BytesIO(builders.pptx_bytes()), files.PPTX, max_pages=10
    )
    assert "TimeoutExpired" in preview.error
    assert "total cost of ownership" in preview.text  # text still extracted
    # A deck is never just an icon: its slides drawn from its own content.
    assert preview.status == PreviewStatus.READY
    assert [p.simplified for p in preview.pages] == [True, True]


def test_a_document_libreoffice_cannot_convert_fails(monkeypatch):
    def convert(stream, suffix):
        raise subprocess.TimeoutExpired("soffice", 90)

    monkeypatch.setattr(previews, "office_to_pdf", convert)
    preview = previews.build_preview(io.BytesIO(builders.docx_bytes()), files.DOCX)
    assert preview.status == PreviewStatus.FAILED
    assert "TimeoutExpired" in preview.error


def test_office_conversion_runs_soffice_headless(tmp_path, monkeypatch):
    """The real subprocess path, with a stand-in `soffice` on the PATH."""
    pdf = tmp_path / "fixture.pdf"
    pdf.write_bytes(builders.pdf_bytes("Converted"))
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\n"
        "args = sys.argv[1:]\n"
        "assert '--headless' in args\n"
        "assert args[args.index('--convert-to') + 1] == 'pdf'\n"
        "outdir = args[args.index('--outdir') + 1]\n"
        f"shutil.copy({str(pdf)!r}, outdir + '/source.pdf')\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    result = previews.office_to_pdf(io.BytesIO(builders.pptx_bytes()), "pptx")
    assert result == pdf.read_bytes()
    preview = previews.build_preview(io.BytesIO(builders.pptx_bytes()), files.PPTX)
    assert preview.status == PreviewStatus.READY


@pytest.mark.parametrize(
    "file_type,data",
    [
        (files.PPTX, builders.pptx_bytes("total cost of ownership", "Rivalry & Acme")),
        (files.DOCX, builders.docx_bytes("Acme Analytics cut reporting time", "x < y")),
    ],
)
def test_big_office_files_are_read_part_by_part_with_the_same_words(
    monkeypatch, file_type, data
):
    small = previews.extract_text(io.BytesIO(data), file_type)
    monkeypatch.setattr(previews, "OFFICE_LIBRARY_MAX_BYTES", 0)
    big = previews.extract_text(io.BytesIO(data), file_type)
    assert set(big.split()) == set(small.split())
