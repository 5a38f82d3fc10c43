"""SCIM 2.0 provisioning: tokens, Users and Groups, deactivation, roles."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, Role, ScimGroup, ScimToken, User
from accounts.services_scim import scim_key_hash, scim_token_create
from accounts.services_tokens import api_token_create
from tests.accounts.sso_fixtures import ROLE_MAP, oidc_sign_in

pytestmark = pytest.mark.django_db
SCIM = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def scim_secret(admin_user, settings):
    settings.WINGMAN_SSO_ROLE_MAP = ROLE_MAP
    _, secret = scim_token_create(created_by=admin_user, name="Okta")
    return secret


@pytest.fixture
def scim(scim_secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {scim_secret}")


def _send(client, method, path, body=None):
    return getattr(client, method)(
        f"/scim/v2/{path}", data=json.dumps(body or {}), content_type=SCIM
    )


def _create_user(scim, username="erin@corp.example", email=None, **extra):
    body = {
        "schemas": [USER_SCHEMA],
        "userName": username,
        "name": {"givenName": "Erin", "familyName": "Eve"},
        "emails": [{"value": email or username, "primary": True}],
        "active": True,
        **extra,
    }
    response = _send(scim, "post", "Users", body)
    assert response.status_code == 201, response.content
    return response.json()


def _create_group(scim, name, member_ids=()):
    body = {
        "schemas": [GROUP_SCHEMA],
        "displayName": name,
        "members": [{"value": i} for i in member_ids],
    }
    response = _send(scim, "post", "Groups", body)
    assert response.status_code == 201, response.content
    return response.json()


# --- tokens ---------------------------------------------------------------------


def test_only_admins_create_scim_tokens(marketer):
    with pytest.raises(PermissionDenied):
        scim_token_create(created_by=marketer, name="Okta")
    assert not ScimToken.objects.exists()


def test_only_the_hash_of_the_secret_is_stored(scim_secret):
    token = ScimToken.objects.get()
    assert token.key_hash == scim_key_hash(scim_secret)
    assert scim_secret not in str(token.__dict__)


def test_the_management_command_prints_the_secret_once(admin_user, rep, capsys):
    call_command("scim_token_create", name="Okta", admin=admin_user.username)
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert ScimToken.objects.get().key_hash == scim_key_hash(secret)
    with pytest.raises(CommandError, match="Only admins"):
        call_command("scim_token_create", name="x", admin=rep.username)


def test_admin_page_creates_a_token_and_shows_its_secret_once(admin_client_):
    response = admin_client_.post(
        reverse("admin:accounts_scimtoken_add"), {"name": "Okta"}
    )
    assert response.status_code == 200
    secret = response.content.decode().split('<code id="scim-secret">')[1].split("<")[0]
    assert ScimToken.objects.get().key_hash == scim_key_hash(secret)
    assert "no-cache" in response["Cache-Control"]
    listing = admin_client_.get(reverse("admin:accounts_scimtoken_changelist"))
    assert secret.encode() not in listing.content


def test_no_token_a_wrong_one_or_a_session_is_401(scim_secret, admin_client_, rep):
    assert Client().get("/scim/v2/Users").status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer wmscim_nope")
    assert bad.get("/scim/v2/Users").status_code == 401
    # An admin's session opens the admin, never SCIM.
    assert admin_client_.get("/scim/v2/Users").status_code == 401
    _, api_key = api_token_create(user=rep, name="crm")
    personal = Client(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert personal.get("/scim/v2/Users").status_code == 401


def test_a_revoked_token_is_refused(scim):
    assert scim.get("/scim/v2/Users").status_code == 200
    from accounts.services_scim import scim_token_revoke

    scim_token_revoke(token=ScimToken.objects.get())
    assert scim.get("/scim/v2/Users").status_code == 401


def test_a_scim_token_opens_nothing_but_scim(scim):
    for path in ("/", "/api/v1/assets/", reverse("admin:index")):
        response = scim.get(path)
        assert response.status_code in (302, 401, 403), (path, response.status_code)


# --- users -------------------------------------------------------------------------


def test_create_makes_a_user_without_a_password(scim):
    data = _create_user(scim)
    user = User.objects.get(username="erin@corp.example")
    assert data["id"] == user.scim_id
    assert data["active"] is True
    assert not user.has_usable_password()
    assert user.first_name == "Erin"


def test_a_password_or_a_role_in_the_payload_is_ignored(scim):
    _create_user(scim, password="chosen-by-me-42", role="admin", is_staff=True)
    user = User.objects.get(username="erin@corp.example")
    assert not user.has_usable_password()
    assert user.role == Role.REP and not user.is_staff


def test_update_changes_the_name(scim):
    data = _create_user(scim)
    body = {**data, "name": {"givenName": "Erina", "familyName": "Eve"}}
    response = _send(scim, "put", f"Users/{data['id']}", body)
    assert response.status_code == 200, response.content
    assert User.objects.get(pk=data["id"]).first_name == "Erina"


def test_bad_input_is_a_scim_error_and_writes_nothing(scim):
    before = User.objects.count()
    response = _send(scim, "post", "Users", {"schemas": [USER_SCHEMA]})
    assert response.status_code == 400
    response = _send(
        scim,
        "post",
        "Users",
        {"schemas": [USER_SCHEMA], "userName": "x", "emails": [{"value": "nope"}]},
    )
    assert response.status_code == 400
    assert User.objects.count() == before


def test_patch_active_false_logs_out_everywhere_and_kills_api_tokens(scim, client):
    data = _create_user(scim)
    user = User.objects.get(pk=data["id"])
    client.force_login(user)
    other_browser = Client()
    other_browser.force_login(user)
    _, api_key = api_token_create(user=user, name="crm")
    api = Client(HTTP_AUTHORIZATION=f"Token {api_key}")
    assert api.get("/api/v1/assets/").status_code == 200

    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "value": {"active": False}}],
    }
    response = _send(scim, "patch", f"Users/{data['id']}", body)
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False

    user.refresh_from_db()
    assert not user.is_active
    from django.contrib.sessions.models import Session

    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert client.get(reverse("home")).status_code == 302
    assert other_browser.get(reverse("home")).status_code == 302
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert api.get("/api/v1/assets/").status_code == 401


def test_put_active_false_deactivates_too(scim):
    data = _create_user(scim)
    user = User.objects.get(pk=data["id"])
    api_token_create(user=user, name="crm")
    response = _send(scim, "put", f"Users/{data['id']}", {**data, "active": False})
    assert response.status_code == 200
    assert not User.objects.get(pk=user.pk).is_active
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_delete_deactivates_and_unlinks_but_keeps_history(scim):
    data = _create_user(scim)
    assert scim.delete(f"/scim/v2/Users/{data['id']}").status_code == 204
    user = User.objects.get(username="erin@corp.example")
    assert not user.is_active and user.scim_id is None
    assert scim.get(f"/scim/v2/Users/{data['id']}").status_code == 404


def test_filter_by_username(scim):
    _create_user(scim)
    response = scim.get("/scim/v2/Users", {"filter": 'userName eq "erin@corp.example"'})
    assert response.status_code == 200
    assert response.json()["totalResults"] == 1


# --- groups and roles -----------------------------------------------------------


def test_a_mapped_group_gives_its_members_their_role(scim):
    user = _create_user(scim)
    _create_group(scim, "marketing", [user["id"]])
    assert User.objects.get(pk=user["id"]).role == Role.MARKETER


def test_adding_to_the_admin_group_by_patch_makes_an_admin(scim):
    user = _create_user(scim)
    group = _create_group(scim, "wingman-admins")
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {"op": "add", "path": "members", "value": [{"value": user["id"]}]}
        ],
    }
    response = _send(scim, "patch", f"Groups/{group['id']}", body)
    assert response.status_code == 200, response.content
    erin = User.objects.get(pk=user["id"])
    assert erin.role == Role.ADMIN and erin.is_staff


def test_an_unmapped_group_changes_no_role(scim):
    user = _create_user(scim)
    _create_group(scim, "everyone", [user["id"]])
    assert User.objects.get(pk=user["id"]).role == Role.REP


def test_a_group_with_an_unknown_member_is_refused(scim):
    response = _send(
        scim,
        "post",
        "Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "displayName": "sales",
            "members": [{"value": "999"}],
        },
    )
    assert response.status_code == 400
    assert not ScimGroup.objects.exists()


def test_group_lookup_by_display_name(scim):
    _create_group(scim, "sales")
    response = scim.get("/scim/v2/Groups", {"filter": 'displayName eq "sales"'})
    assert response.status_code == 200
    assert response.json()["totalResults"] == 1


def test_a_scim_created_user_signs_in_by_sso(scim, sso_settings):
    """SCIM create, then the person's first OIDC sign-in lands on that user."""
    data = _create_user(scim, username="carol", email="carol@corp.example")
    client = Client()
    response = oidc_sign_in(client, "carol")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(data["id"])
    assert User.objects.filter(username__istartswith="carol").count() == 1


def test_a_scim_deactivated_user_cannot_sign_in_by_sso(scim, sso_settings):
    data = _create_user(scim, username="carol", email="carol@corp.example")
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "value": {"active": False}}],
    }
    _send(scim, "patch", f"Users/{data['id']}", body)
    client = Client()
    response = oidc_sign_in(client, "carol")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_admin_deactivation_ends_sessions_and_tokens(admin_client_, rep):
    _, key = api_token_create(user=rep, name="crm")
    rep_browser = Client()
    rep_browser.force_login(rep)
    form = admin_client_.get(reverse("admin:accounts_user_change", args=[rep.pk]))
    assert form.status_code == 200
    from accounts.services_sso import user_deactivate

    user_deactivate(user=rep)
    assert rep_browser.get(reverse("home")).status_code == 302
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/assets/").status_code
        == 401
    )


def test_a_taken_username_is_a_409_and_writes_nothing(scim):
    _create_user(scim)
    before = User.objects.count()
    body = {
        "schemas": [USER_SCHEMA],
        "userName": "erin@corp.example",
        "emails": [{"value": "other@corp.example", "primary": True}],
    }
    response = _send(scim, "post", "Users", body)
    assert response.status_code == 409, response.content
    assert User.objects.count() == before
