"""Prospect visits: the merge window, heartbeats' validation and caps, the rep's
alerts, and the beacon endpoint."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content.models import (
    DigestState,
    Notification,
    NotificationVerb,
    ShareVisit,
    ShareVisitPage,
)
from content.services import engagement
from content.services.engagement import BeaconRefused, BeatEntry
from content.services.sharing import share_create, share_revoke
from tests.content.sharing.conftest import public_url, with_pages

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture
def deck(assets):
    with_pages(assets["deck"], 5)
    return assets["deck"]


@pytest.fixture
def link(rep, deck, deal):
    share, token = share_create(
        user=rep, assets=[deck], recipient="jane@globex.example", deal=deal
    )
    return share, token


def _start(share, *, now, visitor="v1", email=""):
    return engagement.visit_start(
        share=share, visitor_hash=visitor, user_agent=BROWSER, email=email, now=now
    )


def _beat(share, visit, entries, *, now, token=None):
    item = share.items.get()
    return engagement.beat_record(
        share=share,
        token=engagement.visit_token(visit) if token is None else token,
        entries=[BeatEntry(item_id=item.pk, number=n, seconds=s) for n, s in entries],
        page_counts={item.pk: 5},
        now=now,
    )


# The merge window ---------------------------------------------------------------


def test_a_visitor_back_within_the_window_continues_the_visit(link):
    share, _ = link
    t0 = timezone.now()
    first = _start(share, now=t0)
    again = _start(share, now=t0 + timedelta(minutes=9))
    assert again.pk == first.pk
    later = _start(share, now=t0 + timedelta(minutes=9 + 11))
    assert later.pk != first.pk
    assert ShareVisit.objects.filter(share=share).count() == 2


def test_another_visitor_or_email_is_another_visit(link):
    share, _ = link
    t0 = timezone.now()
    first = _start(share, now=t0)
    assert _start(share, now=t0, visitor="v2").pk != first.pk
    assert _start(share, now=t0, email="cfo@globex.example").pk != first.pk


def test_bots_get_no_visit(link):
    share, _ = link
    visit = engagement.visit_start(
        share=share, visitor_hash="b", user_agent="Slackbot-LinkExpanding 1.0"
    )
    assert visit is None
    assert not ShareVisit.objects.exists()


def test_a_beat_after_the_window_starts_a_new_visit_once(link):
    share, _ = link
    t0 = timezone.now()
    visit = _start(share, now=t0)
    _beat(share, visit, [(1, 5)], now=t0 + timedelta(seconds=6))
    late = t0 + timedelta(minutes=30)
    result = _beat(share, visit, [(2, 4)], now=late)
    assert result.new_token and result.visit.pk != visit.pk
    assert result.visit.pages.get().number == 2
    # The lapsed token cannot start a second one: replaying it grows nothing.
    with pytest.raises(BeaconRefused) as refused:
        _beat(share, visit, [(2, 4)], now=late + timedelta(seconds=10))
    assert refused.value.status == 409
    assert ShareVisit.objects.count() == 2


# Heartbeats ---------------------------------------------------------------------


def test_beats_add_seconds_per_page(link):
    share, _ = link
    t0 = timezone.now()
    visit = _start(share, now=t0)
    _beat(share, visit, [(1, 4.5), (3, 1.0)], now=t0 + timedelta(seconds=6))
    _beat(share, visit, [(3, 5)], now=t0 + timedelta(seconds=12))
    pages = dict(ShareVisitPage.objects.values_list("number", "seconds"))
    assert pages == {1: 4.5, 3: 6.0}
    visit.refresh_from_db()
    assert visit.total_seconds == 10.5
    assert visit.beat_count == 2


def test_a_beat_never_adds_more_than_the_time_since_the_last(link):
    share, _ = link
    t0 = timezone.now()
    visit = _start(share, now=t0)
    # 12 s claimed after 5 s (+2 s of slack): scaled to 7 s, pages in proportion.
    result = _beat(share, visit, [(1, 9), (2, 3)], now=t0 + timedelta(seconds=5))
    assert result.seconds == pytest.approx(7.0)
    pages = dict(ShareVisitPage.objects.values_list("number", "seconds"))
    assert pages == {1: pytest.approx(5.25), 2: pytest.approx(1.75)}


def test_beats_closer_than_a_second_are_refused(link):
    share, _ = link
    t0 = timezone.now()
    visit = _start(share, now=t0)
    _beat(share, visit, [(1, 3)], now=t0 + timedelta(seconds=3))
    with pytest.raises(BeaconRefused) as refused:
        _beat(share, visit, [(1, 0.5)], now=t0 + timedelta(seconds=3.5))
    assert refused.value.status == 429


@pytest.mark.parametrize("number", [0, 6, 99])
def test_a_page_outside_the_document_is_refused(link, number):
    share, _ = link
    t0 = timezone.now()
    visit = _start(share, now=t0)
    with pytest.raises(BeaconRefused):
        _beat(share, visit, [(number, 1)], now=t0 + timedelta(seconds=5))
    assert not ShareVisitPage.objects.exists()


def test_another_links_token_cannot_move_this_links_figures(link, rep, deck, deal):
    share, _ = link
    other, _ = share_create(user=rep, assets=[deck], recipient="x", deal=deal)
    t0 = timezone.now()
    visit = _start(share, now=t0)
    foreign = _start(other, now=t0)
    for token in (engagement.visit_token(foreign), "forged:token", ""):
        with pytest.raises(BeaconRefused) as refused:
            _beat(share, visit, [(1, 2)], now=t0 + timedelta(seconds=5), token=token)
        assert refused.value.status == 403
    assert not ShareVisitPage.objects.exists()


def test_a_visit_is_capped_in_beats_seconds_and_pages(link, settings):
    share, _ = link
    settings.WINGMAN_SHARE_VISIT_MAX_BEATS = 2
    settings.WINGMAN_SHARE_VISIT_MAX_SECONDS = 8
    t0 = timezone.now()
    visit = _start(share, now=t0)
    _beat(share, visit, [(1, 5)], now=t0 + timedelta(seconds=5))
    # Only the 3 seconds left under the cap are taken.
    result = _beat(share, visit, [(2, 5)], now=t0 + timedelta(seconds=10))
    assert result.seconds == 3
    with pytest.raises(BeaconRefused) as refused:
        _beat(share, visit, [(2, 5)], now=t0 + timedelta(seconds=15))
    assert refused.value.status == 429
    visit.refresh_from_db()
    assert visit.total_seconds == 8 and visit.beat_count == 2

    settings.WINGMAN_SHARE_VISIT_MAX_BEATS = 100
    settings.WINGMAN_SHARE_VISIT_MAX_SECONDS = 1000
    settings.WINGMAN_SHARE_VISIT_MAX_PAGES = 2
    with pytest.raises(BeaconRefused):
        _beat(share, visit, [(3, 1)], now=t0 + timedelta(seconds=20))
    assert ShareVisitPage.objects.filter(visit=visit).count() == 2


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        "pages",
        [[1, 1]],
        [[1, 1, -1]],
        [[1, 1, 10_000]],
        [["1", 1, 1]],
        [[1, 1.5, 1]],
        [[1, 1, True]],
        [[1, n, 1] for n in range(1, 30)],
    ],
)
def test_malformed_beats_are_refused(raw):
    with pytest.raises(BeaconRefused) as refused:
        engagement.parse_beat_entries(raw)
    assert refused.value.status == 400


# The endpoint -------------------------------------------------------------------


def _beacon(client, token, body, **extra):
    return client.post(
        reverse("content:share_beacon", kwargs={"token": token}),
        data=json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="text/plain",
        HTTP_USER_AGENT=BROWSER,
        **extra,
    )


def test_the_page_issues_a_visit_token_and_the_beacon_stores_the_time(
    client, link, deck
):
    share, token = link
    page = client.get(public_url(token), HTTP_USER_AGENT=BROWSER)
    body = page.content.decode()
    assert "data-visit-token" in body and "page-viewer" in body
    visit = ShareVisit.objects.get(share=share)
    ShareVisit.objects.filter(pk=visit.pk).update(
        last_beat_at=timezone.now() - timedelta(seconds=6)
    )
    item = share.items.get()
    beat = {"t": engagement.visit_token(visit), "p": [[item.pk, 3, 5.0]]}
    # No CSRF cookie or header: the signed visit token is the key.
    response = _beacon(client, token, beat)
    assert response.status_code == 204
    assert ShareVisitPage.objects.get(visit=visit).seconds == 5.0


def test_the_beacon_refuses_junk_and_large_bodies(client, link):
    _share, token = link
    assert _beacon(client, token, b"not json").status_code == 400
    assert _beacon(client, token, {"t": 5, "p": []}).status_code == 400
    assert _beacon(client, token, b"x" * 5000).status_code == 413


def test_the_beacon_of_a_revoked_link_stores_nothing(client, link, rep):
    share, token = link
    visit = _start(share, now=timezone.now() - timedelta(seconds=6))
    share_revoke(user=rep, share=share)
    item = share.items.get()
    beat = {"t": engagement.visit_token(visit), "p": [[item.pk, 1, 5]]}
    assert _beacon(client, token, beat).status_code == 410
    assert not ShareVisitPage.objects.exists()


def test_signed_in_people_get_no_visit(rep_client, link):
    share, token = link
    body = rep_client.get(public_url(token)).content.decode()
    assert "data-visit-token" not in body
    assert not ShareVisit.objects.filter(share=share).exists()


# The rep hears about it ---------------------------------------------------------


def test_the_first_open_and_a_return_after_a_day_notify_the_rep(
    link, rep, django_capture_on_commit_callbacks
):
    share, _ = link
    t0 = timezone.now()
    with django_capture_on_commit_callbacks() as callbacks:
        _start(share, now=t0, email="cfo@globex.example")

    def notes():
        return list(Notification.objects.filter(user=rep, share=share))

    assert [n.verb for n in notes()] == [NotificationVerb.SHARE_OPENED]
    assert notes()[0].message == "cfo@globex.example opened “Platform overview deck”"
    assert len(callbacks) == 1  # the email, once the visit is committed
    _start(share, now=t0 + timedelta(hours=2), visitor="v2")
    assert len(notes()) == 1  # the same day: no news
    _start(share, now=t0 + timedelta(days=2), visitor="v3")
    assert [n.verb for n in notes()] == [
        NotificationVerb.SHARE_RETURNED,
        NotificationVerb.SHARE_OPENED,
    ]
    assert "Your prospect (jane@globex.example)" in notes()[0].message


def test_no_email_for_a_rep_who_turned_emails_off(
    link, rep, django_capture_on_commit_callbacks
):
    share, _ = link
    DigestState.objects.create(user=rep, enabled=False)
    with django_capture_on_commit_callbacks() as callbacks:
        _start(share, now=timezone.now())
    assert Notification.objects.filter(user=rep).count() == 1
    assert callbacks == []


def test_the_alert_email_says_who_and_what(link, rep):
    share, _ = link
    _start(share, now=timezone.now(), email="cfo@globex.example")
    note = Notification.objects.get(user=rep)
    engagement.share_alert_send(notification_id=note.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [rep.email]
    assert "cfo@globex.example opened" in message.subject
    assert f"/shares/{share.pk}/" in message.body


def test_purge_forgets_visits_past_retention(link, settings):
    share, _ = link
    settings.WINGMAN_SHARE_VISIT_RETENTION_DAYS = 30
    old = _start(share, now=timezone.now() - timedelta(days=40))
    _beat(share, old, [(1, 3)], now=old.started_at + timedelta(seconds=4))
    recent = _start(share, now=timezone.now(), visitor="v2")
    assert engagement.visits_purge() == 1
    assert list(ShareVisit.objects.all()) == [recent]
    assert not ShareVisitPage.objects.exists()


def test_the_purge_command_reports_what_it_forgot(link, settings):
    from io import StringIO

    from django.core.management import call_command

    share, _ = link
    settings.WINGMAN_SHARE_VISIT_RETENTION_DAYS = 7
    _start(share, now=timezone.now() - timedelta(days=8))
    out = StringIO()
    call_command("purge_share_visits", stdout=out)
    assert "1 visits older than 7 days purged" in out.getvalue()
    assert not ShareVisit.objects.exists()
