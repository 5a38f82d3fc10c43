"""Issue 12, "Security and robustness": one test (or a few) per finding, named
after its item, each failing on the code before the fix."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_address import client_ip
from content.models import ShareEvent
from tests.factories import (
    PASSWORD,
    StageFactory,
    UserFactory,
)
from tests.security.review_helpers import BROWSER, ROOT
from tests.security.review_helpers import login as _login

# 1. Login lockout ---------------------------------------------------------------------


@pytest.mark.django_db
def test_item1_lockout_per_username_across_addresses(axes_on, client):
    """Guesses for one account from many addresses lock that account."""
    UserFactory(username="riley")
    for attempt in range(5):
        _login(client, "riley", "wrong", REMOTE_ADDR=f"203.0.113.{attempt + 1}")
    response = _login(client, "riley", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_item1_lockout_per_address_across_usernames(axes_on, client):
    """One address trying many accounts is locked, whichever account it tries."""
    UserFactory(username="riley")
    for attempt in range(5):
        _login(client, f"user{attempt}", "wrong", REMOTE_ADDR="203.0.113.9")
    locked = _login(client, "riley", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    # Another address still signs in: the lock is on the address, not the account.
    other = Client()
    response = _login(other, "riley", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


@pytest.mark.django_db
def test_item1_forwarded_for_is_ignored_without_trusted_proxies(axes_on, client):
    """With WINGMAN_TRUSTED_PROXY_COUNT = 0, X-Forwarded-For cannot dodge the
    per-address lock."""
    for attempt in range(5):
        _login(
            client,
            f"user{attempt}",
            "wrong",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    UserFactory(username="riley")
    response = _login(
        client,
        "riley",
        PASSWORD,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_item1_behind_a_trusted_proxy_clients_are_locked_one_by_one(axes_on):
    """Behind a load balancer (one proxy), one client's failures lock that client,
    not everyone who shares the balancer's address."""
    axes_on.WINGMAN_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="riley")
    attacker = Client()
    for attempt in range(5):
        _login(
            attacker,
            f"user{attempt}",
            "wrong",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    locked = _login(
        attacker,
        "riley",
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert locked.status_code == 429
    colleague = Client()
    response = _login(
        colleague,
        "riley",
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "count,forwarded,remote,expected",
    [
        (0, "198.51.100.1", "10.0.0.2", "10.0.0.2"),
        (1, "198.51.100.1", "10.0.0.2", "198.51.100.1"),
        # The client wrote the leftmost value itself: one proxy vouches for one hop.
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.2", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.1", "10.0.0.2", "198.51.100.1"),
        # Fewer hops than proxies: the leftmost vouched-for address.
        (2, "198.51.100.1", "10.0.0.2", "198.51.100.1"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "2001:db8::1", "10.0.0.2", "2001:db8::1"),
    ],
)
def test_item1_client_address_counts_trusted_proxies_from_the_right(
    settings, count, forwarded, remote, expected
):
    settings.WINGMAN_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


def test_item1_axes_uses_the_one_client_address_rule(settings):
    from axes.helpers import get_client_ip_address

    settings.WINGMAN_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1"
    )
    assert get_client_ip_address(request) == client_ip(request) == "198.51.100.1"


# 4. Open redirect ---------------------------------------------------------------------

HOSTILE_NEXT = [
    "https://evil.example/phish",
    "//evil.example/x",
    "javascript:alert(1)",
    "/\\evil.example",
    "http:///evil.example",
    "\x00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_item4_share_revoke_never_redirects_off_site(rep_client, share, target):
    link, _token = share
    response = rep_client.post(
        reverse("content:share_revoke", args=[link.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == link.get_absolute_url()
    link.refresh_from_db()
    assert link.is_revoked


@pytest.mark.django_db
def test_item4_share_revoke_follows_a_local_next(rep_client, share):
    link, _token = share
    response = rep_client.post(
        reverse("content:share_revoke", args=[link.pk]),
        {"next": reverse("content:share_list")},
    )
    assert response["Location"] == reverse("content:share_list")


@pytest.mark.django_db
@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_item4_every_next_parameter_falls_back_to_a_safe_page(rep_client, rep, target):
    """The other views that honour `next`: notifications, requests, follow."""
    stage = StageFactory(name="Demo", slug="demo")
    posts = [
        (reverse("content:notifications"), {"action": "read_all"}),
        (reverse("content:follow", args=["stage", stage.pk]), {}),
    ]
    for url, data in posts:
        response = rep_client.post(url, {**data, "next": target})
        assert response.status_code == 302, url
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert "evil" not in location and "javascript" not in location


def test_item4_there_is_one_safe_next_helper():
    """No view reads `next` itself: every one goes through views/redirects.py."""
    offenders = []
    for path in [*ROOT.glob("content/**/*.py"), *ROOT.glob("accounts/**/*.py")]:
        if path.name == "redirects.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"""\.get\(\s*["']next["']""", text) or (
            "url_has_allowed_host_and_scheme" in text
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# 5. Spoofed prospect opens ------------------------------------------------------------


@pytest.mark.django_db
def test_item5_spoofed_forwarded_for_counts_one_prospect(client, share):
    link, token = share
    url = reverse("content:share_public", kwargs={"token": token})
    for n in range(20):
        response = client.get(
            url,
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            HTTP_USER_AGENT=BROWSER,
        )
        assert response.status_code == 200
    link.refresh_from_db()
    assert link.open_count == 1
    assert ShareEvent.objects.filter(share=link, kind="open").count() == 1


@pytest.mark.django_db
def test_item5_behind_a_trusted_proxy_two_prospects_count_twice(
    client, share, settings
):
    settings.WINGMAN_TRUSTED_PROXY_COUNT = 1
    link, token = share
    url = reverse("content:share_public", kwargs={"token": token})
    for forwarded in ("198.51.100.1", "198.51.100.2", "6.6.6.6, 198.51.100.2"):
        client.get(
            url,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
            HTTP_USER_AGENT=BROWSER,
        )
    link.refresh_from_db()
    assert link.open_count == 2


# 9. 5xx from crafted input (site) --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "since",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "9999-12-31T23:59:59",
        "0001-01-01",
        "2024-02-30",
        "x" * 500,
    ],
)
def test_item9_whats_new_with_an_unusable_since_falls_back_to_the_last_visit(
    rep_client, since
):
    response = rep_client.get(reverse("content:whats_new"), {"since": since})
    assert response.status_code == 200


@pytest.mark.django_db
def test_item9_whats_new_still_honours_a_real_since(rep_client):
    response = rep_client.get(
        reverse("content:whats_new"), {"since": "2024-05-01T10:00:00+02:00"}
    )
    assert response.status_code == 200
    assert response.context["since"] == datetime(2024, 5, 1, 8, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"action": "read", "id": "abc"},
        {"action": "read", "id": "9223372036854775808"},
        {"action": "read", "id": "-1"},
        {"action": "read"},
        {"action": "explode"},
        {},
    ],
)
def test_item9_notifications_action_with_a_bad_id_changes_nothing(
    rep_client, rep, data
):
    from tests.factories import NotificationFactory

    notification = NotificationFactory(user=rep)
    response = rep_client.post(reverse("content:notifications"), data, follow=True)
    assert response.status_code == 200
    assert "nothing changed" in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_item9_notifications_mark_read_still_works(rep_client, rep):
    from tests.factories import NotificationFactory

    notification = NotificationFactory(user=rep)
    response = rep_client.post(
        reverse("content:notifications"), {"action": "read", "id": notification.pk}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
