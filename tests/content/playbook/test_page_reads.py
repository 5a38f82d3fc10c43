"""What the asset page reads once instead of on every request (issue 13): the
session from the cache, the unread count with the user, the stage menu from the
cache. Each stays exact: these tests change the underlying rows and look again."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.services_sso import end_sessions
from content.services.notifications import notification_mark_read
from content.services.stages import stage_update
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _badge(html: str) -> str | None:
    marker = '<span class="badge-count">'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_the_unread_badge_is_read_with_the_user_and_fresh_every_request(
    rep_client, rep, library
):
    url = reverse("content:asset", kwargs={"pk": library.internal.pk})
    assert _badge(rep_client.get(url).content.decode()) is None
    NotificationFactory.create_batch(3, user=rep)
    assert _badge(rep_client.get(url).content.decode()) == "3"
    notification_mark_read(user=rep)
    assert _badge(rep_client.get(url).content.decode()) is None


def test_ending_a_users_sessions_signs_them_out_though_the_cache_had_it(
    rep_client, rep, library
):
    url = reverse("content:asset", kwargs={"pk": library.internal.pk})
    assert rep_client.get(url).status_code == 200  # the session is now cached
    assert end_sessions(user=rep) == 1
    response = rep_client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_renamed_stage_shows_in_the_usage_form_at_once(rep_client, marketer, library):
    url = reverse("content:asset", kwargs={"pk": library.internal.pk})
    assert escape(library.stage.name) in rep_client.get(url).content.decode()
    stage_update(actor=marketer, stage=library.other_stage, name="Qualification call")
    html = rep_client.get(url).content.decode()
    assert "Qualification call" in html
    stage_update(actor=marketer, stage=library.other_stage, is_active=False)
    assert "Qualification call" not in rep_client.get(url).content.decode()


def test_a_new_deal_starts_at_the_assets_first_active_stage(rep, marketer, library):
    from content.selectors.asset_page import asset_page

    page = asset_page(user=rep, pk=library.internal.pk)
    assert page["new_deal_stage"] == library.stage
    stage_update(actor=marketer, stage=library.stage, is_active=False)
    page = asset_page(user=rep, pk=library.internal.pk)
    # No active stage of its own: the roadmap's first.
    assert page["new_deal_stage"] == library.other_stage
