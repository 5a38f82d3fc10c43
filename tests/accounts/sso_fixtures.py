"""Identity providers for the tests, offline: the OIDC mock in a thread, and
SAML responses signed with a certificate made here."""

import base64
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from oidc_provider_mock import User as MockUser
from oidc_provider_mock import run_server_in_thread

ROLE_MAP = {
    "sales": "rep",
    "partners": "partner",
    "marketing": "marketer",
    "wingman-admins": "admin",
}
OIDC_USERS = [
    MockUser(
        sub="alice",
        claims={
            "email": "alice@corp.example",
            "preferred_username": "alice",
            "given_name": "Alice",
            "family_name": "Archer",
            "groups": ["everyone", "marketing"],
        },
    ),
    MockUser(
        sub="bob",
        claims={
            "email": "bob@corp.example",
            "preferred_username": "bob",
            "groups": ["everyone"],
        },
    ),
    MockUser(
        sub="carol",
        claims={
            "email": "carol@corp.example",
            "preferred_username": "carol",
            "groups": ["sales"],
        },
    ),
]


@pytest.fixture(scope="session")
def oidc_server():
    with run_server_in_thread(user_claims=OIDC_USERS) as server:
        yield f"http://localhost:{server.server_port}"


def oidc_settings(server_url: str, provider_id: str = "mock") -> dict:
    return {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": provider_id,
                    "name": "Mock IdP",
                    "client_id": "wingman",
                    "secret": "wingman-secret",
                    "settings": {
                        "server_url": server_url,
                        "scope": ["openid", "profile", "email"],
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        },
        "saml": {"APPS": []},
    }


@pytest.fixture
def sso_settings(settings, oidc_server):
    settings.WINGMAN_SSO_ROLE_MAP = ROLE_MAP
    settings.SOCIALACCOUNT_PROVIDERS = oidc_settings(oidc_server)
    return settings


def oidc_sign_in(client, sub: str, provider_id: str = "mock"):
    """The whole round trip through the mock: the final response of Wingman."""
    import requests

    start = client.post(f"/accounts/oidc/{provider_id}/login/")
    assert start.status_code == 302, start.content
    authorize = start["Location"]
    answer = requests.post(
        authorize, data={"sub": sub}, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302, answer.text
    callback = urlparse(answer.headers["Location"])
    assert parse_qs(callback.query).get("code"), answer.headers["Location"]
    return client.get(f"{callback.path}?{callback.query}")


# --- SAML ----------------------------------------------------------------------

IDP_ENTITY_ID = "https://idp.example.test/saml"
SAML_SLUG = "corp"


def make_certificate(common_name: str = "Test IdP") -> tuple[str, str]:
    """A self-signed certificate and its key, PEM, made for this test run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return cert_pem, key_pem


@pytest.fixture(scope="session")
def idp_keys():
    return make_certificate()


def saml_settings(cert_pem: str) -> dict:
    return {
        "openid_connect": {"APPS": []},
        "saml": {
            "APPS": [
                {
                    "name": "Corp SAML",
                    "client_id": SAML_SLUG,
                    "provider_id": IDP_ENTITY_ID,
                    "settings": {
                        "attribute_mapping": {
                            "uid": "uid",
                            "email": "email",
                            "first_name": "firstName",
                            "last_name": "lastName",
                            "username": "username",
                        },
                        "idp": {
                            "entity_id": IDP_ENTITY_ID,
                            "sso_url": "https://idp.example.test/sso",
                            "x509cert": cert_pem,
                        },
                        "advanced": {
                            "want_assertion_signed": True,
                            "strict": True,
                            "reject_idp_initiated_sso": True,
                            # The test client's host is "testserver".
                            "allow_single_label_domains": True,
                        },
                    },
                }
            ]
        },
    }


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def saml_response(
    *,
    key_pem: str,
    cert_pem: str,
    in_response_to: str,
    groups: list[str],
    uid: str = "dana",
    email: str = "dana@corp.example",
    audience: str = "http://testserver/accounts/saml/corp/metadata/",
    acs: str = "http://testserver/accounts/saml/corp/acs/",
    not_on_or_after: datetime | None = None,
) -> str:
    """A Response with one assertion, the assertion signed (RSA-SHA256)."""
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    now = datetime.now(UTC)
    until = not_on_or_after or now + timedelta(minutes=5)
    assertion_id = "_" + uuid.uuid4().hex
    group_values = "".join(
        f"<saml:AttributeValue>{g}</saml:AttributeValue>" for g in groups
    )
    attrs = {"uid": uid, "email": email, "username": uid, "firstName": "Dana"}
    attr_xml = "".join(
        f'<saml:Attribute Name="{n}"><saml:AttributeValue>{v}</saml:AttributeValue>'
        "</saml:Attribute>"
        for n, v in attrs.items()
    )
    assertion = (
        '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="{assertion_id}" Version="2.0" IssueInstant="{_iso(now)}">'
        f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>"
        "<saml:Subject>"
        '<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">'
        f"{uid}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{_iso(until)}" '
        f'Recipient="{acs}" InResponseTo="{in_response_to}"/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{_iso(now - timedelta(minutes=1))}" '
        f'NotOnOrAfter="{_iso(until)}">'
        f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{_iso(now)}" '
        f'SessionIndex="{assertion_id}">'
        "<saml:AuthnContext><saml:AuthnContextClassRef>"
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
        f'<saml:AttributeStatement>{attr_xml}<saml:Attribute Name="groups">'
        f"{group_values}</saml:Attribute></saml:AttributeStatement>"
        "</saml:Assertion>"
    )
    signed_assertion = OneLogin_Saml2_Utils.add_sign(
        assertion,
        key_pem,
        cert_pem,
        sign_algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        digest_algorithm="http://www.w3.org/2001/04/xmlenc#sha256",
    ).decode()
    signed_assertion = signed_assertion.replace('<?xml version="1.0"?>\n', "")
    response = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_iso(now)}" '
        f'Destination="{acs}" InResponseTo="{in_response_to}">'
        f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:'
        'Success"/></samlp:Status>'
        f"{signed_assertion}</samlp:Response>"
    )
    return base64.b64encode(response.encode()).decode()


def saml_request_id(client) -> str:
    """Start an SP-initiated login; the AuthnRequest's ID the IdP must answer."""
    start = client.post(f"/accounts/saml/{SAML_SLUG}/login/")
    assert start.status_code == 302, start.content
    query = parse_qs(urlparse(start["Location"]).query)
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    return xml.split(' ID="', 1)[1].split('"', 1)[0]


def saml_post(client, saml_b64: str):
    """POST to the ACS as the browser would, then follow allauth's finish step."""
    acs = client.post(f"/accounts/saml/{SAML_SLUG}/acs/", {"SAMLResponse": saml_b64})
    assert acs.status_code == 302, acs.content
    return client.get(acs["Location"])
