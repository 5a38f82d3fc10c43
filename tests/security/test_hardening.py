"""Defences that hold on every page: CSP without inline script, secure cookies,
uploads that are never run or rendered as HTML. (Throttling and no self-sign-up:
tests/accounts/test_auth.py; `check --deploy`: tests/test_settings.py.)"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from content.models import Asset, Version
from tests.factories import PASSWORD, UserFactory, VersionFactory
from tests.security.test_permission_matrix import LOGIN, MATRIX, OK
from tests.security.world import build_world

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# An executable <script> without src; JSON data blocks are not executed.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from directory.rglob("*.html")


def test_no_template_has_an_inline_script_handler_or_javascript_url():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL):
            offenders += [
                f"{path.relative_to(ROOT)}: {m}" for m in pattern.findall(text)
            ]
    assert offenders == []


def _script_src(policy: str) -> str:
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";")
    )
    return directives.get("script-src") or directives.get("default-src", "")


@pytest.mark.django_db
def test_every_page_sends_a_strict_csp_and_renders_no_inline_script():
    """Every GET row of the permission matrix, as each role that may open it."""
    world = build_world()
    roles = ["anonymous", "partner", "rep", "marketer", "admin"]
    clients = {"anonymous": Client()}
    for role in roles[1:]:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    checked = 0
    for name, kwargs, method, *expected in MATRIX:
        if method != "get":
            continue
        role = next(
            (r for r, status in zip(roles, expected, strict=True) if status == OK),
            None,
        )
        if role is None or expected[0] == LOGIN and role == "anonymous":
            continue
        response = clients[role].get(reverse(name, kwargs=kwargs(world)))
        if response.status_code != 200:
            continue
        policy = response.headers.get("Content-Security-Policy", "")
        script_src = _script_src(policy)
        assert "'self'" in script_src, (name, policy)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        if "html" in response.get("Content-Type", "") and not response.streaming:
            body = response.content.decode()
            assert not INLINE_SCRIPT.findall(body), name
            assert not INLINE_HANDLER.findall(body), name
        checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_login_sets_secure_httponly_session_and_csrf_cookies(client):
    # Tests run with DEBUG off: the production cookie settings are in force.
    user = UserFactory(username="cookie-rep")
    client.get(reverse("accounts:login"))
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"].lower() == "lax"


@pytest.mark.django_db
def test_no_url_lets_anyone_sign_up_or_pick_a_role(client, rep_client, rep):
    from tests.security.test_permission_matrix import _all_url_names

    assert not [
        n for n in _all_url_names() if re.search(r"sign.?up|regist|join|invite", n)
    ]
    for path in ("/accounts/signup/", "/accounts/register/"):
        assert client.post(path, {"username": "x", "role": "admin"}).status_code in (
            302,
            404,
        )
    # A logged-in rep cannot raise their own role through their profile.
    rep_client.post(reverse("accounts:profile"), {"role": "admin", "is_staff": "on"})
    rep.refresh_from_db()
    assert rep.role == "rep" and not rep.is_staff


HOSTILE_UPLOADS = [
    ("deck.pdf", b"<!doctype html><script>alert(document.cookie)</script>"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("page.html", b"<html><body onload=alert(1)>hi</body></html>"),
    ("notes.txt", b"<script>alert(1)</script>"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,data", HOSTILE_UPLOADS, ids=[n for n, _ in HOSTILE_UPLOADS]
)
def test_uploaded_files_are_never_served_as_html_or_inline_script(
    marketer_client, rep, stage, name, data
):
    response = marketer_client.post(
        reverse("content:asset_add"),
        {
            "kind": "one_pager",
            "title": f"Hostile {name}",
            "audience": "internal",
            "stages": [stage.pk],
            "file": SimpleUploadedFile(name, data, content_type="text/html"),
        },
    )
    version = Version.objects.filter(asset__title=f"Hostile {name}").first()
    if version is None:
        # Refused from its bytes: the form says why, nothing is stored.
        assert response.status_code == 200
        assert not Asset.objects.filter(title=f"Hostile {name}").exists()
        return
    # Accepted as what its bytes are (e.g. plain text): never HTML, never inline.
    assert "html" not in version.content_type and "svg" not in version.content_type
    for query in ("", "?inline=1"):
        served = marketer_client.get(
            reverse("content:download", kwargs={"pk": version.pk}) + query
        )
        assert served["X-Content-Type-Options"] == "nosniff"
        assert "html" not in served["Content-Type"]
        assert "svg" not in served["Content-Type"]
        assert served["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_stored_text_file_downloads_as_an_attachment_even_when_asked_inline(
    rep_client, stage
):
    version = VersionFactory(asset__stages=[stage])
    version.asset.current_version = version
    version.asset.save(update_fields=["current_version"])
    url = reverse("content:download", kwargs={"pk": version.pk}) + "?inline=1"
    served = rep_client.get(url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
