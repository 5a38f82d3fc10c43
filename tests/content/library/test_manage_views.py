"""The marketer's pages: my content, creating and editing assets, new versions."""

import pytest
from django.urls import reverse

from content.models import Asset, AssetKind, AssetStatus, Version
from content.services import library as services
from tests.content.library import builders
from tests.content.library.builders import asset_url, upload
from tests.content.library.conftest import stored_files
from tests.factories import AssetFactory, UserFactory, VersionFactory

pytestmark = pytest.mark.django_db

# My content -------------------------------------------------------------------------


def test_my_content_lists_my_assets_in_every_status(marketer_client, marketer, stage):
    mine = [
        AssetFactory(owner=marketer, stages=[stage], title="My draft", draft=True),
        AssetFactory(owner=marketer, stages=[stage], title="My live deck"),
        AssetFactory(owner=marketer, stages=[stage], title="My old deck", retired=True),
    ]
    AssetFactory(stages=[stage], title="Someone else's deck")
    html = marketer_client.get(reverse("content:my_content")).content.decode()
    for asset in mine:
        assert asset.title in html
    assert "Someone else" not in html
    everyone = marketer_client.get(reverse("content:my_content") + "?owner=all")
    assert "Someone else" in everyone.content.decode()


def test_my_content_filters_by_status_kind_and_title(marketer_client, marketer, stage):
    AssetFactory(owner=marketer, stages=[stage], title="Draft deck", draft=True)
    AssetFactory(owner=marketer, stages=[stage], title="Live deck")
    AssetFactory(
        owner=marketer, stages=[stage], title="Live card", kind=AssetKind.BATTLE_CARD
    )
    url = reverse("content:my_content")
    drafts = marketer_client.get(url + "?status=draft").content.decode()
    assert "Draft deck" in drafts and "Live deck" not in drafts
    cards = marketer_client.get(url + "?kind=battle_card").content.decode()
    assert "Live card" in cards and "Live deck" not in cards
    found = marketer_client.get(url + "?q=live+de").content.decode()
    assert "Live deck" in found and "Live card" not in found
    nothing = marketer_client.get(url + "?q=zzz").content.decode()
    assert "No assets match these filters" in nothing


def test_my_content_has_a_helpful_empty_state(marketer_client):
    html = marketer_client.get(reverse("content:my_content")).content.decode()
    assert "You have no content yet" in html
    assert reverse("content:bulk_upload") in html


@pytest.mark.parametrize("role_client", ["rep_client", "partner_client"])
def test_reps_and_partners_cannot_open_marketer_pages(
    request, role_client, marketer, stage
):
    client = request.getfixturevalue(role_client)
    asset = AssetFactory(owner=marketer, stages=[stage])
    for url in [
        reverse("content:my_content"),
        reverse("content:review_queue"),
        reverse("content:asset_add"),
        reverse("content:bulk_upload"),
        reverse("content:stage_list"),
        reverse("content:stage_add"),
        asset_url("asset_edit", asset),
        asset_url("version_add", asset),
        asset_url("asset_retire", asset),
    ]:
        assert client.get(url).status_code == 403, url


def test_my_content_query_count_does_not_grow_with_the_list(
    marketer_client, marketer, stages, django_assert_max_num_queries
):
    for i in range(30):
        asset = AssetFactory(owner=marketer, stages=stages[: 1 + i % 3], draft=i % 2)
        asset.current_version = VersionFactory(asset=asset, number=1)
        asset.save()
    with django_assert_max_num_queries(10):
        response = marketer_client.get(reverse("content:my_content") + "?owner=all")
    assert response.status_code == 200
    assert len(response.context["assets"]) == 25


# Create and edit --------------------------------------------------------------------


def _card_post(stages, **extra):
    data = {
        "kind": AssetKind.BATTLE_CARD,
        "title": "Rivalry Inc battle card",
        "summary": "Beat Rivalry Inc.",
        "audience": "internal",
        "stages": [s.pk for s in stages],
        "tags": "competitive, pricing",
        "competitor": "Rivalry Inc",
        "their_strengths": "Brand",
        "their_weaknesses": "No SSO",
        "landmines": "Ask about API pricing",
        "how_we_win": "30-day time to value",
        "proof_points": "Acme: -50% reporting time",
        "review_by": "",
    }
    data.update(extra)
    return data


def test_a_marketer_creates_a_battle_card_with_a_deck(
    marketer_client, marketer, stages
):
    data = _card_post(stages[:2], file=upload("rivalry.pptx", builders.pptx_bytes()))
    response = marketer_client.post(reverse("content:asset_add"), data)
    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == asset.get_absolute_url()
    assert asset.status == AssetStatus.DRAFT
    assert asset.owner == marketer
    assert set(asset.stages.all()) == set(stages[:2])
    assert sorted(asset.tags.names()) == ["competitive", "pricing"]
    assert asset.current_version.original_name == "rivalry.pptx"
    page = marketer_client.get(response["Location"]).content.decode()
    assert "is saved as a draft" in page


def test_the_upload_script_gets_the_next_address_in_a_header(marketer_client, stages):
    data = _card_post(stages[:1], file=upload("deck.pdf", builders.pdf_bytes()))
    response = marketer_client.post(
        reverse("content:asset_add"), data, headers={"X-Upload-Progress": "1"}
    )
    assert response.status_code == 204
    assert response["X-Location"] == Asset.objects.get().get_absolute_url()


def test_the_create_form_preselects_kind_and_stage(marketer_client, stage):
    response = marketer_client.get(
        reverse("content:asset_add") + "?kind=objection_handler&stage=discovery"
    )
    form = response.context["form"]
    assert form.initial["kind"] == "objection_handler"
    assert list(form.initial["stages"]) == [stage]
    html = response.content.decode()
    assert "data-upload-progress" in html
    assert "js/upload.js" in html


BAD_FILES = [
    ("empty.pdf", b"", "file is empty."),
    ("page.pdf", builders.HTML, "HTML, SVG and XML files are not accepted"),
    ("logo.pdf", builders.SVG, "HTML, SVG and XML files are not accepted"),
    ("chart.pptx", builders.png_bytes(), "contents are a PNG image"),
    ("bomb.png", builders.bomb_png(), "too large to process"),
]


@pytest.mark.parametrize("name,data,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_shows_its_error_next_to_the_field_and_saves_nothing(
    marketer_client, stages, name, data, message
):
    response = marketer_client.post(
        reverse("content:asset_add"), _card_post(stages[:1], file=upload(name, data))
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert 'id="id_file_errors"' in response.content.decode()
    assert not Asset.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_limit_is_dropped_while_it_streams_in(
    settings, marketer_client, stages
):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    big = builders.pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    response = marketer_client.post(
        reverse("content:asset_add"),
        _card_post(stages[:1], file=upload("../big.pdf", big)),
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "“big.pdf” is larger than the 1 MB limit" in errors
    assert not Asset.objects.exists() and stored_files() == []


def test_an_oversized_new_version_is_refused(
    settings, marketer_client, marketer, stage
):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    asset = AssetFactory(owner=marketer, stages=[stage])
    big = builders.pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    response = marketer_client.post(
        asset_url("version_add", asset),
        {"file": upload("big.pdf", big), "change_note": "x"},
    )
    assert "larger than the 1 MB limit" in " ".join(
        response.context["form"].errors["file"]
    )
    assert not Version.objects.exists()


def test_bulk_upload_drops_oversized_files_and_keeps_the_rest(
    settings, marketer_client
):
    settings.WINGMAN_MAX_UPLOAD_MB = 1
    big = builders.pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    response = marketer_client.post(
        reverse("content:bulk_upload"),
        {
            "files": [
                upload("big.pdf", big),
                upload("small.pdf", builders.pdf_bytes()),
            ],
            "audience": "internal",
        },
        follow=True,
    )
    assert list(Asset.objects.values_list("title", flat=True)) == ["Small"]
    assert "“big.pdf” is larger than the 1 MB limit" in response.content.decode()


def test_upload_forms_still_check_the_csrf_token(marketer, stages):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(marketer)
    response = client.post(
        reverse("content:asset_add"),
        _card_post(stages[:1], file=upload("deck.pdf", builders.pdf_bytes())),
    )
    assert response.status_code == 403
    assert not Asset.objects.exists()


def test_the_upload_script_gets_the_form_back_with_errors(marketer_client, stages):
    response = marketer_client.post(
        reverse("content:asset_add"),
        _card_post(stages[:1], file=upload("x.pdf", builders.HTML)),
        headers={"X-Upload-Progress": "1"},
    )
    assert response.status_code == 200
    assert 'id="main"' in response.content.decode()


def test_a_title_is_required(marketer_client, stages):
    response = marketer_client.post(
        reverse("content:asset_add"), _card_post(stages, title="   ")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Asset.objects.exists()


def test_a_marketer_edits_an_asset(marketer_client, marketer, stages):
    asset = services.asset_create(
        actor=marketer, kind=AssetKind.BATTLE_CARD, title="Card", stages=stages[:1]
    )
    data = _card_post(stages[1:3], title="Rivalry card v2", owner=marketer.pk)
    response = marketer_client.post(asset_url("asset_edit", asset), data)
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.title == "Rivalry card v2"
    assert set(asset.stages.all()) == set(stages[1:3])
    assert asset.competitor == "Rivalry Inc"
    assert "Changed" in asset.activity.first().detail


def test_the_edit_form_shows_current_values_and_no_file_field(
    marketer_client, marketer, stage
):
    asset = AssetFactory(owner=marketer, stages=[stage], title="Existing")
    asset.tags.add("security")
    response = marketer_client.get(asset_url("asset_edit", asset))
    form = response.context["form"]
    assert "file" not in form.fields
    assert form.initial["title"] == "Existing"
    assert "security" in response.content.decode()


def test_a_published_asset_cannot_lose_all_its_stages(marketer_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    data = _card_post([], kind=AssetKind.DECK, owner=marketer.pk)
    data.pop("stages")
    response = marketer_client.post(asset_url("asset_edit", asset), data)
    assert response.status_code == 200
    assert "at least one stage" in str(response.context["form"].errors["stages"])
    assert list(asset.stages.all()) == [stage]


def test_the_owner_can_be_handed_to_another_marketer(marketer_client, marketer, stage):
    colleague = UserFactory(username="marketer-2", role="marketer")
    asset = AssetFactory(owner=marketer, stages=[stage], kind=AssetKind.DECK)
    data = _card_post([stage], kind=AssetKind.DECK, owner=colleague.pk)
    marketer_client.post(asset_url("asset_edit", asset), data)
    asset.refresh_from_db()
    assert asset.owner == colleague


def test_reps_cannot_be_picked_as_owner(marketer_client, marketer, rep, stage):
    asset = AssetFactory(owner=marketer, stages=[stage], kind=AssetKind.DECK)
    data = _card_post([stage], kind=AssetKind.DECK, owner=rep.pk)
    response = marketer_client.post(asset_url("asset_edit", asset), data)
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]


# Versions ---------------------------------------------------------------------------


def test_a_marketer_uploads_a_new_version_with_a_note(marketer_client, marketer, stage):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.DECK,
        title="Deck",
        stages=[stage],
        file=upload("deck.pptx", builders.pptx_bytes()),
    )
    response = marketer_client.post(
        asset_url("version_add", asset),
        {
            "file": upload("deck-v2.pdf", builders.pdf_bytes()),
            "change_note": "Q3 pricing",
        },
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.current_version.number == 2
    assert asset.current_version.change_note == "Q3 pricing"
    assert asset.versions.count() == 2
    page = marketer_client.get(asset.get_absolute_url()).content.decode()
    assert "deck.pptx" in page and "deck-v2.pdf" in page and "Q3 pricing" in page


def test_a_new_version_needs_a_file_and_a_note(marketer_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    response = marketer_client.post(asset_url("version_add", asset), {})
    errors = response.context["form"].errors
    assert "file" in errors and "change_note" in errors


def test_a_bad_new_version_leaves_the_asset_as_it_was(marketer_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    response = marketer_client.post(
        asset_url("version_add", asset),
        {"file": upload("deck.pptx", builders.png_bytes()), "change_note": "x"},
    )
    assert "PNG image" in " ".join(response.context["form"].errors["file"])
    assert not Version.objects.exists()
    assert stored_files() == []


def test_a_corrupt_pdf_version_uploads_with_a_note_about_the_preview(
    marketer_client, marketer, stage, run_tasks
):
    asset = AssetFactory(owner=marketer, stages=[stage])
    with run_tasks():
        response = marketer_client.post(
            asset_url("version_add", asset),
            {"file": upload("broken.pdf", builders.corrupt_pdf()), "change_note": "x"},
            follow=True,
        )
        # The upload answers before any preview work: it is only enqueued.
        assert "preview is being prepared" in response.content.decode()
        assert Version.objects.get().preview_status == "pending"
    assert Version.objects.get().preview_status == "failed"
    page = marketer_client.get(asset.get_absolute_url()).content.decode()
    assert "no preview: the file could not be read for a preview" in page
