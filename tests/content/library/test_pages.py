"""Page images (issue 17): rendered by the file job, stored without orphans,
shown on the asset page in the page viewer, backfilled by `render_pages`."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from content import file_types as files
from content import page_render, previews
from content.demo.documents import Page, pptx_document
from content.jobs.runner import JobResult, PageImage
from content.models import PreviewStatus, Version, VersionPage
from content.services import previews as preview_services
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.factories import AssetFactory, VersionFactory, VersionPageFactory

FIVE_PAGES = ("Why now", "The problem", "Our answer", "Proof", "Next steps")


def _deck(*titles: str) -> bytes:
    return pptx_document(
        [Page(title, ["- A point about " + title]) for title in titles]
    )


def _stored_pages() -> list[str]:
    try:
        return default_storage.listdir("pages")[1]
    except FileNotFoundError:
        return []


# Renderers ---------------------------------------------------------------------------


def test_a_five_page_pdf_gives_five_page_images_at_the_page_width():
    pages = page_render.pdf_pages(
        io.BytesIO(builders.pdf_bytes(*FIVE_PAGES)), max_pages=100, width=800
    )
    assert [page.number for page in pages] == [1, 2, 3, 4, 5]
    for page in pages:
        image = Image.open(io.BytesIO(page.data))
        assert image.width == page.width == 800
        assert image.height == page.height
        assert not page.simplified


def test_the_max_pages_setting_is_honoured_by_the_preview():
    data = builders.pdf_bytes(*FIVE_PAGES)
    preview = previews.build_preview(io.BytesIO(data), files.PDF, max_pages=3)
    assert [page.number for page in preview.pages] == [1, 2, 3]
    assert previews.build_preview(io.BytesIO(data), files.PDF).pages == []


def test_a_deck_without_libreoffice_gets_simplified_slides_with_their_titles(
    monkeypatch,
):
    monkeypatch.setattr(previews, "soffice_binary", lambda: None)
    deck = _deck("Brightwave platform", "Why teams switch", "Pricing")
    preview = previews.build_preview(io.BytesIO(deck), files.PPTX, max_pages=10)
    assert preview.status == PreviewStatus.READY
    assert [page.simplified for page in preview.pages] == [True] * 3
    assert "Why teams switch" in preview.pages[1].lines
    assert any("A point about Pricing" in line for line in preview.pages[2].lines)
    slide = Image.open(io.BytesIO(preview.pages[1].data))
    assert slide.size == (page_render.PAGE_WIDTH, page_render.PAGE_WIDTH * 9 // 16)
    # Drawn, not blank: the title's band holds dark text pixels.
    band = slide.convert("L").crop((0, 0, slide.width, slide.height // 4))
    assert band.getextrema()[0] < 80


def test_a_simplified_deck_honours_max_pages_and_places_its_pictures(monkeypatch):
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for n in range(4):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = f"Slide {n + 1}"
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(picture, format="PNG")
    picture.seek(0)
    deck.slides[0].shapes.add_picture(
        picture, Inches(5), Inches(4), Inches(2), Inches(2)
    )
    out = io.BytesIO()
    deck.save(out)
    pages = page_render.pptx_outline_pages(out, max_pages=2, width=1000)
    assert [page.number for page in pages] == [1, 2]
    first = Image.open(io.BytesIO(pages[0].data)).convert("RGB")
    # The red picture at 5 in. x 4 in. (2 in. square) of a 10 in. x 7.5 in. slide.
    red, green, _ = first.getpixel((600, 500))
    assert red > 150 and green < 80


def test_a_document_without_libreoffice_gets_simplified_text_pages(monkeypatch):
    monkeypatch.setattr(previews, "soffice_binary", lambda: None)
    data = builders.docx_bytes(
        *["Acme Analytics cut reporting time by half. " * 20] * 30
    )
    preview = previews.build_preview(io.BytesIO(data), files.DOCX, max_pages=2)
    assert len(preview.pages) == 2
    assert all(page.simplified for page in preview.pages)
    assert preview.pages[0].lines[0] == "Case study"


# Storage -----------------------------------------------------------------------------


def _result(count: int, simplified: bool = False) -> JobResult:
    pages = []
    for number in range(1, count + 1):
        out = io.BytesIO()
        Image.new("RGB", (64, 36), "white").save(out, format="PNG")
        pages.append(PageImage(number, out.getvalue(), 64, 36, "png", simplified))
    return JobResult(status=PreviewStatus.READY, text="words", pages=pages)


@pytest.mark.django_db
def test_recorded_pages_are_stored_privately_and_counted():
    version = VersionFactory(preview_status=PreviewStatus.PENDING)
    preview_services.version_preview_record(version=version, result=_result(3))
    version.refresh_from_db()
    assert version.page_count == 3
    pages = list(version.pages.order_by("number"))
    assert [(p.number, p.width, p.height) for p in pages] == [
        (1, 64, 36),
        (2, 64, 36),
        (3, 64, 36),
    ]
    assert all(p.image.name.startswith("pages/") for p in pages)
    assert len(_stored_pages()) == 3


@pytest.mark.django_db
def test_no_page_file_is_left_when_recording_fails(monkeypatch):
    version = VersionFactory(preview_status=PreviewStatus.PENDING)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(VersionPage.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        preview_services.version_preview_record(version=version, result=_result(4))
    assert _stored_pages() == []
    assert VersionPage.objects.count() == 0
    assert Version.objects.get(pk=version.pk).preview_status == PreviewStatus.PENDING


@pytest.mark.django_db
def test_a_too_complex_file_keeps_no_page():
    version = VersionFactory(preview_status=PreviewStatus.PENDING)
    result = _result(2)
    result.too_complex = True
    preview_services.version_preview_record(version=version, result=result)
    assert _stored_pages() == []
    assert Version.objects.get(pk=version.pk).page_count == 0


@pytest.mark.django_db
def test_a_new_version_leaves_the_older_versions_pages_alone(marketer, run_tasks):
    from content.services import library as services

    asset = AssetFactory(owner=marketer)
    with run_tasks():
        first = services.version_upload(
            actor=marketer,
            asset=asset,
            file=upload("a.pdf", builders.pdf_bytes("A", "B")),
        )
    with run_tasks():
        second = services.version_upload(
            actor=marketer,
            asset=asset,
            file=upload("b.pdf", builders.pdf_bytes(*FIVE_PAGES)),
        )
    assert Version.objects.get(pk=first.pk).page_count == 2
    assert Version.objects.get(pk=second.pk).page_count == 5
    assert VersionPage.objects.filter(version=first).count() == 2
    assert len(_stored_pages()) == 7


@pytest.mark.django_db
def test_render_pages_backfills_versions_without_pages(marketer, settings):
    settings.WINGMAN_JOB_OFFICE_CONVERSION = False
    asset = AssetFactory(owner=marketer)
    data = builders.pdf_bytes(*FIVE_PAGES)
    from django.core.files.base import ContentFile

    version = VersionFactory(
        asset=asset,
        original_name="deck.pdf",
        file=ContentFile(data, name="deck.pdf"),
        content_type=files.PDF.content_type,
        preview_status=PreviewStatus.READY,
    )
    deck = VersionFactory(
        asset=AssetFactory(owner=marketer),
        original_name="deck.pptx",
        file=ContentFile(_deck("One", "Two"), name="deck.pptx"),
        content_type=files.PPTX.content_type,
        preview_status=PreviewStatus.ICON,
    )
    out = io.StringIO()
    call_command("render_pages", "--missing", stdout=out)
    assert "Rendered pages of 2 versions" in out.getvalue()
    assert Version.objects.get(pk=version.pk).page_count == 5
    deck.refresh_from_db()
    # A deck that had only its icon gets its first slide as thumbnail too.
    assert deck.page_count == 2 and deck.thumbnail
    assert deck.preview_status == PreviewStatus.READY
    assert all(p.simplified for p in deck.pages.all())
    call_command("render_pages", "--missing", stdout=io.StringIO())
    assert VersionPage.objects.count() == 7  # nothing twice


# The asset page --------------------------------------------------------------------


def _asset_with_pages(marketer, count: int, simplified: bool = False):
    asset = AssetFactory(owner=marketer)
    version = VersionFactory(asset=asset, page_count=count)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    for number in range(1, count + 1):
        VersionPageFactory(version=version, number=number, simplified=simplified)
    return asset, version


@pytest.mark.django_db
def test_the_asset_page_shows_the_pages_in_the_viewer(marketer, rep_client):
    asset, version = _asset_with_pages(marketer, 3)
    html = rep_client.get(asset.get_absolute_url()).content.decode()
    assert "data-page-viewer" in html
    for number in (1, 2, 3):
        assert reverse("content:page", args=[asset.pk, version.pk, number]) in html
    assert "Page 1 of 3" in html
    assert "js/page-viewer.js" in html
    assert "Simplified preview" not in html


@pytest.mark.django_db
def test_simplified_pages_say_so(marketer, rep_client):
    asset, _ = _asset_with_pages(marketer, 2, simplified=True)
    html = rep_client.get(asset.get_absolute_url()).content.decode()
    assert "Simplified preview" in html


@pytest.mark.django_db
def test_the_asset_page_runs_as_many_queries_with_2_or_40_pages(
    marketer, rep_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, _ = _asset_with_pages(marketer, 2)
    big, _ = _asset_with_pages(marketer, 40)
    rep_client.get(small.get_absolute_url())  # warm the caches
    rep_client.get(big.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        rep_client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(queries)):
        html = rep_client.get(big.get_absolute_url()).content.decode()
    assert "Page 1 of 40" in html
