import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_public(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b"Log in to Wingman" in response.content


def test_login_with_right_password_lands_on_the_roadmap(client):
    UserFactory(username="riley", role=Role.REP)
    response = client.post(
        reverse("accounts:login"), {"username": "riley", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_wrong_password_shows_an_error_and_logs_nobody_in(client):
    UserFactory(username="riley", role=Role.REP)
    response = client.post(
        reverse("accounts:login"), {"username": "riley", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(rep_client):
    response = rep_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert rep_client.get(reverse("home")).status_code == 302


def test_inactive_user_cannot_log_in(client):
    UserFactory(username="gone", is_active=False)
    response = client.post(
        reverse("accounts:login"), {"username": "gone", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_password_reset_sends_an_email(client, mailoutbox):
    UserFactory(username="riley", email="riley@example.com")
    response = client.post(
        reverse("accounts:password_reset"), {"email": "riley@example.com"}
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_password_change_needs_the_old_password(rep_client):
    response = rep_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-Much-better-pw-42",
            "new_password2": "a-Much-better-pw-42",
        },
    )
    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content


def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="riley")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "riley", "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": "riley", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_there_is_no_self_registration(client):
    assert client.get("/accounts/signup/").status_code in (302, 404)
    assert client.get("/accounts/register/").status_code in (302, 404)
