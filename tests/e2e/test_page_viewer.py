"""The page viewer in a real browser: keys, buttons, ?page=N, its change event,
and a phone's width (issue 17)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    AssetFactory,
    StageFactory,
    UserFactory,
    VersionFactory,
    VersionPageFactory,
)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def deck(db):
    rep = UserFactory(username="e2e-viewer-rep", role=Role.REP)
    marketer = UserFactory(username="e2e-viewer-marketer", role=Role.MARKETER)
    asset = AssetFactory(
        owner=marketer, stages=[StageFactory(slug="demo")], title="Five-page deck"
    )
    version = VersionFactory(asset=asset, page_count=5)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    for number in range(1, 6):
        VersionPageFactory(version=version, number=number, width=1280, height=720)
    return {"rep": rep, "asset": asset}


def _open(page, live_server, login, deck):
    login(page, deck["rep"])
    page.goto(f"{live_server.url}{deck['asset'].get_absolute_url()}")
    counter = page.locator("[data-viewer-counter]")
    expect(counter).to_have_text("Page 1 of 5")
    return counter


def test_arrow_keys_and_buttons_flip_the_pages(page, live_server, login, deck):
    counter = _open(page, live_server, login, deck)
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(page.locator(".page-viewer-page.is-current")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text("Page 2 of 5")
    expect(page.locator("#page-2")).to_be_visible()
    expect(page.locator("#page-1")).to_be_hidden()
    assert page.url.endswith("?page=2")
    page.get_by_role("button", name="Next page").click()
    expect(counter).to_have_text("Page 3 of 5")
    page.keyboard.press("End")  # focus is inside the viewer (the button)
    expect(counter).to_have_text("Page 5 of 5")
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text("Page 4 of 5")


def test_it_opens_at_the_page_asked_and_tells_listeners(page, live_server, login, deck):
    login(page, deck["rep"])
    page.goto(f"{live_server.url}{deck['asset'].get_absolute_url()}?page=3")
    counter = page.locator("[data-viewer-counter]")
    expect(counter).to_have_text("Page 3 of 5")
    page.evaluate(
        """() => {
        window.seen = [];
        document.addEventListener(
            "pageviewer:change", (e) => window.seen.push(e.detail.page)
        );
    }"""
    )
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # already the last: no event
    expect(counter).to_have_text("Page 5 of 5")
    assert page.evaluate("window.seen") == [4, 5]


def test_a_page_fits_a_phone_and_swipes(page, live_server, login, deck):
    page.set_viewport_size(PHONE)
    _open(page, live_server, login, deck)
    image = page.locator("#page-1 img")
    expect(image).to_be_visible()
    assert image.bounding_box()["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # A swipe to the left: the next page.
    page.locator("[data-viewer-pages]").dispatch_event(
        "touchstart", {"touches": [{"clientX": 300, "clientY": 400, "identifier": 0}]}
    )
    page.evaluate(
        """() => {
        const area = document.querySelector("[data-viewer-pages]");
        const touch = new Touch(
            {identifier: 0, target: area, clientX: 100, clientY: 405}
        );
        area.dispatchEvent(new TouchEvent("touchend", {changedTouches: [touch]}));
    }"""
    )
    expect(page.locator("[data-viewer-counter]")).to_have_text("Page 2 of 5")
