"""The Django admin: every model has one; history is read, never edited or deleted."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from content.models import (
    AssetEvent,
    ContentRequest,
    DailyAssetStat,
    Rating,
    RequestStatus,
    SearchLog,
    Subscription,
    Usage,
)
from content.services.events import daily_stats_add
from tests.factories import (
    AssetEventFactory,
    ContentRequestFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db

HISTORY = [Usage, Rating, AssetEvent, DailyAssetStat, SearchLog]


def test_every_content_model_has_an_admin():
    missing = [
        model.__name__
        for model in apps.get_app_config("content").get_models()
        if not admin.site.is_registered(model)
    ]
    assert not missing, f"Register these in content/admin.py: {missing}"


def _admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_every_content_changelist_opens_for_an_admin(world, admin_client_):
    for model in apps.get_app_config("content").get_models():
        url = _admin_url(model, "changelist")
        assert admin_client_.get(url).status_code == 200, url


def test_deals_and_uses_are_read_only_and_never_deleted(world, admin_client_):
    deal = world.deals["d1"]
    usage = Usage.objects.filter(deal=deal).first()
    for model, obj in ((type(deal), deal), (Usage, usage)):
        page = admin_client_.get(_admin_url(model, "change", obj.pk))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert (
            admin_client_.post(_admin_url(model, "change", obj.pk), {}).status_code
            == 403
        )
        delete = admin_client_.post(
            _admin_url(model, "delete", obj.pk), {"post": "yes"}
        )
        assert delete.status_code == 403
        assert admin_client_.get(_admin_url(model, "add")).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
    changelist = admin_client_.get(_admin_url(Usage, "changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_ratings_events_and_daily_figures_cannot_be_deleted(rated, admin_client_):
    AssetEventFactory(asset=rated.deck)
    daily_stats_add(asset_id=rated.deck.pk, counts={"views": 1})
    for model in (Rating, AssetEvent, DailyAssetStat):
        obj = model.objects.first()
        delete = admin_client_.post(
            _admin_url(model, "delete", obj.pk), {"post": "yes"}
        )
        assert delete.status_code == 403, model
        assert model.objects.filter(pk=obj.pk).exists()


def test_the_admin_marks_requests_planned_through_the_service(world, admin_client_):
    item = ContentRequestFactory(title="ROI calculator", requester=world.riley)
    response = admin_client_.post(
        _admin_url(ContentRequest, "changelist"),
        {"action": "mark_planned", "_selected_action": [item.pk]},
        follow=True,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == RequestStatus.PLANNED
    assert item.triaged_by is not None  # set by content_request_triage


def test_a_follow_can_be_removed_in_the_admin(world, admin_client_):
    follow = Subscription.objects.create(user=world.riley, stage=world.discovery)
    response = admin_client_.post(
        _admin_url(Subscription, "delete", follow.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Subscription.objects.filter(pk=follow.pk).exists()


def test_marketers_and_reps_never_reach_the_admin(world, marketer_client, rep_client):
    url = _admin_url(Rating, "changelist")
    RatingFactory(asset=world.deck)
    for client in (marketer_client, rep_client):
        assert client.get(url).status_code == 302
