"""Library services: create, bad uploads, versions and edits."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from content.models import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetKind,
    AssetStatus,
    PreviewStatus,
    Version,
)
from content.services import library as services
from content.services import stages as stage_services
from content.services import uploads as upload_services
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.content.library.conftest import stored_files
from tests.content.library.service_helpers import BATTLE_CARD, activity_verbs, deck
from tests.factories import (
    AssetFactory,
    UsageFactory,
)

pytestmark = pytest.mark.django_db

# Create ---------------------------------------------------------------------------


def test_a_marketer_creates_a_battle_card_draft_for_two_stages(marketer, stages):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.BATTLE_CARD,
        title="  Rivalry Inc battle card ",
        summary="Win against Rivalry",
        stages=stages[:2],
        tags=["competitive", "Rivalry", "competitive"],
        **BATTLE_CARD,
    )
    asset.refresh_from_db()
    assert asset.status == AssetStatus.DRAFT
    assert asset.owner == marketer
    assert asset.title == "Rivalry Inc battle card"
    assert set(asset.stages.all()) == set(stages[:2])
    assert sorted(asset.tags.names()) == ["Rivalry", "competitive"]
    assert asset.current_version is None
    assert activity_verbs(asset) == [ActivityVerb.CREATED]
    for text in ("Rivalry Inc battle card", "Win against Rivalry", "No SSO", "Acme"):
        assert text in asset.search_text
    assert "competitive" in asset.search_text


@pytest.mark.parametrize("role", ["rep", "partner"])
def test_reps_and_partners_cannot_write_to_the_library(request, role, marketer, stage):
    user = request.getfixturevalue(role)
    asset = AssetFactory(owner=marketer, stages=[stage], draft=True)
    calls = [
        lambda: services.asset_create(actor=user, kind=AssetKind.DECK, title="x"),
        lambda: services.asset_update(actor=user, asset=asset, title="y"),
        lambda: services.version_upload(
            actor=user, asset=asset, file=upload("a.pdf", builders.pdf_bytes())
        ),
        lambda: services.asset_publish(actor=user, asset=asset),
        lambda: services.asset_retire(actor=user, asset=asset, reason="old"),
        lambda: services.asset_restore(actor=user, asset=asset),
        lambda: services.asset_verify(actor=user, asset=asset),
        lambda: stage_services.stage_create(actor=user, name="Legal review"),
        lambda: stage_services.stage_update(actor=user, stage=stage, is_active=False),
        lambda: upload_services.assets_bulk_create(actor=user, uploads=[]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert stored_files() == []
    assert not AssetActivity.objects.exists()


def test_a_new_asset_with_a_file_gets_version_one_with_checksum_and_text(
    marketer, stage, run_tasks
):
    data = builders.pptx_bytes("total cost of ownership", "Rivalry Inc")
    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind=AssetKind.DECK,
            title="TCO deck",
            stages=[stage],
            file=upload("../../TCO\x00 deck.pptx", data),
        )
    asset.refresh_from_db()
    version = asset.current_version
    assert version.number == 1
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.size == len(data)
    assert version.original_name == "TCO deck.pptx"
    assert version.content_type.endswith("presentationml.presentation")
    assert version.uploaded_by == marketer
    assert version.file.name.startswith("assets/") and ".." not in version.file.name
    with version.file.open("rb") as handle:
        assert handle.read() == data
    assert "total cost of ownership" in version.extracted_text
    asset.refresh_from_db()
    assert "total cost of ownership" in asset.search_text
    assert activity_verbs(asset) == [
        ActivityVerb.CREATED,
        ActivityVerb.VERSION_UPLOADED,
    ]


def test_a_pdf_version_gets_a_stored_thumbnail(marketer, stage, run_tasks):
    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind=AssetKind.ONE_PAGER,
            title="One-pager",
            stages=[stage],
            file=upload("one.pdf", builders.pdf_bytes()),
        )
    asset.refresh_from_db()
    version = asset.current_version
    assert version.preview_status == PreviewStatus.READY
    assert version.thumbnail.name.startswith("thumbnails/")
    assert version.page_count == 1
    pages = [page.image.name for page in version.pages.all()]
    assert sorted(stored_files()) == sorted(
        [version.file.name, version.thumbnail.name, *pages]
    )


def test_a_corrupt_pdf_uploads_without_a_thumbnail(marketer, stage, run_tasks):
    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind=AssetKind.ONE_PAGER,
            title="Broken",
            stages=[stage],
            file=upload("broken.pdf", builders.corrupt_pdf()),
        )
    asset.refresh_from_db()
    version = asset.current_version
    assert version.preview_status == PreviewStatus.FAILED
    assert version.preview_error
    assert not version.thumbnail
    assert stored_files() == [version.file.name]


# Bad uploads leave nothing behind ---------------------------------------------------


BAD_UPLOADS = [
    ("empty.pdf", b""),
    ("page.pdf", builders.HTML),
    ("logo.pdf", builders.SVG),
    ("chart.pptx", builders.png_bytes()),
    ("bomb.png", builders.bomb_png()),
    ("tool.pdf", builders.EXE),
]


@pytest.mark.parametrize("name,data", BAD_UPLOADS, ids=[n for n, _ in BAD_UPLOADS])
def test_a_bad_file_creates_no_asset_and_stores_nothing(marketer, stage, name, data):
    with pytest.raises(ValidationError) as caught:
        services.asset_create(
            actor=marketer,
            kind=AssetKind.DECK,
            title="Bad",
            stages=[stage],
            file=upload(name, data),
        )
    assert "file" in caught.value.message_dict
    assert not Asset.objects.exists()
    assert not Version.objects.exists()
    assert not AssetActivity.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_limit_stores_nothing(settings, marketer, stage):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    asset = AssetFactory(owner=marketer, stages=[stage], draft=True)
    big = builders.pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError):
        services.version_upload(
            actor=marketer, asset=asset, file=upload("big.pdf", big)
        )
    assert not Version.objects.exists()
    assert stored_files() == []


def test_a_failure_after_the_file_is_stored_deletes_it(marketer, stage, monkeypatch):
    asset = AssetFactory(owner=marketer, stages=[stage], draft=True)

    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_log", explode)
    with pytest.raises(RuntimeError):
        services.version_upload(
            actor=marketer, asset=asset, file=upload("a.pdf", builders.pdf_bytes())
        )
    assert not Version.objects.exists()
    assert stored_files() == []


def test_a_failure_late_in_asset_create_deletes_the_version_files(
    marketer, stage, monkeypatch
):
    original = services._refresh_search_text
    calls = []

    def fail_after_upload(asset):
        calls.append(asset)
        original(asset)
        if asset.current_version_id:
            raise RuntimeError("late failure")

    monkeypatch.setattr(services, "_refresh_search_text", fail_after_upload)
    with pytest.raises(RuntimeError):
        deck(marketer, stage)
    assert calls
    assert not Asset.objects.exists()
    assert stored_files() == []


# Versions --------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one_and_its_usage(marketer, stage, run_tasks):
    with run_tasks():
        asset = deck(marketer, stage)
    first = asset.current_version
    usage = UsageFactory(asset=asset, version=first)
    data = builders.pdf_bytes("Updated pricing for Q3")
    with run_tasks():
        second = services.version_upload(
            actor=marketer,
            asset=asset,
            file=upload("overview-v2.pdf", data),
            change_note="  New   pricing ",
        )
    asset.refresh_from_db()
    assert second.number == 2
    assert second.change_note == "New pricing"
    assert second.sha256 == hashlib.sha256(data).hexdigest()
    assert asset.current_version == second
    assert list(asset.versions.order_by("number")) == [first, second]
    usage.refresh_from_db()
    assert usage.version == first
    with first.file.open("rb") as handle:
        assert handle.read()[:4] == b"PK\x03\x04"
    # Search follows the current version's text.
    assert "Updated pricing for Q3" in asset.search_text
    assert "total cost of ownership" not in asset.search_text
    assert activity_verbs(asset)[-1] == ActivityVerb.VERSION_UPLOADED


# Edit ------------------------------------------------------------------------------


def test_editing_records_what_changed(marketer, stages):
    asset = deck(marketer, stages[0])
    services.asset_update(
        actor=marketer,
        asset=asset,
        title="Platform overview 2025",
        stages=stages[:2],
        tags=["enterprise"],
        summary=asset.summary,
    )
    asset.refresh_from_db()
    entry = asset.activity.first()
    assert entry.verb == ActivityVerb.EDITED
    assert (
        "title" in entry.detail and "stages" in entry.detail and "tags" in entry.detail
    )
    assert "summary" not in entry.detail
    assert "enterprise" in asset.search_text
    assert "Platform overview 2025" in asset.search_text


def test_an_edit_that_changes_nothing_writes_no_history(marketer, stage):
    asset = deck(marketer, stage)
    before = asset.activity.count()
    services.asset_update(
        actor=marketer, asset=asset, title=asset.title, stages=[stage]
    )
    assert asset.activity.count() == before


def test_changing_the_kind_drops_the_other_kinds_fields(marketer, stage):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.BATTLE_CARD,
        title="Card",
        stages=[stage],
        objection="Too expensive",  # not a battle card field: dropped
        **BATTLE_CARD,
    )
    assert asset.objection == ""
    services.asset_update(
        actor=marketer, asset=asset, kind=AssetKind.OBJECTION_HANDLER, objection="Why?"
    )
    asset.refresh_from_db()
    assert asset.competitor == "" and asset.how_we_win == ""
    assert asset.proof_points == BATTLE_CARD["proof_points"]  # shared by both kinds
    assert "Rivalry" not in asset.search_text


def test_the_owner_must_be_a_content_manager(marketer, rep, stage):
    asset = deck(marketer, stage)
    with pytest.raises(ValidationError) as caught:
        services.asset_update(actor=marketer, asset=asset, owner=rep)
    assert "owner" in caught.value.message_dict
