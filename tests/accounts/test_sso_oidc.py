"""Single sign-on through OpenID Connect, against oidc-provider-mock running in
this test session (a thread on localhost: offline)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import Role, User
from tests.accounts.sso_fixtures import oidc_sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_offers_sign_in_with_the_provider(client, sso_settings):
    response = client.get(reverse("accounts:login"))
    assert b"Sign in with Mock IdP" in response.content
    assert b'action="/accounts/oidc/mock/login/"' in response.content


def test_login_page_has_no_sso_button_when_none_is_configured(client):
    assert b"Sign in with" not in client.get(reverse("accounts:login")).content


def test_first_sign_in_creates_the_user_with_the_mapped_role(client, sso_settings):
    response = oidc_sign_in(client, "alice")
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="alice")
    assert user.role == Role.MARKETER
    assert user.email == "alice@corp.example"
    assert not user.has_usable_password()
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("home")).status_code == 200


def test_second_sign_in_follows_a_group_change(client, sso_settings, settings):
    oidc_sign_in(client, "carol")
    assert User.objects.get(username="carol").role == Role.REP
    client.post(reverse("accounts:logout"))
    settings.WINGMAN_SSO_ROLE_MAP = {"sales": "admin"}
    oidc_sign_in(client, "carol")
    carol = User.objects.get(username="carol")
    assert carol.role == Role.ADMIN and carol.is_staff
    assert User.objects.filter(username__startswith="carol").count() == 1


def test_no_mapped_group_is_refused_and_nothing_is_written(client, sso_settings):
    users_before = User.objects.count()
    response = oidc_sign_in(client, "bob")
    assert response.status_code == 403
    assert b"none of the groups that give access" in response.content
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def test_just_in_time_creation_can_be_switched_off(client, sso_settings, settings):
    settings.WINGMAN_SSO_JIT = False
    response = oidc_sign_in(client, "alice")
    assert response.status_code == 403
    assert not User.objects.filter(username="alice").exists()


def test_a_provisioned_user_is_linked_not_duplicated(client, sso_settings):
    provisioned = UserFactory(username="alice", email="alice@corp.example")
    provisioned.set_unusable_password()
    provisioned.save()
    oidc_sign_in(client, "alice")
    assert client.session["_auth_user_id"] == str(provisioned.pk)
    assert SocialAccount.objects.get().user == provisioned


def test_a_password_account_is_never_taken_over(client, sso_settings):
    local = UserFactory(username="alice-local", email="alice@corp.example")
    response = oidc_sign_in(client, "alice")
    assert response.status_code == 403
    assert not SocialAccount.objects.filter(user=local).exists()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_is_refused(client, sso_settings):
    oidc_sign_in(client, "alice")
    client.post(reverse("accounts:logout"))
    User.objects.filter(username="alice").update(is_active=False)
    response = oidc_sign_in(client, "alice")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_nobody_picks_a_role_in_the_flow(client, sso_settings):
    """A role sent along with the login request is ignored: only groups count."""
    client.post("/accounts/oidc/mock/login/", {"role": "admin", "is_staff": "on"})
    oidc_sign_in(client, "carol")
    assert User.objects.get(username="carol").role == Role.REP


def test_local_sign_up_stays_closed(client, sso_settings):
    for path in ("/accounts/signup/", "/accounts/3rdparty/signup/"):
        assert client.post(path, {"username": "x", "role": "admin"}).status_code in (
            302,
            404,
        )
    assert not User.objects.filter(username="x").exists()


def test_the_login_page_lets_its_forms_lead_to_the_idp_only(
    client, sso_settings, oidc_server
):
    csp = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_server}" in csp
    # Other pages keep form-action 'self' alone.
    assert (
        "form-action 'self';"
        in client.get("/accounts/password-reset/")["Content-Security-Policy"] + ";"
    )
