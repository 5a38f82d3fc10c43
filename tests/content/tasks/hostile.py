"""Hostile files, built in memory in a fraction of a second (tests and bench).

- a ~23 KB DOCX whose word/document.xml unpacks to ~15 MiB;
- a ~48 KB PDF of 300 pages that all draw one heavy content stream;
- a 9,400 × 9,400 PNG of a few hundred KB (88 million pixels).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MIB = 1024 * 1024

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def expanding_docx(unpacked_bytes: int = 15 * MIB) -> bytes:
    """A small DOCX whose body XML unpacks to `unpacked_bytes` of paragraphs."""
    # Long runs of one letter: deflate packs them about 700 to 1 (the issue's
    # file: 23 KB to 15 MiB), where varied XML packs 10 to 1.
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 65_536 + b"</w:t></w:r></w:p>"
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        b'2006/main"><w:body>'
    )
    tail = b"</w:body></w:document>"
    count = max(1, (unpacked_bytes - len(head) - len(tail)) // len(paragraph))
    body = head + paragraph * count + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", body)
    return out.getvalue()


def shared_stream_pdf(pages: int = 300, operations: int = 720_000) -> bytes:
    """A PDF of `pages` pages that all draw the same compressed content stream
    of `operations` tiny filled rectangles: small on disk, slow to open."""
    ops = b"0 0 1 1 re f\n" * operations
    stream = zlib.compress(ops, 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"
    objects += [page] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def huge_png(width: int = 9_400, height: int = 9_400, *, rgb: bool = False) -> bytes:
    """A real, valid grey (or RGB) PNG of width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    channels = 3 if rgb else 1
    row = b"\x00" + b"\x80" * (width * channels)  # a filter byte, then the pixels
    rows_per_part = 500
    compressor = zlib.compressobj(1)
    parts = []
    for start in range(0, height, rows_per_part):
        parts.append(compressor.compress(row * min(rows_per_part, height - start)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if rgb else 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )
