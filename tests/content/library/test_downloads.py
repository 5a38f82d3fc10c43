"""Private downloads: the same tests on local disk and on S3 (moto)."""

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from content.models import AssetEvent, AssetKind, EventKind
from content.services import library as services
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.content.library.conftest import stored_files
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@dataclass
class Fetched:
    status: int
    headers: Any  # case-insensitive, from Django or from urllib
    body: bytes
    via_signed_url: bool = False


def fetch(client, url) -> Fetched:
    """GET through the app; on S3, follow the redirect to the signed URL."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith(
        "http://127.0.0.1"
    ):
        assert response["Cache-Control"] == "private, no-store"
        try:
            with urllib.request.urlopen(response["Location"], timeout=10) as remote:  # noqa: S310
                return Fetched(remote.status, remote.headers, remote.read(), True)
        except urllib.error.HTTPError as error:
            return Fetched(error.code, error.headers, b"", True)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return Fetched(response.status_code, response.headers, body)


def _published(marketer, stage, name, data, kind=AssetKind.DECK, **kwargs):
    asset = services.asset_create(
        actor=marketer,
        kind=kind,
        title=name,
        stages=[stage],
        file=upload(name, data),
        **kwargs,
    )
    services.asset_publish(actor=marketer, asset=asset)
    asset.refresh_from_db()
    return asset


def _download(version, **params):
    url = reverse("content:download", kwargs={"pk": version.pk})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def test_a_rep_downloads_a_published_deck_as_an_attachment(
    any_storage, rep, rep_client, marketer, stage
):
    data = builders.pptx_bytes("total cost of ownership")
    asset = _published(marketer, stage, "Q3 deck.pptx", data)
    got = fetch(rep_client, _download(asset.current_version))
    assert got.status == 200
    assert got.body == data
    assert hashlib.sha256(got.body).hexdigest() == asset.current_version.sha256
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert 'filename="Q3 deck.pptx"' in got.headers["Content-Disposition"]
    assert got.headers["Content-Type"].endswith("presentationml.presentation")
    event = AssetEvent.objects.get(kind=EventKind.DOWNLOAD)
    assert event.user == rep and event.version == asset.current_version
    asset.refresh_from_db()
    assert asset.download_count == 1


def test_pdfs_open_inline_only_when_asked(any_storage, rep_client, marketer, stage):
    asset = _published(
        marketer, stage, "one.pdf", builders.pdf_bytes(), kind=AssetKind.ONE_PAGER
    )
    version = asset.current_version
    assert (
        fetch(rep_client, _download(version))
        .headers["Content-Disposition"]
        .startswith("attachment")
    )
    inline = fetch(rep_client, _download(version, inline=1))
    assert inline.headers["Content-Disposition"].startswith("inline")
    assert inline.headers["Content-Type"] == "application/pdf"


def test_non_previewable_files_never_open_inline(
    any_storage, rep_client, marketer, stage
):
    asset = _published(
        marketer,
        stage,
        "email.md",
        b"# Follow-up\n<b>hi</b>\n",
        kind=AssetKind.EMAIL_TEMPLATE,
    )
    got = fetch(rep_client, _download(asset.current_version, inline=1))
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["Content-Type"].startswith("text/plain")


def test_local_downloads_send_nosniff_etag_and_last_modified(
    rep_client, marketer, stage
):
    asset = _published(
        marketer, stage, "one.pdf", builders.pdf_bytes(), kind=AssetKind.ONE_PAGER
    )
    response = rep_client.get(_download(asset.current_version))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{asset.current_version.sha256}"'
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "private, no-cache"
    again = rep_client.get(
        _download(asset.current_version), headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304
    assert AssetEvent.objects.filter(kind=EventKind.DOWNLOAD).count() == 1


@pytest.mark.s3
def test_s3_downloads_are_short_lived_signed_urls(
    s3_storage, rep_client, marketer, stage
):
    asset = _published(
        marketer, stage, "one.pdf", builders.pdf_bytes(), kind=AssetKind.ONE_PAGER
    )
    response = rep_client.get(_download(asset.current_version))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(s3_storage["endpoint"])
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=300" in location
    assert "response-content-disposition=attachment" in location
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("variant", ["draft", "retired", "internal_for_partner"])
def test_files_of_assets_a_user_may_not_see_are_never_served(
    any_storage, variant, rep_client, partner_client, marketer, stage
):
    asset = _published(
        marketer,
        stage,
        "secret.pdf",
        builders.pdf_bytes("secret"),
        kind=AssetKind.ONE_PAGER,
    )
    client = rep_client
    if variant == "draft":
        asset.status = "draft"
        asset.save()
    elif variant == "retired":
        services.asset_retire(actor=marketer, asset=asset, reason="old")
    else:
        client = partner_client
    for url in (
        _download(asset.current_version),
        reverse("content:thumbnail", kwargs={"pk": asset.current_version.pk}),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert b"secret" not in response.content
        assert "Location" not in response
    assert not AssetEvent.objects.exists()


def test_anonymous_users_are_sent_to_login(client, marketer, stage):
    asset = _published(
        marketer, stage, "one.pdf", builders.pdf_bytes(), kind=AssetKind.ONE_PAGER
    )
    response = client.get(_download(asset.current_version))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_marketers_still_download_retired_files_and_old_versions(
    any_storage, marketer_client, rep_client, marketer, stage
):
    first = builders.pdf_bytes("first")
    asset = _published(marketer, stage, "v1.pdf", first, kind=AssetKind.ONE_PAGER)
    old = asset.current_version
    services.version_upload(
        actor=marketer,
        asset=asset,
        file=upload("v2.pdf", builders.pdf_bytes("second")),
        change_note="v2",
    )
    assert rep_client.get(_download(old)).status_code == 404  # only the current one
    assert fetch(marketer_client, _download(old)).body == first
    services.asset_retire(actor=marketer, asset=asset, reason="old")
    assert fetch(marketer_client, _download(old)).body == first


def test_thumbnails_are_served_as_png_or_fall_back_to_the_kind_icon(
    any_storage, rep_client, marketer, stage, run_tasks
):
    with run_tasks():
        pdf = _published(
            marketer, stage, "one.pdf", builders.pdf_bytes(), kind=AssetKind.ONE_PAGER
        )
    pdf.refresh_from_db()
    got = fetch(
        rep_client, reverse("content:thumbnail", kwargs={"pk": pdf.current_version.pk})
    )
    assert got.status == 200
    assert got.body.startswith(b"\x89PNG")
    assert got.headers["Content-Type"] == "image/png"
    with run_tasks():  # a workbook has no thumbnail: its kind's icon
        deck = _published(marketer, stage, "model.xlsx", builders.xlsx_bytes())
    response = rep_client.get(
        reverse("content:thumbnail", kwargs={"pk": deck.current_version.pk})
    )
    assert response.status_code == 302
    assert response["Location"].endswith("img/kinds/deck.svg")


def test_upload_preview_and_text_work_the_same_on_every_storage(
    any_storage, marketer, stage, run_tasks
):
    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind=AssetKind.DECK,
            title="Deck",
            stages=[stage],
            file=upload("deck.pdf", builders.pdf_bytes("total cost of ownership")),
        )
    asset.refresh_from_db()
    version = asset.current_version
    assert version.preview_status == "ready"
    assert "total cost of ownership" in asset.search_text
    pages = [page.image.name for page in version.pages.all()]
    assert len(pages) == version.page_count == 1
    assert sorted(stored_files()) == sorted(
        [version.file.name, version.thumbnail.name, *pages]
    )
    with version.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256


def test_bad_uploads_leave_nothing_on_any_storage(
    any_storage, marketer, stage, monkeypatch
):
    asset = AssetFactory(owner=marketer, stages=[stage], draft=True)
    for name, data in [
        ("x.pdf", builders.HTML),
        ("x.pptx", builders.png_bytes()),
        ("bomb.png", builders.bomb_png()),
    ]:
        with pytest.raises(services.ValidationError):
            services.version_upload(
                actor=marketer, asset=asset, file=upload(name, data)
            )
    monkeypatch.setattr(services, "_log", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.version_upload(
            actor=marketer, asset=asset, file=upload("ok.pdf", builders.pdf_bytes())
        )
    assert stored_files() == []


@pytest.mark.s3
def test_s3_objects_are_private_with_the_sniffed_content_type(
    s3_storage, marketer, stage
):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.DECK,
        title="Deck",
        stages=[stage],
        file=upload("deck.pptx", builders.pptx_bytes(), content_type="text/html"),
    )
    client, bucket = s3_storage["client"], s3_storage["bucket"]
    key = asset.current_version.file.name
    head = client.head_object(Bucket=bucket, Key=key)
    assert head["ContentType"].endswith("presentationml.presentation")
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)
    # Without a signature the object is refused.
    plain = f"{s3_storage['endpoint']}/{bucket}/{key}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain, timeout=10)  # noqa: S310
    assert refused.value.code == 403
