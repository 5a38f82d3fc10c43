"""The prospect's page at /s/<token>/: only what was shared, nothing of the site."""

import re
import secrets
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import AssetEvent, AssetStatus, Audience, EventKind, ShareEvent
from content.services.sharing import share_create, share_revoke
from tests.content.sharing.conftest import public_url

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def get(client, url, **extra):
    return client.get(url, HTTP_USER_AGENT=BROWSER, **extra)


def test_public_page_shows_the_asset_and_records_the_open(client, share, assets):
    link, token = share
    response = get(client, public_url(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Platform overview deck" in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    link.refresh_from_db()
    assert link.open_count == 1
    event = AssetEvent.objects.get(kind=EventKind.PROSPECT_VIEW)
    assert event.asset == assets["deck"]
    assert event.user is None
    assert event.visitor_hash
    assert event.user_agent == BROWSER


def test_public_page_exposes_nothing_else_of_the_site(client, room, assets, rep, deal):
    _link, token = room
    body = get(client, public_url(token)).content.decode()
    # Only the shared assets.
    assert "Globex case study" in body and "Platform overview deck" in body
    for name in ("internal", "card", "draft", "other"):
        assert assets[name].title not in body
    # No user data: not the rep, not the deal, not the recipient.
    for secret in (
        rep.username,
        rep.get_full_name(),
        rep.email,
        deal.name,
        deal.account,
        "Jane Doe",
    ):
        assert secret not in body
    # No link into the site: every link stays inside this share.
    links = re.findall(r'<a [^>]*href="([^"]*)"', body)
    assert links
    assert all(href.startswith(public_url(token)) for href in links)
    forms = re.findall(r"<form", body)
    assert not forms
    assert "/accounts/" not in body
    assert "Log out" not in body
    # Scripts only from the site's own static files (the viewer and its timing),
    # none inline.
    scripts = re.findall(r"<script[^>]*>", body)
    assert all(re.search(r'src="/static/js/[a-z-]+\.js"', tag) for tag in scripts)


def test_public_page_shows_the_reps_message_in_order(client, room):
    _link, token = room
    body = get(client, public_url(token)).content.decode()
    assert "Great talking today." in body
    assert body.index("Globex case study") < body.index("Platform overview deck")


def test_download_serves_the_current_file_and_is_recorded(client, share, assets):
    link, token = share
    item = link.items.get()
    url = reverse("content:share_public_file", args=[token, item.pk])
    response = get(client, url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Plain text notes for reps.\n"
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition
    assert "platform-overview-deck.txt" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    item.refresh_from_db()
    assert item.download_count == 1
    assert ShareEvent.objects.filter(item=item, kind="download").exists()
    assert AssetEvent.objects.filter(kind=EventKind.PROSPECT_DOWNLOAD).count() == 1


def test_an_asset_not_in_the_share_cannot_be_fetched_through_it(client, share, room):
    _link, token = share
    other_link, _other_token = room
    foreign_item = other_link.items.first()
    url = reverse("content:share_public_file", args=[token, foreign_item.pk])
    assert get(client, url).status_code == 404


def test_expired_link_answers_410(client, rep, assets):
    link, token = share_create(user=rep, assets=[assets["deck"]], recipient="J")
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    response = get(client, public_url(token))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    item = link.items.get()
    url = reverse("content:share_public_file", args=[token, item.pk])
    assert get(client, url).status_code == 410
    assert not ShareEvent.objects.exists()


def test_revoked_link_answers_410(client, rep, share):
    link, token = share
    share_revoke(user=rep, share=link)
    response = get(client, public_url(token))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_retired_asset_makes_its_link_410(client, share, assets):
    _link, token = share
    assets["deck"].status = AssetStatus.RETIRED
    assets["deck"].save()
    assert get(client, public_url(token)).status_code == 410


def test_asset_made_internal_drops_out_of_a_deal_room(client, room, assets):
    _link, token = room
    assets["deck"].audience = Audience.INTERNAL
    assets["deck"].save()
    response = get(client, public_url(token))
    assert response.status_code == 200
    assert "Platform overview deck" not in response.content.decode()
    assert "Globex case study" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        # Well-formed, but nobody made it (fixed id: xdist workers must agree).
        pytest.param(secrets.token_urlsafe(32), id="well-formed-unknown"),
        pytest.param("short", id="too-short"),
        pytest.param("a" * 200, id="too-long"),
        pytest.param("../../etc/passwd", id="path-like"),
    ],
)
def test_guessed_token_is_a_plain_404(client, share, token):
    response = client.get(f"/s/{token}/")
    assert response.status_code == 404
    assert "Platform overview deck" not in response.content.decode()


def test_link_of_a_deactivated_rep_stops_working(client, rep, share):
    _link, token = share
    rep.is_active = False
    rep.save()
    assert get(client, public_url(token)).status_code == 410


def test_signed_in_visit_is_not_counted(rep_client, share):
    link, token = share
    response = get(rep_client, public_url(token))
    assert response.status_code == 200
    assert "not counted" in response.content.decode()
    link.refresh_from_db()
    assert link.open_count == 0


def test_public_page_needs_no_login_and_sets_no_session(client, share):
    _link, token = share
    response = get(client, public_url(token))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_public_page_reads_run_a_constant_number_of_queries(
    client, rep, assets, deal, django_assert_max_num_queries
):
    """A repeat visit records nothing new: what is left are the page's reads and
    the visit's merge (lock, find, touch), the same for one asset or three. (A
    first visit also writes one prospect view per asset through the analytics'
    event service.)"""
    counts = []
    for chosen in (["deck"], ["deck", "case", "other"]):
        _link, token = share_create(
            user=rep, assets=[assets[n] for n in chosen], recipient="J", deal=deal
        )
        get(client, public_url(token))  # the first visit records the open
        with django_assert_max_num_queries(12) as captured:
            assert get(client, public_url(token)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _pdf_with_preview(asset):
    from django.core.files.base import ContentFile

    version = asset.current_version
    version.content_type = "application/pdf"
    version.original_name = "internal-name-v7-FINAL.pdf"
    version.thumbnail = ContentFile(b"\x89PNG\r\n\x1a\nfake", name="t.png")
    version.save()
    return version


def test_pdf_opens_in_the_browser_and_has_a_preview(client, share, assets):
    link, token = share
    _pdf_with_preview(assets["deck"])
    item = link.items.get()
    page = get(client, public_url(token)).content.decode()
    preview = reverse("content:share_public_thumbnail", args=[token, item.pk])
    assert preview in page
    assert "internal-name-v7-FINAL" not in page
    thumb = get(client, preview)
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/png"
    view = get(
        client, reverse("content:share_public_file", args=[token, item.pk]) + "?view=1"
    )
    assert view["Content-Disposition"].startswith("inline")
    assert "platform-overview-deck.pdf" in view["Content-Disposition"]
    item.refresh_from_db()
    assert item.download_count == 1  # the file, not the preview image
