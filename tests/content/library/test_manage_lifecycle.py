"""The marketer's pages: publish, retire and restore, the review queue, bulk
upload and stages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Asset, AssetKind, AssetStatus, Stage
from content.services import library as services
from tests.content.library import builders
from tests.content.library.builders import asset_url, upload
from tests.content.library.conftest import stored_files
from tests.factories import AssetFactory, StageFactory

pytestmark = pytest.mark.django_db

# Lifecycle --------------------------------------------------------------------------


def test_publish_then_a_rep_sees_it(marketer_client, rep_client, marketer, stage):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.DECK,
        title="Deck",
        stages=[stage],
        file=upload("deck.pdf", builders.pdf_bytes()),
    )
    assert rep_client.get(asset.get_absolute_url()).status_code == 404
    response = marketer_client.post(asset_url("asset_publish", asset))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED
    assert rep_client.get(asset.get_absolute_url()).status_code == 200


def test_publishing_an_incomplete_draft_explains_why(marketer_client, marketer, stage):
    asset = services.asset_create(
        actor=marketer, kind=AssetKind.DECK, title="Deck", stages=[stage]
    )
    response = marketer_client.post(asset_url("asset_publish", asset), follow=True)
    assert "Upload the deck&#x27;s file." in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.DRAFT


def test_lifecycle_actions_only_accept_post(marketer_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage], draft=True)
    for name in ("asset_publish", "asset_restore", "asset_verify"):
        assert marketer_client.get(asset_url(name, asset)).status_code == 405


@pytest.mark.parametrize("role_client", ["rep_client", "partner_client"])
def test_reps_and_partners_cannot_change_the_lifecycle(
    request, role_client, marketer, stage
):
    client = request.getfixturevalue(role_client)
    draft = AssetFactory(owner=marketer, stages=[stage], draft=True, for_partners=True)
    live = AssetFactory(owner=marketer, stages=[stage], for_partners=True)
    gone = AssetFactory(owner=marketer, stages=[stage], retired=True, for_partners=True)
    assert client.post(asset_url("asset_publish", draft)).status_code == 403
    assert (
        client.post(asset_url("asset_retire", live), {"reason": "x"}).status_code == 403
    )
    assert client.post(asset_url("asset_restore", gone)).status_code == 403
    assert client.post(asset_url("asset_verify", live)).status_code == 403
    assert client.post(asset_url("asset_edit", live), {"title": "x"}).status_code == 403
    assert client.post(reverse("content:asset_add"), {"title": "x"}).status_code == 403
    statuses = dict(Asset.objects.values_list("pk", "status"))
    assert statuses == {draft.pk: "draft", live.pk: "published", gone.pk: "retired"}


def test_retire_with_a_replacement_and_restore(
    marketer_client, rep_client, marketer, stage
):
    old = AssetFactory(owner=marketer, stages=[stage], title="Old deck")
    new = AssetFactory(owner=marketer, stages=[stage], title="New deck")
    form_page = marketer_client.get(asset_url("asset_retire", old)).content.decode()
    assert "New deck" in form_page and "Nothing is deleted" in form_page
    response = marketer_client.post(
        asset_url("asset_retire", old),
        {"reason": "Old pricing", "replaced_by": new.pk},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == AssetStatus.RETIRED and old.replaced_by == new
    # Reps who open the old asset are pointed at the replacement (the retire
    # form's promise), and get no rating or usage form for it.
    retired_page = rep_client.get(old.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in retired_page and "Old pricing" in retired_page
    assert 'id="usage-panel"' not in retired_page
    marketer_client.post(asset_url("asset_restore", old))
    old.refresh_from_db()
    assert old.status == AssetStatus.PUBLISHED
    assert rep_client.get(old.get_absolute_url()).status_code == 200


def test_retiring_needs_a_reason_on_the_form(marketer_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    response = marketer_client.post(asset_url("asset_retire", asset), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED


def test_the_retire_form_offers_only_live_replacements(
    marketer_client, marketer, stage
):
    asset = AssetFactory(owner=marketer, stages=[stage], title="This one")
    AssetFactory(owner=marketer, stages=[stage], title="Gone one", retired=True)
    AssetFactory(owner=marketer, stages=[stage], title="Live one")
    choices = [
        label
        for _, label in marketer_client.get(asset_url("asset_retire", asset))
        .context["form"]
        .fields["replaced_by"]
        .choices
    ]
    assert "Live one" in choices
    assert "Gone one" not in choices and "This one" not in choices


# Review queue -----------------------------------------------------------------------


def _due(days, **kwargs):
    return AssetFactory(
        review_by=timezone.localdate() + datetime.timedelta(days=days), **kwargs
    )


def test_the_review_queue_lists_overdue_and_soon_due_assets(
    marketer_client, marketer, stage
):
    _due(-10, owner=marketer, stages=[stage], title="Overdue deck")
    _due(5, owner=marketer, stages=[stage], title="Due soon deck")
    _due(60, owner=marketer, stages=[stage], title="Fresh deck")
    _due(-10, owner=marketer, stages=[stage], title="Retired deck", retired=True)
    _due(-10, stages=[stage], title="Colleague deck")
    html = marketer_client.get(reverse("content:review_queue")).content.decode()
    assert "Overdue deck" in html and "Overdue by 10 days" in html
    assert "Due soon deck" in html and "Due in 5 days" in html
    assert "Fresh deck" not in html and "Retired deck" not in html
    assert "Colleague deck" not in html
    assert html.index("Overdue deck") < html.index("Due soon deck")
    team = marketer_client.get(
        reverse("content:review_queue") + "?owner=all"
    ).content.decode()
    assert "Colleague deck" in team


def test_verifying_from_the_queue_without_javascript(marketer_client, marketer, stage):
    asset = _due(-3, owner=marketer, stages=[stage])
    response = marketer_client.post(
        asset_url("asset_verify", asset), {"next": reverse("content:review_queue")}
    )
    assert response["Location"] == reverse("content:review_queue")
    asset.refresh_from_db()
    assert asset.review_by == timezone.localdate() + datetime.timedelta(days=90)


def test_verifying_from_the_queue_with_htmx_swaps_the_row(
    marketer_client, marketer, stage
):
    asset = _due(-3, owner=marketer, stages=[stage], title="Checked deck")
    response = marketer_client.post(
        asset_url("asset_verify", asset), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<tr id="review-{asset.pk}"')
    assert "Verified" in html


def test_the_next_parameter_cannot_leave_the_site(marketer_client, marketer, stage):
    asset = _due(-3, owner=marketer, stages=[stage])
    response = marketer_client.post(
        asset_url("asset_verify", asset), {"next": "https://evil.example/"}
    )
    assert response["Location"] == asset.get_absolute_url()


def test_reps_see_the_verified_on_date(rep_client, marketer, stage):
    asset = _due(-3, owner=marketer, stages=[stage])
    services.asset_verify(actor=marketer, asset=asset)
    html = rep_client.get(asset.get_absolute_url()).content.decode()
    assert "Verified on" in html


def test_the_review_queue_query_count_is_constant(
    marketer_client, marketer, stages, django_assert_max_num_queries
):
    for i in range(30):
        _due(-i, owner=marketer, stages=stages[: 1 + i % 3])
    with django_assert_max_num_queries(10):
        response = marketer_client.get(reverse("content:review_queue"))
    assert len(response.context["assets"]) == 30


def test_an_empty_review_queue_says_all_caught_up(marketer_client):
    assert (
        "All caught up"
        in marketer_client.get(reverse("content:review_queue")).content.decode()
    )


# Bulk upload ------------------------------------------------------------------------


def test_bulk_upload_creates_drafts_and_reports_refused_files(
    marketer_client, marketer, stage
):
    response = marketer_client.post(
        reverse("content:bulk_upload"),
        {
            "files": [
                upload("pricing deck.pptx", builders.pptx_bytes()),
                upload("acme-case-study.pdf", builders.pdf_bytes()),
                upload("evil.pdf", builders.HTML),
            ],
            "stages": [stage.pk],
            "audience": "internal",
            "kind": "",
            "tags": "q3",
        },
        follow=True,
    )
    titles = set(Asset.objects.values_list("title", flat=True))
    assert titles == {"Pricing deck", "Acme case study"}
    assert set(Asset.objects.values_list("status", flat=True)) == {"draft"}
    html = response.content.decode()
    assert "2 drafts created" in html
    assert "Not uploaded: evil.pdf" in html


def test_bulk_upload_with_only_bad_files_shows_the_form_again(marketer_client):
    response = marketer_client.post(
        reverse("content:bulk_upload"),
        {
            "files": [
                upload("a.pdf", builders.HTML),
                upload("b.pptx", builders.png_bytes()),
            ],
            "audience": "internal",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "a.pdf" in errors and "b.pptx" in errors
    assert not Asset.objects.exists() and stored_files() == []


def test_bulk_upload_needs_at_least_one_file(marketer_client):
    response = marketer_client.post(
        reverse("content:bulk_upload"), {"audience": "internal"}
    )
    assert response.context["form"].errors["files"]


# Stages -----------------------------------------------------------------------------


def test_marketers_add_edit_and_deactivate_stages(marketer_client, marketer):
    response = marketer_client.post(
        reverse("content:stage_add"),
        {
            "name": "Security review",
            "description": "InfoSec questionnaire",
            "exit_goal": "Approved",
            "order": "",
        },
    )
    assert response.status_code == 302
    stage = Stage.objects.get(name="Security review")
    assert stage.slug == "security-review"
    AssetFactory(owner=marketer, stages=[stage])
    listing = marketer_client.get(reverse("content:stage_list")).content.decode()
    assert "Security review" in listing
    response = marketer_client.post(
        reverse("content:stage_edit", kwargs={"pk": stage.pk}),
        {
            "name": "Security & legal review",
            "description": "",
            "exit_goal": "",
            "order": 7,
        },
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.name == "Security & legal review"
    assert stage.order == 7
    assert stage.is_active is False  # the checkbox was left unticked
    assert stage.slug == "security-review"


def test_stage_names_are_unique(marketer_client, stage):
    response = marketer_client.post(reverse("content:stage_add"), {"name": "Discovery"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_inactive_stages_are_not_offered_for_new_assets(marketer_client):
    StageFactory(name="Live stage")
    StageFactory(name="Closed stage", is_active=False)
    form = marketer_client.get(reverse("content:asset_add")).context["form"]
    names = [s.name for s in form.fields["stages"].queryset]
    assert names == ["Live stage"]


def test_a_retired_asset_sends_new_versions_back_to_restore(
    marketer_client, marketer, stage
):
    asset = AssetFactory(owner=marketer, stages=[stage], retired=True)
    response = marketer_client.get(asset_url("version_add", asset), follow=True)
    assert "restore it to upload a new version" in response.content.decode()
    response = marketer_client.post(
        asset_url("version_add", asset),
        {"file": upload("a.pdf", builders.pdf_bytes()), "change_note": "x"},
    )
    assert "restore it before uploading" in " ".join(
        response.context["form"].errors["file"]
    )


def test_new_asset_form_is_prefilled_from_a_search_gap(marketer_client, stage):
    response = marketer_client.get(
        reverse("content:asset_add")
        + f"?title=Battle+card%3A+Globex&kind=battle_card&stage={stage.slug}"
    )
    form = response.context["form"]
    assert form.initial["title"] == "Battle card: Globex"
    assert form.initial["kind"] == "battle_card"
