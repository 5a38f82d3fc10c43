"""Personal API tokens: hashed, shown once, revocable; a bad token is always 401."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services_tokens import (
    MAX_ACTIVE_TOKENS,
    api_token_create,
    api_token_revoke,
)

ME = "/api/v1/me/"
pytestmark = pytest.mark.django_db


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_token_is_stored_as_a_hash_never_as_the_key(rep):
    token, key = api_token_create(user=rep, name="CRM sync")
    assert len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix)


def test_two_tokens_never_share_a_key(rep):
    keys = {api_token_create(user=rep, name=f"t{i}")[1] for i in range(5)}
    assert len(keys) == 5


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token", "bearer"])
def test_token_authenticates_with_token_or_bearer_keyword(rep, keyword):
    _token, key = api_token_create(user=rep, name="cli")
    response = client_with(f"{keyword} {key}").get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == rep.username
    assert response.json()["role"] == "rep"


@pytest.mark.parametrize(
    "header",
    [
        "Token wm_not-a-real-key-at-all-0000000000000000000000",
        "Token nonsense",
        "Bearer ",
        "Token a b",
        "Token",
    ],
)
def test_wrong_or_malformed_token_gets_401_json(rep, header):
    response = client_with(header).get(ME)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Token")


def test_revoked_token_gets_401(rep):
    token, key = api_token_create(user=rep, name="old")
    api_token_revoke(user=rep, token=token)
    response = client_with(f"Token {key}").get(ME)
    assert response.status_code == 401


def test_token_of_a_deactivated_user_gets_401(rep):
    _token, key = api_token_create(user=rep, name="cli")
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    assert client_with(f"Token {key}").get(ME).status_code == 401


def test_no_credentials_gets_401_json(db):
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_session_login_works_for_the_browser(rep_client, rep):
    response = rep_client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == rep.username


def test_using_a_token_records_when_it_was_last_used(rep):
    token, key = api_token_create(user=rep, name="cli")
    assert token.last_used_at is None
    client_with(f"Token {key}").get(ME)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_nobody_revokes_someone_elses_token(rep, other_rep):
    token, _key = api_token_create(user=rep, name="mine")
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=other_rep, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_user_has_at_most_a_few_active_tokens(rep):
    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=rep, name=f"t{i}")
    with pytest.raises(ValidationError):
        api_token_create(user=rep, name="one too many")


# The profile page ---------------------------------------------------------------


def test_profile_page_lists_tokens_and_offers_a_form(rep_client, rep):
    api_token_create(user=rep, name="CRM sync")
    response = rep_client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "API tokens" in body
    assert "CRM sync" in body
    assert reverse("accounts:token_add") in body


def test_new_key_is_shown_once_then_never_again(rep_client, rep):
    response = rep_client.post(reverse("accounts:token_add"), {"name": "CRM sync"})
    assert response.status_code == 201
    token = ApiToken.objects.get(user=rep)
    body = response.content.decode()
    shown = body.split('id="new-api-key" value="')[1].split('"')[0]
    assert hashlib.sha256(shown.encode()).hexdigest() == token.key_hash
    again = rep_client.get(reverse("accounts:profile")).content.decode()
    assert shown not in again
    assert token.prefix in again


def test_token_without_a_name_is_refused_with_a_message(rep_client, rep):
    response = rep_client.post(reverse("accounts:token_add"), {"name": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.filter(user=rep).exists()


def test_revoking_from_the_profile_page(rep_client, rep):
    token, key = api_token_create(user=rep, name="old")
    response = rep_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client_with(f"Token {key}").get(ME).status_code == 401


def test_cannot_revoke_another_users_token_from_the_page(client_for, rep, other_rep):
    token, _key = api_token_create(user=rep, name="mine")
    response = client_for(other_rep).post(
        reverse("accounts:token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# Rate limiting ------------------------------------------------------------------


def test_each_token_is_rate_limited_on_its_own(rep, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }
    _t1, key1 = api_token_create(user=rep, name="one")
    _t2, key2 = api_token_create(user=rep, name="two")
    first = client_with(f"Token {key1}")
    statuses = [first.get(ME).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = first.get(ME)
    assert limited.json()["detail"]
    assert "Retry-After" in limited
    assert client_with(f"Token {key2}").get(ME).status_code == 200
