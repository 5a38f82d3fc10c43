import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from content.models import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetKind,
    AssetStatus,
    Audience,
    PreviewStatus,
    Stage,
    Version,
    VersionPage,
)
from content.services import library as services
from content.services import previews as preview_services
from content.services import stages as stage_services
from content.services import uploads as upload_services
from content.tasks import version_preview
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.content.library.conftest import stored_files
from tests.factories import (
    AssetFactory,
    RatingFactory,
    StageFactory,
    UsageFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db

BATTLE_CARD = {
    "competitor": "Rivalry Inc",
    "their_strengths": "Big brand\nCheap entry tier",
    "their_weaknesses": "No SSO below enterprise",
    "landmines": "Ask how they price API calls",
    "how_we_win": "Time to value in 30 days",
    "proof_points": "Acme cut reporting time 50%",
}


def _deck(marketer, stage, **kwargs):
    return services.asset_create(
        actor=marketer,
        kind=AssetKind.DECK,
        title="Platform overview",
        stages=[stage],
        file=upload("overview.pptx", builders.pptx_bytes()),
        **kwargs,
    )


def _verbs(asset):
    return list(
        AssetActivity.objects.filter(asset=asset)
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


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
    assert _verbs(asset) == [ActivityVerb.CREATED]
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
    assert _verbs(asset) == [ActivityVerb.CREATED, ActivityVerb.VERSION_UPLOADED]


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
        _deck(marketer, stage)
    assert calls
    assert not Asset.objects.exists()
    assert stored_files() == []


# Versions --------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one_and_its_usage(marketer, stage, run_tasks):
    with run_tasks():
        asset = _deck(marketer, stage)
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
    assert _verbs(asset)[-1] == ActivityVerb.VERSION_UPLOADED


# Edit ------------------------------------------------------------------------------


def test_editing_records_what_changed(marketer, stages):
    asset = _deck(marketer, stages[0])
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
    asset = _deck(marketer, stage)
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
    asset = _deck(marketer, stage)
    with pytest.raises(ValidationError) as caught:
        services.asset_update(actor=marketer, asset=asset, owner=rep)
    assert "owner" in caught.value.message_dict


# Publish ----------------------------------------------------------------------------


def test_publishing_sets_the_date_and_a_review_date(settings, marketer, stage):
    settings.WINGMAN_REVIEW_INTERVAL_DAYS = 30
    asset = _deck(marketer, stage)
    services.asset_publish(actor=marketer, asset=asset)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED
    assert asset.published_at is not None
    assert asset.review_by == timezone.localdate() + datetime.timedelta(days=30)
    assert _verbs(asset)[-1] == ActivityVerb.PUBLISHED


def test_a_chosen_future_review_date_is_kept_on_publish(marketer, stage):
    later = timezone.localdate() + datetime.timedelta(days=200)
    asset = _deck(marketer, stage, review_by=later)
    services.asset_publish(actor=marketer, asset=asset)
    assert asset.review_by == later


@pytest.mark.parametrize(
    "kind,fields,problem",
    [
        (AssetKind.DECK, {}, "Upload the deck's file."),
        (AssetKind.BATTLE_CARD, {"competitor": "Rivalry Inc"}, "Fill in: how we win."),
        (
            AssetKind.OBJECTION_HANDLER,
            {"objection": "Too pricey"},
            "Fill in: response.",
        ),
    ],
)
def test_incomplete_drafts_cannot_be_published(marketer, stage, kind, fields, problem):
    asset = services.asset_create(
        actor=marketer, kind=kind, title="Draft", stages=[stage], **fields
    )
    with pytest.raises(ValidationError) as caught:
        services.asset_publish(actor=marketer, asset=asset)
    assert problem in caught.value.messages
    asset.refresh_from_db()
    assert asset.status == AssetStatus.DRAFT


def test_an_asset_without_an_active_stage_cannot_be_published(marketer):
    closed = StageFactory(name="Old stage", is_active=False)
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.BATTLE_CARD,
        title="Card",
        stages=[closed],
        **BATTLE_CARD,
    )
    with pytest.raises(ValidationError) as caught:
        services.asset_publish(actor=marketer, asset=asset)
    assert "Map it to at least one active stage." in caught.value.messages


def test_a_complete_battle_card_publishes_without_a_file(marketer, stage):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.BATTLE_CARD,
        title="Card",
        stages=[stage],
        **BATTLE_CARD,
    )
    services.asset_publish(actor=marketer, asset=asset)
    assert asset.is_published


def test_published_assets_cannot_be_published_again(marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    with pytest.raises(ValidationError):
        services.asset_publish(actor=marketer, asset=asset)


# Retire and restore ------------------------------------------------------------------


def test_retiring_points_at_the_replacement_and_restoring_brings_it_back(
    marketer, stage
):
    old = AssetFactory(owner=marketer, stages=[stage], title="Old deck")
    new = AssetFactory(owner=marketer, stages=[stage], title="New deck")
    services.asset_retire(
        actor=marketer, asset=old, reason="Outdated pricing", replaced_by=new
    )
    old.refresh_from_db()
    assert old.status == AssetStatus.RETIRED
    assert old.retired_at is not None
    assert old.replaced_by == new
    assert "New deck" in old.activity.first().detail
    services.asset_restore(actor=marketer, asset=old)
    old.refresh_from_db()
    assert old.status == AssetStatus.PUBLISHED
    assert old.replaced_by is None and old.retired_reason == ""
    assert _verbs(old) == [ActivityVerb.RETIRED, ActivityVerb.RESTORED]


def test_a_retired_draft_is_restored_as_a_draft(marketer, stage):
    draft = AssetFactory(owner=marketer, stages=[stage], draft=True)
    services.asset_retire(actor=marketer, asset=draft, reason="Never finished")
    services.asset_restore(actor=marketer, asset=draft)
    assert draft.status == AssetStatus.DRAFT


def test_retiring_needs_a_reason(marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    with pytest.raises(ValidationError) as caught:
        services.asset_retire(actor=marketer, asset=asset, reason="   ")
    assert "reason" in caught.value.message_dict


def test_bad_replacements_are_refused(marketer, stage):
    a = AssetFactory(owner=marketer, stages=[stage])
    b = AssetFactory(owner=marketer, stages=[stage])
    gone = AssetFactory(owner=marketer, stages=[stage], retired=True)
    for replacement in (a, gone):
        with pytest.raises(ValidationError) as caught:
            services.asset_retire(
                actor=marketer, asset=a, reason="x", replaced_by=replacement
            )
        assert "replaced_by" in caught.value.message_dict
    # b is replaced by a; a may not then be replaced by b (a loop).
    services.asset_retire(actor=marketer, asset=b, reason="x", replaced_by=a)
    services.asset_restore(actor=marketer, asset=b)
    b.replaced_by = a
    b.save()
    with pytest.raises(ValidationError):
        services.asset_retire(actor=marketer, asset=a, reason="x", replaced_by=b)


def test_only_retired_assets_can_be_restored(marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    with pytest.raises(ValidationError):
        services.asset_restore(actor=marketer, asset=asset)
    services.asset_retire(actor=marketer, asset=asset, reason="x")
    with pytest.raises(ValidationError):
        services.asset_retire(actor=marketer, asset=asset, reason="again")


# Verify ------------------------------------------------------------------------------


def test_verifying_moves_the_review_date_by_the_interval(settings, marketer, stage):
    settings.WINGMAN_REVIEW_INTERVAL_DAYS = 90
    asset = AssetFactory(
        owner=marketer,
        stages=[stage],
        review_by=timezone.localdate() - datetime.timedelta(days=3),
    )
    services.asset_verify(actor=marketer, asset=asset)
    asset.refresh_from_db()
    assert asset.review_by == timezone.localdate() + datetime.timedelta(days=90)
    assert asset.verified_at is not None
    assert _verbs(asset) == [ActivityVerb.VERIFIED]


def test_retired_assets_cannot_be_verified(marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage], retired=True)
    with pytest.raises(ValidationError):
        services.asset_verify(actor=marketer, asset=asset)


# Bulk upload ------------------------------------------------------------------------


def test_bulk_upload_makes_one_draft_per_good_file_and_reports_the_bad(
    marketer, stage, run_tasks
):
    with run_tasks():
        result = upload_services.assets_bulk_create(
            actor=marketer,
            uploads=[
                upload("Rivalry_Inc-battle-card.pdf", builders.pdf_bytes()),
                upload("q3 pricing deck.pptx", builders.pptx_bytes()),
                upload("evil.pdf", builders.HTML),
                upload("Acme case study.docx", builders.docx_bytes()),
            ],
            stages=[stage],
            audience=Audience.PARTNERS,
            tags=["q3"],
        )
    titles = {a.title: a for a in result.created}
    assert set(titles) == {
        "Rivalry Inc battle card",
        "Q3 pricing deck",
        "Acme case study",
    }
    assert titles["Rivalry Inc battle card"].kind == AssetKind.BATTLE_CARD
    assert titles["Q3 pricing deck"].kind == AssetKind.DECK
    assert titles["Acme case study"].kind == AssetKind.CASE_STUDY
    for asset in result.created:
        assert asset.status == AssetStatus.DRAFT
        assert asset.audience == Audience.PARTNERS
        assert list(asset.stages.all()) == [stage]
        assert asset.tags.names()[0] == "q3"
        assert asset.current_version.number == 1
    assert [name for name, _ in result.refused] == ["evil.pdf"]
    assert "HTML" in result.refused[0][1][0]
    # Three files, and the thumbnails and page images of their previews: no more.
    previews = Version.objects.exclude(thumbnail="").count()
    assert previews >= 1
    assert len(stored_files()) == 3 + previews + VersionPage.objects.count()


def test_bulk_upload_with_a_chosen_kind(marketer):
    result = upload_services.assets_bulk_create(
        actor=marketer,
        uploads=[upload("a.pdf", builders.pdf_bytes())],
        kind=AssetKind.COMPETITIVE_BRIEF,
    )
    assert result.created[0].kind == AssetKind.COMPETITIVE_BRIEF


@pytest.mark.parametrize(
    "name,title",
    [
        ("q3_pricing-deck.pptx", "Q3 pricing deck"),
        ("  .pdf", "File"),
        ("Acme vs Rivalry.pdf", "Acme vs Rivalry"),
    ],
)
def test_titles_come_from_file_names(name, title):
    assert upload_services.title_from_filename(name) == title


# Stages ------------------------------------------------------------------------------


def test_stages_get_unique_slugs_and_the_next_order(marketer):
    first = stage_services.stage_create(actor=marketer, name="Legal review")
    second = stage_services.stage_create(actor=marketer, name="Legal  Review!")
    assert first.slug == "legal-review"
    assert second.slug == "legal-review-2"
    assert second.order == first.order + 1


def test_duplicate_stage_names_are_refused(marketer):
    stage_services.stage_create(actor=marketer, name="Closing")
    with pytest.raises(ValidationError) as caught:
        stage_services.stage_create(actor=marketer, name="Closing")
    assert "name" in caught.value.message_dict


def test_renaming_a_stage_keeps_its_slug_and_stages_are_deactivated(marketer, stage):
    stage_services.stage_update(
        actor=marketer, stage=stage, name="Deep discovery", is_active=False
    )
    stage.refresh_from_db()
    assert stage.slug == "discovery"
    assert stage.name == "Deep discovery"
    assert stage.is_active is False
    assert Stage.objects.filter(pk=stage.pk).exists()


# Nothing with history is deleted ----------------------------------------------------


def test_assets_with_versions_ratings_or_usage_cannot_be_deleted(marketer, stage):
    with_version = AssetFactory(owner=marketer, stages=[stage])
    VersionFactory(asset=with_version, number=1)
    rated = AssetFactory(owner=marketer, stages=[stage])
    RatingFactory(asset=rated)
    used = AssetFactory(owner=marketer, stages=[stage])
    UsageFactory(asset=used)
    for asset in (with_version, rated, used):
        with pytest.raises(ProtectedError):
            asset.delete()
        assert Asset.objects.filter(pk=asset.pk).exists()


def test_uploads_leave_the_preview_to_a_task_on_commit(
    marketer, stage, monkeypatch, run_tasks
):
    """No file is parsed in the upload: its job runs once the version commits."""
    seen = []
    real = preview_services.run_preview_job

    def spy(*, path, file_type, limits):
        seen.append(file_type.key)
        return real(path=path, file_type=file_type, limits=limits)

    monkeypatch.setattr(preview_services, "run_preview_job", spy)
    with run_tasks() as callbacks:
        asset = _deck(marketer, stage)
        assert seen == []
        assert asset.current_version.preview_status == PreviewStatus.PENDING
    enqueued = [
        c for c in callbacks if getattr(c, "args", ())[:1] == (version_preview,)
    ]
    assert len(enqueued) == 1
    assert seen == ["pptx"]
    asset.current_version.refresh_from_db()
    # LibreOffice is off in tests: the deck's slides are drawn from its content.
    assert asset.current_version.preview_status == PreviewStatus.READY
    assert asset.current_version.page_count >= 1


def test_a_retired_asset_takes_no_new_version(marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage], retired=True)
    with pytest.raises(ValidationError) as caught:
        services.version_upload(
            actor=marketer, asset=asset, file=upload("a.pdf", builders.pdf_bytes())
        )
    assert "restore it" in caught.value.message_dict["file"][0]
    assert stored_files() == []
