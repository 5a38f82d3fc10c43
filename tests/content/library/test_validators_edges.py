"""Upload checks at their edges: limits, exact messages, and what they leave behind.

Written against the survivors of mutation testing (docs/testing.md): each test
fails if a comparison, a constant or a message of content/validators.py changes.
"""

import warnings

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from content import files
from content.validators import allowed_types_text, validate_upload
from tests.content.library import builders
from tests.content.library.builders import upload

MB = 1024 * 1024
ALLOWED = "PDF, PowerPoint, Word, Excel, PNG, JPEG, GIF, WebP, MP4, text or Markdown"


def _error(name, data) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, data))
    return caught.value


def _pdf_of_size(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


# --- Sizes ------------------------------------------------------------------------


def test_a_file_of_exactly_the_size_limit_is_accepted(settings):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    checked = validate_upload(upload("deck.pdf", _pdf_of_size(MB)))
    assert checked.size == MB


def test_a_file_one_byte_over_the_limit_is_refused_in_bytes(settings):
    # 1 MB + 1 byte rounds to "1.000 MB", which would not look over the limit.
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    error = _error("deck.pdf", _pdf_of_size(MB + 1))
    assert error.code == "too_large"
    assert error.messages == [
        "The file is too large: 1,048,577 bytes, and the limit is 1 MB."
    ]


@pytest.mark.parametrize(
    "size,shown",
    [
        (MB * 3 // 2, "1.5 MB"),  # one decimal is enough
        (MB + 5 * MB // 1000, "1.005 MB"),  # 1.0 and 1.00 are not over 1
    ],
)
def test_an_oversized_file_shows_as_few_decimals_as_prove_it_is_over(
    settings, size, shown
):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    error = _error("deck.pdf", _pdf_of_size(size))
    assert error.messages == [f"The file is too large: {shown}, and the limit is 1 MB."]


def test_the_limit_in_the_message_follows_the_setting(settings):
    settings.WINGMAN_MAX_UPLOAD_MB = 2
    error = _error("deck.pdf", _pdf_of_size(2 * MB + MB // 2))
    assert error.messages == ["The file is too large: 2.5 MB, and the limit is 2 MB."]


def test_a_one_byte_file_is_accepted():
    checked = validate_upload(upload("note.txt", b"x"))
    assert checked.size == 1
    assert checked.file_type is files.TEXT


def test_an_empty_file_is_refused_as_empty_whatever_its_name():
    # Emptiness is checked first: the name of an empty file is not judged.
    error = _error("notes.key", b"")
    assert error.code == "empty"
    assert error.messages == ["The file is empty."]


# --- Names and types: the exact messages ------------------------------------------


def test_the_allowed_types_are_named_in_full():
    assert allowed_types_text() == ALLOWED


def test_an_unknown_extension_is_refused_naming_it():
    error = _error("deck.key", b"whatever")
    assert error.code == "bad_extension"
    assert error.messages == [
        f"Files ending in “.key” are not accepted. Upload a {ALLOWED} file."
    ]


def test_a_name_without_extension_is_refused_saying_so():
    error = _error("README", b"whatever")
    assert error.messages == [
        f"Files ending in “(no extension)” are not accepted. Upload a {ALLOWED} file."
    ]


@pytest.mark.parametrize(
    "name,what",
    [("page.html", "HTML pages"), ("logo.svg", "SVG images"), ("run.sh", "Scripts")],
)
def test_a_blocked_extension_is_refused_naming_its_kind(name, what):
    error = _error(name, b"whatever")
    assert error.code == "blocked_type"
    assert error.messages == [
        f"{what} cannot be uploaded to the library. Upload a {ALLOWED} file."
    ]


def test_contents_that_disagree_with_the_name_are_refused_in_words():
    error = _error("deck.pptx", builders.png_bytes())
    assert error.messages == [
        "This file's contents are a PNG image, but its name ends in “.pptx”. "
        "Upload the right file, or rename it to match what it is."
    ]


def test_the_sniffers_message_reaches_the_uploader():
    error = _error("invoice.pdf", builders.EXE)
    assert error.messages == ["Programs and scripts cannot be uploaded to the library."]


def test_a_markdown_name_makes_text_markdown():
    assert validate_upload(upload("plan.md", b"# Plan")).file_type is files.MARKDOWN
    assert validate_upload(upload("plan.txt", b"# Plan")).file_type is files.TEXT


# --- Images: the pixel limit --------------------------------------------------------


def test_an_image_of_exactly_the_pixel_limit_is_accepted(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 320 * 200)
    checked = validate_upload(upload("chart.png", builders.png_bytes((320, 200))))
    assert checked.file_type is files.PNG


def test_an_image_over_the_pixel_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 3_000_000)
    error = _error("bomb.png", builders.bomb_png(width=3000, height=1001))
    assert error.code == "image_too_large"
    assert error.messages == [
        "This image is too large to process (over 3 million pixels). "
        "Resize it and upload it again."
    ]


def test_a_decompression_bomb_is_refused_at_pillows_default_limit():
    # 900 million pixels: past twice the default limit of 89,478,485.
    error = _error("bomb.png", builders.bomb_png())
    assert "over 89 million pixels" in error.messages[0]


def test_another_warning_while_reading_an_image_does_not_refuse_it(monkeypatch):
    """Only the decompression-bomb warning is turned into a refusal: any other
    warning Pillow gives while reading a header is not the uploader's fault."""
    real_open = Image.open

    def open_with_a_warning(*args, **kwargs):
        warnings.warn("a harmless note from a plugin", UserWarning, stacklevel=2)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Image, "open", open_with_a_warning)
    with pytest.warns(UserWarning, match="harmless note"):
        checked = validate_upload(upload("chart.png", builders.png_bytes()))
    assert checked.file_type is files.PNG


def test_an_image_is_left_at_its_start_for_storage():
    data = builders.png_bytes()
    image = upload("chart.png", data)
    image.seek(5)
    validate_upload(image)
    assert image.read() == data
