"""Issue 12, "Security and robustness": secrets in sessions and logs, the
production key, counted downloads and the password-reset flood (items 6, 7, 8, 11)."""

import errno
import logging
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from content.models import ShareEvent, ShareLink, ShareLinkItem
from content.services.sharing import share_token_hash
from enablement.log_filters import redact_share_tokens
from tests.factories import (
    AssetFactory,
    DealFactory,
    UserFactory,
    VersionFactory,
)
from tests.security.review_helpers import BROWSER, ROOT, SOON

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
