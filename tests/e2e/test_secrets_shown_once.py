"""A secret shown once answers the POST that made it; reloading that page must
show the plain page, not send the form again and make a second secret."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import ApiToken, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reloading_the_new_api_key_page_makes_no_second_token(page, live_server, login):
    rep = UserFactory(role=Role.REP)
    login(page, rep)
    page.goto(live_server.url + reverse("accounts:token_add"))
    page.get_by_label("Name").fill("HubSpot")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-api-key")).to_be_visible()
    assert page.url == live_server.url + reverse("accounts:profile")

    page.reload()

    expect(page.locator("#new-api-key")).to_have_count(0)
    assert ApiToken.objects.filter(user=rep).count() == 1
