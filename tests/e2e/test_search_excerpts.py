"""Issue 16: search results show where the answer is, in a real browser.

The rep types a question in the top bar (there on a wide screen and a phone),
and the result shows the matching words highlighted with "Slide 3", linking
to the PDF at that page.
"""

import pytest

from content.models import Audience
from tests.content.search.conftest import PAGES, make_asset

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_results_show_excerpts_with_the_slide(page, live_server, login, rep, size):
    from tests.factories import StageFactory

    stage = StageFactory(name="Proposal", slug="proposal")
    deck = make_asset(
        title="Renewal deck",
        summary="Slides for the renewal meeting",
        text=PAGES,
        stage=stage,
        audience=Audience.PARTNERS,
    )
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, rep)
    page.goto(live_server.url + "/")
    box = page.locator("#topbar-q")
    assert box.is_visible()
    box.fill("discount ladder")
    box.press("Enter")
    excerpt = page.locator(".excerpt").first
    excerpt.wait_for()
    assert excerpt.locator("mark").first.inner_text().lower() == "discount"
    location = excerpt.locator(".excerpt-location")
    assert location.inner_text() == "Slide 3"
    href = location.get_attribute("href")
    assert href.endswith(
        f"/versions/{deck.current_version.pk}/download/?inline=1#page=3"
    )


@pytest.mark.parametrize("width", [390, 800, 1100, 1280, 1600])
def test_the_top_bar_search_box_fits_every_width(
    page, live_server, login, admin_user, width
):
    # The admin has the most menu links: the fullest top bar.
    page.set_viewport_size({"width": width, "height": 800})
    login(page, admin_user)
    page.goto(live_server.url + "/")
    assert page.locator("#topbar-q").is_visible()
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], f"the page scrolls sideways at {width} px"
    top = page.locator(".topbar").bounding_box()
    assert top["height"] < 120, f"the top bar wraps at {width} px"
