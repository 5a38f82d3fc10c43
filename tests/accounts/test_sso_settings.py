"""The sign-in settings read from the environment (docs/sso.md)."""

import json
import subprocess

import pytest
from django.core.checks import run_checks

from accounts.checks import SSO_ROLE_MAP_CHECK_ID
from accounts.services_sso import role_for_groups
from tests.test_settings import _settings_in_subprocess


def test_oidc_provider_comes_from_the_environment():
    env = {
        "WINGMAN_OIDC_CLIENT_ID": "abc",
        "WINGMAN_OIDC_CLIENT_SECRET": "s3cret",
        "WINGMAN_OIDC_SERVER_URL": "https://corp.okta.com",
        "WINGMAN_OIDC_NAME": "Okta",
    }
    apps = _settings_in_subprocess(
        env, "__import__('json').dumps(settings.SOCIALACCOUNT_PROVIDERS)"
    )
    app = json.loads(apps)["openid_connect"]["APPS"][0]
    assert app["name"] == "Okta"
    assert app["settings"]["server_url"] == "https://corp.okta.com"
    assert "groups" in app["settings"]["scope"]


def test_saml_provider_comes_from_the_environment():
    env = {
        "WINGMAN_SAML_IDP_ENTITY_ID": "http://www.okta.com/exk1",
        "WINGMAN_SAML_IDP_SSO_URL": "https://corp.okta.com/app/sso/saml",
        "WINGMAN_SAML_IDP_X509CERT": "MIIC...",
    }
    apps = _settings_in_subprocess(
        env, "__import__('json').dumps(settings.SOCIALACCOUNT_PROVIDERS)"
    )
    app = json.loads(apps)["saml"]["APPS"][0]
    assert app["settings"]["advanced"]["want_assertion_signed"] is True
    assert app["settings"]["idp"]["entity_id"] == "http://www.okta.com/exk1"


def test_no_provider_by_default():
    apps = json.loads(
        _settings_in_subprocess(
            {}, "__import__('json').dumps(settings.SOCIALACCOUNT_PROVIDERS)"
        )
    )
    assert apps == {"openid_connect": {"APPS": []}, "saml": {"APPS": []}}


def test_a_role_map_that_is_not_json_refuses_to_start():
    with pytest.raises(subprocess.CalledProcessError):
        _settings_in_subprocess(
            {"WINGMAN_SSO_ROLE_MAP": "sales=rep"}, "settings.WINGMAN_SSO_ROLE_MAP"
        )


def test_a_role_map_naming_an_unknown_role_fails_the_checks(settings):
    settings.WINGMAN_SSO_ROLE_MAP = {"sales": "superuser"}
    assert SSO_ROLE_MAP_CHECK_ID in {e.id for e in run_checks()}
    settings.WINGMAN_SSO_ROLE_MAP = {"sales": "rep"}
    assert SSO_ROLE_MAP_CHECK_ID not in {e.id for e in run_checks()}


def test_the_most_powerful_mapped_role_wins(settings):
    settings.WINGMAN_SSO_ROLE_MAP = {"a": "partner", "b": "admin", "c": "rep"}
    assert role_for_groups(["a", "c"]) == "rep"
    assert role_for_groups(["c", "b", "a"]) == "admin"
    assert role_for_groups(["zzz"]) is None
    assert role_for_groups([]) is None
