"""Test files built in memory: images, PDFs, decks, documents and bad input."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.demo.documents import Page, docx_document, pdf_document, pptx_document


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """What Django hands a view: the browser's content type is never trusted."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_bytes(size=(320, 200), color=(31, 79, 209), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format="PNG")
    return out.getvalue()


def image_bytes(fmt: str, size=(320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt)
    return out.getvalue()


def pdf_bytes(*pages: str) -> bytes:
    pages = pages or ("Total cost of ownership",)
    return pdf_document([Page(f"Page {i}", [text]) for i, text in enumerate(pages, 1)])


def pptx_bytes(*lines: str) -> bytes:
    lines = lines or ("total cost of ownership",)
    return pptx_document(
        [Page("Brightwave platform", kicker="Overview"), Page("Why us", list(lines))]
    )


def docx_bytes(*lines: str) -> bytes:
    lines = lines or ("Acme Analytics cut reporting time by half.",)
    return docx_document("Case study", [Page("Result", list(lines))])


def xlsx_bytes(*cells: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row, value in enumerate(cells or ("ROI calculator",), start=1):
        sheet.cell(row=row, column=1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def mp4_bytes() -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    mdat = struct.pack(">I", 16) + b"mdat" + b"\x00" * 8
    return ftyp + mdat


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< this is not a pdf at all >>\n%%EOF\n" + b"\x00" * 64


HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
BARE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def asset_url(name: str, asset) -> str:
    """The URL of one of the asset's pages (`content:<name>`)."""
    from django.urls import reverse

    return reverse(f"content:{name}", kwargs={"pk": asset.pk})
