"""Items 16-19 and 21 of issue 12, in Chromium: what a new user hit in a browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from content.models import Deal, DealOutcome, Usage
from content.services.sharing import share_create
from tests.security.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_item16_mark_lost_asks_for_confirmation(page, live_server, login, world):
    deal = world.own_deal
    login(page, world.users["rep"])
    page.goto(live_server.url + reverse("content:deal", kwargs={"pk": deal.pk}))
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Mark lost").click()
    page.wait_for_timeout(300)
    assert questions and "lost" in questions[0]
    deal.refresh_from_db()
    assert deal.outcome == DealOutcome.OPEN

    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Mark lost").click()
    expect(page.get_by_role("button", name="Reopen deal")).to_be_visible()
    deal.refresh_from_db()
    assert deal.outcome == DealOutcome.LOST

    # Reopen asks too; "Mark won" (no question) never does.
    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Reopen deal").click()
    page.wait_for_timeout(300)
    assert len(questions) == 3 and "Reopen" in questions[2]
    deal.refresh_from_db()
    assert deal.outcome == DealOutcome.LOST


def test_item17_star_rating_arrow_keys_follow_the_stars(
    page, live_server, login, world
):
    login(page, world.users["rep"])
    page.goto(live_server.url + world.asset.get_absolute_url())
    panel = page.locator("#rating-panel")

    def star(n):
        return panel.locator(f"label[for^='stars-'][for$='-{n}']")

    star(3).click()
    checked = "() => document.querySelector('#rating-panel input:checked').value"
    focused = "() => document.activeElement.value"
    assert page.evaluate(checked) == "3"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(checked) == "4" and page.evaluate(focused) == "4"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(checked) == "2"
    # Left to right on screen: one star to five.
    xs = [star(n).bounding_box()["x"] for n in range(1, 6)]
    assert xs == sorted(xs)
    # The stars up to the checked one light up, the others stay grey.
    page.mouse.move(0, 0)  # no star under the pointer (hover lights them too)
    colour = "el => getComputedStyle(el).color"
    lit, grey = star(2).evaluate(colour), star(3).evaluate(colour)
    assert star(1).evaluate(colour) == lit != grey


def test_item18_share_page_cards_share_the_width_at_1280(
    page, live_server, login, world
):
    share, _token = share_create(
        user=world.users["rep"],
        assets=[world.partner_asset],
        recipient="Prospect",
        deal=world.own_deal,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, world.users["rep"])
    page.goto(
        live_server.url + reverse("content:share_detail", kwargs={"pk": share.pk})
    )
    grid = page.locator("main .grid").first.bounding_box()
    cards = page.locator("main .grid > section")
    assert cards.count() == 2
    first, second = (cards.nth(i).bounding_box() for i in range(2))
    # Side by side, together filling the row (auto-fill left half of it empty).
    assert abs(first["y"] - second["y"]) < 2
    right_edge = second["x"] + second["width"]
    assert right_edge >= grid["x"] + grid["width"] - 2
    assert first["width"] > grid["width"] * 0.4


def test_item19_usage_form_one_menu_and_the_stage_follows_the_deal(
    page, live_server, login, world
):
    from tests.factories import StageFactory

    rep = world.users["rep"]
    demo = StageFactory(name="Demo", slug="demo", order=9)
    later = Deal.objects.create(
        name="Hooli pilot", account="Hooli", stage=demo, owner=rep
    )
    login(page, rep)
    page.goto(live_server.url + world.asset.get_absolute_url())
    usage = page.locator("#usage-panel")
    menu = usage.get_by_label("Deal", exact=True)
    stage = usage.get_by_label("At stage")
    assert page.locator("select[name='deal']").count() == 1
    # The most recent open deal, at its own stage; the new deal's fields hidden.
    expect(menu).to_have_value(str(later.pk))
    expect(stage).to_have_value(str(demo.pk))
    expect(usage.get_by_label("New deal name")).to_be_hidden()
    menu.select_option(str(world.own_deal.pk))
    expect(stage).to_have_value(str(world.own_deal.stage_id))
    menu.select_option(label="A new deal…")
    expect(usage.get_by_label("New deal name")).to_be_visible()
    # Back to an existing deal, and record with the defaults.
    menu.select_option(str(later.pk))
    expect(usage.get_by_label("New deal name")).to_be_hidden()
    usage.get_by_role("button", name="Record usage").click()
    expect(page.locator("#usage-panel")).to_contain_text("Recorded in")
    recorded = Usage.objects.get()
    assert (recorded.deal, recorded.stage) == (later, demo)
    # After the in-place swap the form works again: a new deal this time.
    usage = page.locator("#usage-panel")
    usage.get_by_label("Deal", exact=True).select_option(label="A new deal…")
    usage.get_by_label("New deal name").fill("Initech expansion")
    usage.get_by_label("Account").fill("Initech")
    usage.get_by_role("button", name="Record usage").click()
    expect(page.locator("#usage-panel")).to_contain_text("Initech expansion")
    assert Deal.objects.get(name="Initech expansion").owner == rep


def test_item21_phone_top_bar_shows_search(page, live_server, login, world):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, world.users["rep"])
    page.goto(live_server.url + reverse("content:deal_list"))
    box = page.get_by_role("searchbox", name="Search the library")
    expect(box).to_be_visible()  # without opening the menu
    expect(page.locator("#site-nav")).to_be_hidden()
    box.fill("deck")
    box.press("Enter")
    page.wait_for_url("**/search/?q=deck")
    # The home page has its own search box too.
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("main").get_by_role("searchbox")).to_be_visible()
