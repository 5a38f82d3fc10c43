"""Single sign-on through SAML 2.0: responses signed with a certificate made in
the test. A good one logs in; tampered, expired, wrong-audience, unsigned or
foreign-signed ones are refused and nobody is created."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.accounts.sso_fixtures import (
    ROLE_MAP,
    make_certificate,
    saml_post,
    saml_request_id,
    saml_response,
    saml_settings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # Browsers always send Host; python3-saml reads it (Django's client does not).
    return Client(HTTP_HOST="testserver")


@pytest.fixture
def saml(settings, idp_keys):
    cert_pem, key_pem = idp_keys
    settings.WINGMAN_SSO_ROLE_MAP = ROLE_MAP
    settings.SOCIALACCOUNT_PROVIDERS = saml_settings(cert_pem)
    return cert_pem, key_pem


def _respond(client, saml, **kwargs):
    cert_pem, key_pem = saml
    request_id = saml_request_id(client)
    kwargs.setdefault("groups", ["partners"])
    return saml_response(
        key_pem=key_pem, cert_pem=cert_pem, in_response_to=request_id, **kwargs
    )


def _refused(response, client):
    assert response.status_code in (401, 403), response.status_code
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="dana").exists()


def test_login_page_offers_the_saml_provider(client, saml):
    assert b"Sign in with Corp SAML" in client.get(reverse("accounts:login")).content


def test_metadata_is_served_for_the_idp(client, saml):
    response = client.get("/accounts/saml/corp/metadata/")
    assert response.status_code == 200
    assert b"AssertionConsumerService" in response.content


def test_a_signed_response_for_a_mapped_group_logs_in(client, saml):
    response = saml_post(client, _respond(client, saml))
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("home")
    dana = User.objects.get(username="dana")
    assert dana.role == Role.PARTNER
    assert dana.email == "dana@corp.example"
    assert client.session["_auth_user_id"] == str(dana.pk)


def test_a_signed_response_without_a_mapped_group_is_refused(client, saml):
    response = saml_post(client, _respond(client, saml, groups=["everyone"]))
    assert response.status_code == 403
    assert b"none of the groups" in response.content
    _refused(response, client)


def test_a_tampered_response_is_refused(client, saml, caplog):
    signed = base64.b64decode(_respond(client, saml)).decode()
    # Raise the group after signing: the digest no longer matches.
    tampered = signed.replace(">partners<", ">wingman-admins<")
    assert tampered != signed
    response = saml_post(client, base64.b64encode(tampered.encode()).decode())
    _refused(response, client)
    assert b"Single sign-on failed" in response.content
    assert "Signature validation failed" in caplog.text


def test_an_expired_response_is_refused(client, saml, caplog):
    past = datetime.now(UTC) - timedelta(hours=1)
    response = saml_post(client, _respond(client, saml, not_on_or_after=past))
    _refused(response, client)
    assert b"Single sign-on failed" in response.content
    assert "expired" in caplog.text


def test_a_response_for_another_audience_is_refused(client, saml, caplog):
    response = saml_post(
        client, _respond(client, saml, audience="https://other-app.example/saml")
    )
    _refused(response, client)
    assert b"Single sign-on failed" in response.content
    assert "is not a valid audience" in caplog.text


def test_a_response_signed_by_another_key_is_refused(client, saml, caplog):
    other_cert, other_key = make_certificate("Impostor")
    response = saml_post(client, _respond(client, (other_cert, other_key)))
    _refused(response, client)
    assert "Signature validation failed" in caplog.text


def test_an_unsolicited_response_is_refused(client, saml):
    cert_pem, key_pem = saml
    unsolicited = saml_response(
        key_pem=key_pem,
        cert_pem=cert_pem,
        in_response_to="_nobody-asked",
        groups=["partners"],
    )
    response = saml_post(client, unsolicited)
    _refused(response, client)
