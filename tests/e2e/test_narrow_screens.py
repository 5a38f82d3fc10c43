"""Item 15 of issue 12: no page scrolls sideways on a 390 px wide phone.

Every page is every row of the permission matrix that a role may open with GET
(so a new page is checked as soon as it gets its matrix row), in Chromium at
390 × 844, for each role. A page passes when the document is no wider than the
viewport; a failure names the elements that stick out.
"""

import pytest
from django.urls import reverse

from content.models import AssetKind
from content.services.feedback import rating_set
from tests.factories import AssetFactory, UsageFactory, VersionFactory
from tests.security.test_permission_matrix import MATRIX, OK, ROLES
from tests.security.world import build_world

PHONE = {"width": 390, "height": 844}
# Not pages: files, CSV, JSON, the Django admin (not our stylesheet).
NOT_PAGES = ("api:", "admin:", "healthz")
NOT_PAGE_NAMES = {
    "content:download",
    "content:thumbnail",
    "content:share_public_file",
    "content:share_public_thumbnail",
}

WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const right = ' right=' + Math.round(box.right);
      over.push(el.tagName.toLowerCase() + id + cls + right);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width,
          over: over.slice(0, 6)};
}"""


def pages_for(role: str) -> list:
    rows = []
    for name, kwargs, method, *expected in MATRIX:
        status = dict(zip(ROLES, expected, strict=True))[role]
        if method != "get" or status != OK:
            continue
        if name.startswith(NOT_PAGES) or name in NOT_PAGE_NAMES:
            continue
        if name.startswith("content:export_"):
            continue
        rows.append((name, kwargs))
    return rows


def _fuller(world) -> None:
    """Ratings, usage and more kinds, so that tables and tiles have rows."""
    rep = world.users["rep"]
    card = AssetFactory(
        title="Globex battle card with a long title that wraps on a phone",
        kind=AssetKind.BATTLE_CARD,
        competitor="Globex",
        how_we_win="Lead with uptime proof.",
        owner=world.users["marketer"],
        stages=[world.stage],
        for_partners=True,
    )
    card.current_version = VersionFactory(asset=card, number=1)
    card.save(update_fields=["current_version"])
    for asset in (world.asset, world.partner_asset, card):
        rating_set(user=rep, asset=asset, stars=4, comment="Worked on the call")
        UsageFactory(deal=world.own_deal, asset=asset, user=rep, stage=world.stage)


@pytest.mark.parametrize("role", ROLES)
def test_item15_no_page_scrolls_sideways_at_390_px(page, live_server, login, role):
    world = build_world()
    _fuller(world)
    page.set_viewport_size(PHONE)
    if role != "anonymous":
        login(page, world.users[role])
    failures = []
    visited = 0
    for name, kwargs in pages_for(role):
        path = reverse(name, kwargs=kwargs(world))
        response = page.goto(live_server.url + path)
        if response is None or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        visited += 1
        result = page.evaluate(WIDER_THAN_VIEWPORT)
        if result["scroll"] > result["width"]:
            extra = result["scroll"] - result["width"]
            failures.append(f"{path} ({name}): +{extra} px, {result['over']}")
    assert visited >= 3, f"only {visited} pages for {role}"
    assert not failures, "\n".join(failures)
