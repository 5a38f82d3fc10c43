import pytest
from django.urls import reverse

from content.models import ActivityVerb, Asset, AssetKind, Stage
from tests.factories import AssetFactory, RatingFactory, StageFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_opens_library_models(admin_client_, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage])
    version = VersionFactory(asset=asset, number=1)
    for url in [
        reverse("admin:content_asset_changelist"),
        reverse("admin:content_asset_change", args=[asset.pk]),
        reverse("admin:content_stage_changelist"),
        reverse("admin:content_version_change", args=[version.pk]),
        reverse("admin:content_assetactivity_changelist"),
    ]:
        assert admin_client_.get(url).status_code == 200, url


def test_the_admin_refuses_to_delete_an_asset_with_history(
    admin_client_, marketer, stage
):
    asset = AssetFactory(owner=marketer, stages=[stage])
    RatingFactory(asset=asset)
    response = admin_client_.post(
        reverse("admin:content_asset_delete", args=[asset.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Asset.objects.filter(pk=asset.pk).exists()
    changelist = admin_client_.get(reverse("admin:content_asset_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_versions_and_stages_are_never_deleted_in_the_admin(
    admin_client_, marketer, stage
):
    asset = AssetFactory(owner=marketer, stages=[stage])
    version = VersionFactory(asset=asset, number=1)
    assert (
        admin_client_.post(
            reverse("admin:content_version_delete", args=[version.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        admin_client_.post(
            reverse("admin:content_stage_delete", args=[stage.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client_.get(reverse("admin:content_version_add")).status_code == 403


def test_admin_edits_go_through_the_services(
    admin_client_, admin_user, marketer, stage
):
    other = StageFactory(name="Closing")
    asset = AssetFactory(
        owner=marketer, stages=[stage], kind=AssetKind.DECK, title="Old title"
    )
    url = reverse("admin:content_asset_change", args=[asset.pk])
    data = {
        "kind": AssetKind.DECK,
        "title": "New title",
        "summary": "s",
        "stages": [stage.pk, other.pk],
        "tags": "pricing",
        "audience": "internal",
        "owner": marketer.pk,
        "review_by": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        **{
            name: ""
            for name in (
                "competitor",
                "their_strengths",
                "their_weaknesses",
                "landmines",
                "how_we_win",
                "proof_points",
                "objection",
                "response",
                "when_to_use",
            )
        },
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    asset.refresh_from_db()
    assert asset.title == "New title"
    assert set(asset.stages.all()) == {stage, other}
    assert asset.tags.names()[0] == "pricing"
    entry = asset.activity.get()
    assert entry.verb == ActivityVerb.EDITED and entry.actor == admin_user
    assert "New title" in asset.search_text


def test_admin_can_add_a_stage_through_the_service(admin_client_):
    response = admin_client_.post(
        reverse("admin:content_stage_add"),
        {
            "name": "Security review",
            "order": 9,
            "description": "",
            "exit_goal": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Stage.objects.get(name="Security review").slug == "security-review"


def test_the_publish_action_reports_drafts_that_are_not_ready(
    admin_client_, marketer, stage
):
    ready = AssetFactory(
        owner=marketer, stages=[stage], draft=True, kind=AssetKind.DECK
    )
    ready.current_version = VersionFactory(asset=ready, number=1)
    ready.save()
    not_ready = AssetFactory(
        owner=marketer, stages=[stage], draft=True, kind=AssetKind.DECK
    )
    response = admin_client_.post(
        reverse("admin:content_asset_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    not_ready.refresh_from_db()
    assert ready.status == "published" and not_ready.status == "draft"
    assert "Upload the deck" in response.content.decode()
