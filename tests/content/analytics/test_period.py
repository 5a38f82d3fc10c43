"""Item 14 of issue 12: one default period, and the menu shows the period in use."""

import pytest
from django.urls import reverse

from content.selectors.analytics import DEFAULT_PERIOD_DAYS
from tests.content.browser_forms import browser_submit, find_form

pytestmark = pytest.mark.django_db


def _selected_days(html: str) -> str:
    form = find_form(html, has="days")
    return form.xpath(".//select[@name='days']/option[@selected]/@value")


def test_item14_dashboard_menu_shows_the_default_period_it_uses(admin_client_, world):
    response = admin_client_.get(reverse("content:dashboard"))
    html = response.content.decode()
    assert response.context["period"].days == DEFAULT_PERIOD_DAYS
    assert f"last {DEFAULT_PERIOD_DAYS} days" in html
    assert _selected_days(html) == [str(DEFAULT_PERIOD_DAYS)]


def test_item14_pressing_show_after_changing_kind_keeps_the_period(
    admin_client_, world
):
    response = browser_submit(
        admin_client_,
        reverse("content:dashboard"),
        has="days",
        fill={"kind": "deck"},
        press="Show",
    )
    assert response.status_code == 200
    assert response.context["period"].days == DEFAULT_PERIOD_DAYS
    html = response.content.decode()
    assert f"last {DEFAULT_PERIOD_DAYS} days" in html
    assert _selected_days(html) == [str(DEFAULT_PERIOD_DAYS)]
    # The CSV export follows the page's period.
    export = (
        find_form(html, has="days")
        .getroottree()
        .xpath(
            "//a[starts-with(@href, $u)]/@href", u=reverse("content:export_dashboard")
        )[0]
    )
    assert f"days={DEFAULT_PERIOD_DAYS}" in export
    csv = admin_client_.get(export)
    assert csv.status_code == 200


def test_item14_a_period_the_menu_does_not_offer_shows_the_one_in_use(
    admin_client_, world
):
    response = admin_client_.get(reverse("content:dashboard"), {"days": "7"})
    assert response.context["period"].days == DEFAULT_PERIOD_DAYS
    assert _selected_days(response.content.decode()) == [str(DEFAULT_PERIOD_DAYS)]


@pytest.mark.parametrize("name", ["content:search_gaps"])
def test_item14_other_period_pages_show_the_default_too(admin_client_, world, name):
    html = admin_client_.get(reverse(name)).content.decode()
    assert _selected_days(html) == [str(DEFAULT_PERIOD_DAYS)]
