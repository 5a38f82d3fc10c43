"""Single sign-on in Chromium: the login page's "Sign in with ..." button,
through oidc-provider-mock (a thread on localhost), back to the roadmap with the
role the person's group maps to."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from tests.accounts.sso_fixtures import ROLE_MAP, oidc_server, oidc_settings

__all__ = ["oidc_server"]


@pytest.fixture
def sso(settings, oidc_server, db):
    settings.WINGMAN_SSO_ROLE_MAP = ROLE_MAP
    settings.SOCIALACCOUNT_PROVIDERS = oidc_settings(oidc_server)


def test_sign_in_with_the_oidc_mock_lands_on_the_roadmap_as_marketer(
    page, live_server, sso
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with Mock IdP").click()
    # The mock's consent page lists its predefined people; alice is in "marketing".
    page.get_by_role("button", name="alice").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + "/$"))
    expect(page.locator(".role-badge")).to_have_text("Marketer")
    expect(page.get_by_role("link", name="Analytics")).to_be_visible()
    assert User.objects.get(username="alice").role == Role.MARKETER


def test_a_person_without_a_mapped_group_sees_the_no_access_page(
    page, live_server, sso
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with Mock IdP").click()
    page.get_by_role("button", name="bob").click()
    expect(page.get_by_role("heading", name=re.compile("no access"))).to_be_visible()
    assert not User.objects.filter(username="bob").exists()
