import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from content import files
from content.files import SniffError
from tests.content.library import builders
from tests.content.library.conftest import stored_files


@pytest.mark.parametrize(
    "data,expected",
    [
        (builders.pdf_bytes(), files.PDF),
        (builders.pptx_bytes(), files.PPTX),
        (builders.docx_bytes(), files.DOCX),
        (builders.xlsx_bytes(), files.XLSX),
        (builders.png_bytes(), files.PNG),
        (builders.image_bytes("JPEG"), files.JPEG),
        (builders.image_bytes("GIF"), files.GIF),
        (builders.image_bytes("WEBP"), files.WEBP),
        (builders.mp4_bytes(), files.MP4),
        (b"Hi {{first_name}},\n\nthanks for your time today.\n", files.TEXT),
        ("Café notes – ünïcode\n".encode(), files.TEXT),
    ],
    ids=lambda v: v.key if isinstance(v, files.FileType) else "",
)
def test_accepted_types_are_recognised_from_their_bytes(data, expected):
    assert files.sniff(io.BytesIO(data)) is expected


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "empty"),
        (builders.HTML, "html"),
        (b"  \n<html><p>hi</p></html>", "html"),
        (builders.SVG, "html"),
        (builders.BARE_SVG, "html"),
        (b"# Title\n\n<script>alert(1)</script>", "html"),
        (builders.EXE, "executable"),
        (builders.ELF, "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (builders.zip_bytes(), "zip"),
        (b"PK\x03\x04 truncated", "bad_zip"),
        (b"\x00\x01\x02\x03binary", "unknown"),
        (b"\xff\xfe\xfa\xfb\xfc not utf-8 at all, clearly binary", "unknown"),
    ],
)
def test_refused_content_is_named_in_the_error(data, code):
    with pytest.raises(SniffError) as caught:
        files.sniff(io.BytesIO(data))
    assert caught.value.code == code
    assert caught.value.message


def test_sniffing_leaves_the_stream_at_the_start():
    stream = io.BytesIO(builders.pptx_bytes())
    files.sniff(stream)
    assert stream.tell() == 0


def test_markdown_and_text_share_bytes_and_the_name_decides():
    assert files.refine_text_type(files.TEXT, "notes.md") is files.MARKDOWN
    assert files.refine_text_type(files.TEXT, "notes.txt") is files.TEXT
    assert files.matches_extension(files.TEXT, "notes.markdown")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\deck.pptx", "deck.pptx"),
        ("re\x00port\x1b[31m.pdf", "report[31m.pdf"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ("evil\u202egnp.exe.pdf", "evilgnp.exe.pdf"),  # right-to-left override
        ("  spaced   out  name .pdf ", "spaced out name .pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("..", "file"),
        ("", "file"),
        ("/", "file"),
    ],
)
def test_filenames_are_sanitised_for_display(raw, expected):
    assert files.sanitize_filename(raw) == expected


def test_long_filenames_keep_their_extension():
    name = files.sanitize_filename("x" * 400 + ".pptx")
    assert len(name) <= 200
    assert name.endswith(".pptx")


def test_checksum_is_sha256_of_the_whole_file_in_chunks(monkeypatch):
    monkeypatch.setattr(files, "CHUNK_SIZE", 7)
    data = builders.pdf_bytes("one", "two")
    stream = io.BytesIO(data)
    assert files.sha256_of(stream) == hashlib.sha256(data).hexdigest()
    assert stream.tell() == 0


def test_files_stored_in_a_failed_block_are_deleted():
    with pytest.raises(RuntimeError), files.cleanup_on_failure():
        name = default_storage.save("assets/a.txt", ContentFile(b"a"))
        files.track_stored(name)
        raise RuntimeError("boom")
    assert stored_files() == []


def test_nested_blocks_hand_their_files_to_the_outer_one():
    with pytest.raises(RuntimeError), files.cleanup_on_failure():
        with files.cleanup_on_failure():
            name = default_storage.save("assets/inner.txt", ContentFile(b"a"))
            files.track_stored(name)
        assert stored_files() == [name]  # the inner block succeeded
        raise RuntimeError("the outer unit of work fails later")
    assert stored_files() == []


def test_successful_blocks_keep_their_files():
    with files.cleanup_on_failure():
        name = default_storage.save("assets/kept.txt", ContentFile(b"a"))
        files.track_stored(name)
    assert stored_files() == [name]


def test_the_size_limit_handler_drops_a_file_past_the_limit():
    from django.core.files.uploadhandler import SkipFile
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.oversize_uploads = []
    handler = files.SizeLimitUploadHandler(request, limit=10)
    handler.new_file("file", "../big.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"678901", 5)
    assert request.oversize_uploads == ["big.pdf"]
    handler.new_file("file", "ok.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"1234567890", 0) == b"1234567890"
