import pytest
from django.core.exceptions import ValidationError

from content import files
from content.validators import validate_upload
from tests.content.library import builders
from tests.content.library.builders import upload


def _error(name, data):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, data))
    return caught.value


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("deck.pdf", builders.pdf_bytes(), files.PDF),
        ("Deck.PPTX", builders.pptx_bytes(), files.PPTX),
        ("story.docx", builders.docx_bytes(), files.DOCX),
        ("roi.xlsx", builders.xlsx_bytes(), files.XLSX),
        ("chart.png", builders.png_bytes(), files.PNG),
        ("photo.jpg", builders.image_bytes("JPEG"), files.JPEG),
        ("photo.jpeg", builders.image_bytes("JPEG"), files.JPEG),
        ("anim.gif", builders.image_bytes("GIF"), files.GIF),
        ("pic.webp", builders.image_bytes("WEBP"), files.WEBP),
        ("tour.mp4", builders.mp4_bytes(), files.MP4),
        ("email.txt", b"Hi there", files.TEXT),
        ("script.md", b"# Call script\n\n- Ask about budget", files.MARKDOWN),
    ],
)
def test_allowed_files_pass(name, data, expected):
    checked = validate_upload(upload(name, data))
    assert checked.file_type is expected
    assert checked.size == len(data)


def test_an_empty_file_is_refused():
    assert _error("deck.pdf", b"").code == "empty"


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    error = _error("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10_000))
    assert error.code == "too_large"
    assert "1.01 MB" in error.messages[0]
    assert "limit is 1 MB" in error.messages[0]


@pytest.mark.parametrize("data", [builders.HTML, builders.SVG, builders.BARE_SVG])
def test_html_or_svg_renamed_pdf_is_refused(data):
    error = _error("deck.pdf", data)
    assert error.code == "html"
    assert "HTML" in error.messages[0]


def test_a_png_renamed_pptx_is_refused_naming_what_it_really_is():
    error = _error("deck.pptx", builders.png_bytes())
    assert error.code == "type_mismatch"
    assert "PNG image" in error.messages[0]
    assert ".pptx" in error.messages[0]


def test_a_pdf_renamed_png_is_refused():
    assert _error("chart.png", builders.pdf_bytes()).code == "type_mismatch"


@pytest.mark.parametrize(
    "name,code",
    [
        ("page.html", "blocked_type"),
        ("logo.svg", "blocked_type"),
        ("setup.exe", "blocked_type"),
        ("archive.zip", "blocked_type"),
        ("deck.key", "bad_extension"),
        ("README", "bad_extension"),
    ],
)
def test_refused_extensions(name, code):
    assert _error(name, b"whatever").code == code


def test_an_executable_renamed_pdf_is_refused():
    assert _error("invoice.pdf", builders.EXE).code == "executable"


def test_a_decompression_bomb_image_is_refused():
    error = _error("bomb.png", builders.bomb_png())
    assert error.code == "image_too_large"


def test_an_image_just_over_the_pixel_limit_is_refused(monkeypatch):
    from PIL import Image

    # Between one and two times the limit Pillow only warns: we refuse as well.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 320 * 200 - 1)
    assert _error("wide.png", builders.png_bytes()).code == "image_too_large"


def test_a_corrupt_pdf_passes_validation_so_it_can_upload():
    checked = validate_upload(upload("broken.pdf", builders.corrupt_pdf()))
    assert checked.file_type is files.PDF


def test_the_display_name_is_sanitised():
    checked = validate_upload(upload("../../x/\x07deck.pdf", builders.pdf_bytes()))
    assert checked.name == "deck.pdf"
