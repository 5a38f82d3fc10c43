"""Issue 12, "Security and robustness": one test (or a few) per finding, named
after its item, each failing on the code before the fix."""

import errno
import logging
import os
import re
import socket
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_address import client_ip
from accounts.models import ApiToken
from content.models import Asset, ShareEvent, ShareLink, ShareLinkItem
from content.services.sharing import share_create, share_token_hash
from enablement.log_filters import redact_share_tokens
from tests.content.library.builders import pdf_bytes
from tests.factories import (
    PASSWORD,
    AssetFactory,
    DealFactory,
    StageFactory,
    UserFactory,
    VersionFactory,
)

ROOT = Path(__file__).resolve().parents[2]
SOON = (date.today() + timedelta(days=10)).isoformat()
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def _login(client: Client, username: str, password: str, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        **extra,
    )


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


@pytest.fixture
def shared_asset(db, marketer):
    stage = StageFactory(name="Discovery", slug="discovery")
    asset = AssetFactory(owner=marketer, stages=[stage], for_partners=True)
    version = VersionFactory(asset=asset, number=1)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


@pytest.fixture
def share(rep, shared_asset):
    deal = DealFactory(owner=rep, stage=shared_asset.stages.first())
    return share_create(
        user=rep, assets=[shared_asset], recipient="jane@globex.example", deal=deal
    )


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


# 6. Secrets in sessions and logs ------------------------------------------------------


def _session_text(client: Client) -> str:
    """Everything the session store holds for this client, decoded."""
    session = client.session
    return repr(dict(session.items()))


@pytest.mark.django_db
def test_item6_new_api_key_is_shown_once_and_never_kept_in_the_session(rep_client, rep):
    response = rep_client.post(reverse("accounts:token_add"), {"name": "CRM sync"})
    # The key is on the very response that created it.
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    key = re.search(r'id="new-api-key" value="([^"]+)"', body).group(1)
    token = ApiToken.objects.get(user=rep)
    assert token.key_hash != key and len(key) > 20
    # Nothing secret was parked for a follow-up page that may never come.
    assert key not in _session_text(rep_client)
    assert key not in rep_client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.django_db
def test_item6_new_share_link_is_shown_once_and_never_kept_in_the_session(
    rep_client, rep, shared_asset
):
    response = rep_client.post(
        reverse("content:share_add", args=[shared_asset.pk]),
        {"recipient": "Jane", "expires_on": SOON},
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    url = re.search(r'id="new-link" value="([^"]+)"', response.content.decode())
    token = url.group(1).rstrip("/").rsplit("/", 1)[-1]
    link = ShareLink.objects.get(created_by=rep)
    assert share_token_hash(token) == link.token_hash
    assert token not in _session_text(rep_client)
    assert token not in rep_client.get(link.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_item6_new_deal_room_link_is_never_kept_in_the_session(
    rep_client, rep, shared_asset, marketer
):
    second = AssetFactory(
        owner=marketer, stages=list(shared_asset.stages.all()), for_partners=True
    )
    second.current_version = VersionFactory(asset=second, number=1)
    second.save(update_fields=["current_version"])
    deal = DealFactory(owner=rep, stage=shared_asset.stages.first())
    response = rep_client.post(
        reverse("content:share_room_add"),
        {
            "deal": deal.pk,
            "recipient": "Jane",
            "assets": [shared_asset.pk, second.pk],
            "expires_on": SOON,
        },
    )
    assert response.status_code == 201, response.content.decode()[:500]
    url = re.search(r'id="new-link" value="([^"]+)"', response.content.decode())
    token = url.group(1).rstrip("/").rsplit("/", 1)[-1]
    assert token not in _session_text(rep_client)


def test_item6_share_tokens_are_redacted_from_log_lines():
    token = "A" * 43
    line = (
        f'1.2.3.4 - - [t] "GET /s/{token}/file/7/?view=1 HTTP/1.1" 200 5 '
        f'"https://w.example/s/{token}/" "Firefox"'
    )
    redacted = redact_share_tokens(line)
    assert token not in redacted
    assert "/s/[token]/file/7/?view=1" in redacted
    assert "/assets/12/" in redact_share_tokens("GET /assets/12/")


def test_item6_gunicorn_access_log_of_make_run_never_writes_a_share_token(tmp_path):
    """The logger class `make run` passes to gunicorn, on a real access line."""
    from gunicorn.config import Config

    from enablement.gunicorn_conf import TokenRedactingLogger

    makefile = (ROOT / "Makefile").read_text()
    assert "--logger-class enablement.gunicorn_conf.TokenRedactingLogger" in makefile
    log_file = tmp_path / "access.log"
    cfg = Config()
    cfg.set("accesslog", str(log_file))
    logger = TokenRedactingLogger(cfg)
    token = "b" * 43

    class Response:
        status = "200 OK"
        sent = 10
        headers = []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/s/{token}/",
        "PATH_INFO": f"/s/{token}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"http://127.0.0.1/s/{token}/",
    }
    logger.access(Response(), {}, environ, timedelta(milliseconds=3))
    logger.error("Error handling request /s/%s/", token)
    for handler in logger.access_log.handlers:
        handler.flush()
    written = log_file.read_text()
    assert "GET /s/[token]/ HTTP/1.1" in written
    assert token not in written


@pytest.mark.django_db
def test_item6_django_request_warnings_never_write_a_share_token(client, caplog):
    token = "c" * 43
    handler = logging.getLogger().handlers[0]
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    capture = Capture()
    capture.filters = list(handler.filters)
    logging.getLogger("django.request").addHandler(capture)
    try:
        assert client.get(f"/s/{token}/").status_code == 404
    finally:
        logging.getLogger("django.request").removeHandler(capture)
    assert records and all(token not in message for message in records)


# 7. Production secret key -------------------------------------------------------------


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY")
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "manage.py", "check", "--deploy"],
        env={**clean, "DJANGO_ALLOWED_HOSTS": "wingman.example.com", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_item7_check_deploy_fails_with_the_demo_secret_key():
    result = _check_deploy({"DJANGO_DEBUG": "false"})
    assert result.returncode != 0
    assert "wingman.E001" in result.stderr + result.stdout


def test_item7_check_deploy_passes_the_key_check_with_a_real_key():
    key = "x7#kP2!vQ9zL$mN4@rT8^wY1&bC6*eF3(hJ5)uI0-oA9=sD2+gH4"
    result = _check_deploy({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": key})
    assert "wingman.E001" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


# 11. Prospect downloads are counted after the store served the file -------------------


@pytest.mark.django_db
def test_item11_prospect_download_not_counted_when_the_store_fails(share, monkeypatch):
    link, token = share
    item = ShareLinkItem.objects.get(share=link)

    def unreachable(self, name, mode="rb"):
        raise OSError(errno.EIO, "Input/output error", name)

    monkeypatch.setattr(FileSystemStorage, "open", unreachable)
    client = Client(raise_request_exception=False)
    url = reverse(
        "content:share_public_file", kwargs={"token": token, "item_pk": item.pk}
    )
    response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 503
    item.refresh_from_db()
    link.refresh_from_db()
    assert item.download_count == 0 and link.download_count == 0
    assert not ShareEvent.objects.filter(kind="download").exists()
    monkeypatch.undo()
    response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.download_count == 1


# 8. Password reset flood --------------------------------------------------------------


def _reset(client: Client, email: str, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


@pytest.mark.django_db
def test_item8_password_reset_flood_sends_a_few_emails_per_address(
    client, mailoutbox, settings
):
    UserFactory(username="riley", email="riley@example.com")
    answers = set()
    for n in range(33):
        # Many client addresses, and the address written differently.
        email = "riley@example.com" if n % 2 else "RILEY@Example.com"
        response = _reset(client, email, REMOTE_ADDR=f"203.0.113.{n + 1}")
        answers.add((response.status_code, response["Location"]))
    assert len(mailoutbox) == settings.WINGMAN_PASSWORD_RESET_LIMIT == 3
    # Every answer was the usual one: the flood learns nothing.
    assert answers == {(302, reverse("accounts:password_reset_done"))}


@pytest.mark.django_db
def test_item8_password_reset_answers_alike_for_unknown_and_known_addresses(
    client, mailoutbox
):
    UserFactory(username="riley", email="riley@example.com")
    known = [_reset(client, "riley@example.com") for _ in range(5)]
    unknown = [_reset(client, "nobody@example.com") for _ in range(5)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert {r["Location"] for r in known + unknown} == {
        reverse("accounts:password_reset_done")
    }
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_item8_password_reset_is_throttled_per_client_address(
    client, mailoutbox, settings
):
    settings.WINGMAN_PASSWORD_RESET_CLIENT_LIMIT = 5
    UserFactory(username="riley", email="riley@example.com")
    for n in range(5):
        assert _reset(client, f"someone{n}@example.com").status_code == 302
    refused = _reset(client, "riley@example.com")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mailoutbox == []
    # Another client is not affected.
    other = _reset(Client(), "riley@example.com", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302
    assert len(mailoutbox) == 1


# 2. Unbounded request bodies -----------------------------------------------------


GIB = 1024**3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/password-reset/", "/s/" + "a" * 43 + "/"]
)
def test_item2_anonymous_oversized_body_is_refused_before_it_is_read(
    client, path, monkeypatch
):
    """A 1 GiB declared body is answered 413 without reading a byte of it."""
    read = []
    monkeypatch.setattr(
        "django.core.handlers.wsgi.LimitedStream.read",
        lambda self, *a: read.append(a) or b"",
    )
    response = client.generic(
        "POST",
        path,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(GIB),
    )
    assert response.status_code == 413
    assert "more than Wingman accepts" in response.content.decode()
    assert read == []


@pytest.mark.django_db
def test_item2_body_of_unknown_length_is_refused(client):
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411


@pytest.mark.django_db
def test_item2_signed_in_views_refuse_oversized_bodies_too(rep_client):
    response = rep_client.generic(
        "POST",
        reverse("content:notifications"),
        b"action=read_all",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(11 * 1024 * 1024),
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_item2_login_form_takes_no_file_part(client, monkeypatch):
    """A file part sent to a form without a file field is never spooled."""
    from django.core.files import uploadedfile

    spooled = []
    original = uploadedfile.TemporaryUploadedFile.__init__

    def record(self, *args, **kwargs):
        spooled.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", record)
    UserFactory(username="riley")
    payload = SimpleUploadedFile("big.bin", b"\0" * (3 * 1024 * 1024))
    response = client.post(
        reverse("accounts:login"),
        {"username": "riley", "password": PASSWORD, "file": payload},
    )
    assert response.status_code == 302  # the form itself still works
    assert spooled == []


@pytest.mark.django_db
def test_item2_upload_views_keep_their_larger_limit(marketer_client, settings):
    """An upload view accepts a body over the general limit, within its own."""
    settings.WINGMAN_MAX_REQUEST_BYTES = 1024 * 1024
    stage = StageFactory()
    response = marketer_client.post(
        reverse("content:asset_add"),
        {
            "kind": "one_pager",
            "title": "Big deck",
            "audience": "internal",
            "stages": [stage.pk],
            "file": SimpleUploadedFile("deck.pdf", pdf_bytes("Big") + b"\0" * 2**21),
        },
    )
    assert response.status_code != 413
    assert Asset.objects.filter(title="Big deck").exists()


@pytest.mark.django_db(transaction=True)
def test_item2_real_server_answers_413_before_the_body_is_sent(live_server):
    """Over a real socket: headers announce 1 GiB, the answer comes at once."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\n"
            + f"Host: {host}:{port}\r\nX-Forwarded-Proto: https\r\n".encode()
            + b"Content-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {GIB}\r\n\r\n".encode()
            + b'--x\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n'
            + b"\0" * 65536
        )
        answer = conn.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]


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
