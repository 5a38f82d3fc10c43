"""Two factors for local accounts (allauth.mfa's TOTP and recovery codes), the
enrolment a setting requires, and the switch that turns password login off."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from accounts.mfa import SETUP_SECRET
from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _password_login(client, user):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )


@pytest.fixture
def enrolled_admin(db):
    admin = UserFactory(username="ada", admin=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    codes = RecoveryCodes.activate(admin).get_unused_codes()
    return admin, secret, codes


def test_a_right_password_alone_does_not_log_in_an_enrolled_user(enrolled_admin):
    admin, _, _ = enrolled_admin
    client = Client()
    response = _password_login(client, admin)
    assert response["Location"] == reverse("accounts:mfa_login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_the_right_code_logs_in(enrolled_admin):
    admin, secret, _ = enrolled_admin
    client = Client()
    _password_login(client, admin)
    response = client.post(
        reverse("accounts:mfa_login"), {"code": current_code(secret)}
    )
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_a_wrong_code_is_refused_and_five_send_back_to_the_password(enrolled_admin):
    admin, _, _ = enrolled_admin
    client = Client()
    _password_login(client, admin)
    response = client.post(reverse("accounts:mfa_login"), {"code": "000000"})
    assert response.status_code == 400
    assert b"That code is not right" in response.content
    for _ in range(4):
        response = client.post(reverse("accounts:mfa_login"), {"code": "000000"})
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_code_is_good_once(enrolled_admin):
    admin, secret, _ = enrolled_admin
    code = current_code(secret)
    first = Client()
    _password_login(first, admin)
    first.post(reverse("accounts:mfa_login"), {"code": code})
    second = Client()
    _password_login(second, admin)
    response = second.post(reverse("accounts:mfa_login"), {"code": code})
    assert response.status_code == 400


def test_a_recovery_code_logs_in_once(enrolled_admin):
    admin, _, codes = enrolled_admin
    client = Client()
    _password_login(client, admin)
    response = client.post(reverse("accounts:mfa_login"), {"code": codes[0]})
    assert response["Location"] == reverse("home")
    again = Client()
    _password_login(again, admin)
    assert (
        again.post(reverse("accounts:mfa_login"), {"code": codes[0]}).status_code == 400
    )


def test_the_second_step_without_a_password_goes_to_login(client):
    response = client.get(reverse("accounts:mfa_login"))
    assert response["Location"] == reverse("accounts:login")


def test_empty_code_is_a_form_error(enrolled_admin):
    admin, _, _ = enrolled_admin
    client = Client()
    _password_login(client, admin)
    response = client.post(reverse("accounts:mfa_login"), {"code": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content


# --- required enrolment ---------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MARKETER])
def test_a_required_role_sees_nothing_before_enrolling(settings, role):
    settings.WINGMAN_MFA_REQUIRED_ROLES = ["admin", "marketer"]
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    for path in (reverse("home"), reverse("accounts:profile"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("accounts:mfa_setup")
    assert client.get(reverse("accounts:mfa_setup")).status_code == 200


def test_enrolment_with_the_right_code_opens_the_site(settings):
    settings.WINGMAN_MFA_REQUIRED_ROLES = ["admin"]
    admin = UserFactory(admin=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("accounts:mfa_setup"))
    assert b"data:image/svg+xml;base64," in page.content
    secret = client.session[SETUP_SECRET]
    bad = client.post(reverse("accounts:mfa_setup"), {"code": "123456"})
    assert bad.status_code == 400
    assert not Authenticator.objects.filter(user=admin).exists()
    done = client.post(reverse("accounts:mfa_setup"), {"code": current_code(secret)})
    assert done.status_code == 200
    assert b"recovery codes" in done.content
    assert Authenticator.objects.filter(user=admin).count() == 2
    assert client.get(reverse("home")).status_code == 200


def test_reps_and_sso_users_are_not_asked(settings):
    settings.WINGMAN_MFA_REQUIRED_ROLES = ["admin", "marketer"]
    rep = UserFactory(role=Role.REP)
    sso_admin = UserFactory(admin=True)
    sso_admin.set_unusable_password()
    sso_admin.save()
    for user in (rep, sso_admin):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200


def test_logout_stays_open_while_enrolment_is_due(settings):
    settings.WINGMAN_MFA_REQUIRED_ROLES = ["admin"]
    client = Client()
    client.force_login(UserFactory(admin=True))
    assert client.post(reverse("accounts:logout"))["Location"] == reverse(
        "accounts:login"
    )


# --- password login switched off -------------------------------------------------


def test_local_login_off_hides_the_form_and_refuses_passwords(settings):
    settings.WINGMAN_LOCAL_LOGIN = False
    rep = UserFactory(role=Role.REP)
    client = Client()
    page = client.get(reverse("accounts:login"))
    assert b'name="password"' not in page.content
    assert b"?break-glass" in page.content
    response = _password_login(client, rep)
    assert response.status_code == 200
    assert b"Password sign-in is switched off" in response.content
    assert "_auth_user_id" not in client.session


def test_break_glass_lets_admins_in_only(settings):
    settings.WINGMAN_LOCAL_LOGIN = False
    admin = UserFactory(admin=True)
    marketer = UserFactory(role=Role.MARKETER)
    page = Client().get(reverse("accounts:login") + "?break-glass")
    assert b'name="password"' in page.content
    client = Client()
    assert _password_login(client, admin)["Location"] == reverse("home")
    other = Client()
    _password_login(other, marketer)
    assert "_auth_user_id" not in other.session


def test_break_glass_can_be_switched_off_too(settings):
    settings.WINGMAN_LOCAL_LOGIN = False
    settings.WINGMAN_BREAK_GLASS_LOGIN = False
    admin = UserFactory(admin=True)
    client = Client()
    assert b"break-glass" not in client.get(reverse("accounts:login")).content
    _password_login(client, admin)
    assert "_auth_user_id" not in client.session


def test_axes_still_locks_out_password_guessing(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory(username="riley")
    client = Client()
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "riley", "password": "x"})
    response = _password_login(client, user)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_totp_secrets_are_stored_encrypted(enrolled_admin, settings):
    admin, secret, _ = enrolled_admin
    stored = Authenticator.objects.get(user=admin, type="totp").data["secret"]
    assert secret not in stored
    # A rotated SECRET_KEY still reads old enrolments through the fallbacks.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    client = Client()
    _password_login(client, admin)
    response = client.post(
        reverse("accounts:mfa_login"), {"code": current_code(secret)}
    )
    assert response["Location"] == reverse("home")


def test_the_second_step_keeps_a_safe_next_and_drops_an_offsite_one(enrolled_admin):
    admin, secret, _ = enrolled_admin
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": admin.username, "password": PASSWORD, "next": "/search/"},
    )
    response = client.post(
        reverse("accounts:mfa_login"), {"code": current_code(secret)}
    )
    assert response["Location"] == "/search/"
    evil = Client()
    evil.post(
        reverse("accounts:login"),
        {
            "username": admin.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    from django.core.cache import cache

    cache.clear()  # the same TOTP code again
    response = evil.post(reverse("accounts:mfa_login"), {"code": current_code(secret)})
    assert response["Location"] == reverse("home")


def test_profile_links_two_factor_setup_for_password_accounts_only(rep_client, rep):
    assert (
        reverse("accounts:mfa_setup").encode()
        in rep_client.get(reverse("accounts:profile")).content
    )
    rep.set_unusable_password()
    rep.save()
    client = Client()
    client.force_login(rep)
    page = client.get(reverse("accounts:profile")).content
    assert reverse("accounts:mfa_setup").encode() not in page
    assert b"single sign-on" in page
