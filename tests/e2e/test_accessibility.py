"""axe-core (vendored, tests/e2e/vendor/) finds no serious or critical violations
on the main pages, and no page breaks its own Content-Security-Policy."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from content.models import AssetKind
from tests.e2e.conftest import axe_violations
from tests.factories import (
    AssetFactory,
    DealFactory,
    StageFactory,
    UserFactory,
    VersionFactory,
)

# (role, url name, kwargs builder); pages that do not exist yet are skipped.
PAGES = [
    ("anonymous", "accounts:login", lambda w: {}),
    ("rep", "home", lambda w: {}),
    ("rep", "content:stage", lambda w: {"slug": w["stage"].slug}),
    ("rep", "content:search", lambda w: {}),
    ("rep", "content:asset", lambda w: {"pk": w["card"].pk}),
    ("rep", "content:deal_list", lambda w: {}),
    ("rep", "content:deal", lambda w: {"pk": w["deal"].pk}),
    ("rep", "content:request_list", lambda w: {}),
    ("rep", "content:whats_new", lambda w: {}),
    ("marketer", "content:my_content", lambda w: {}),
    ("marketer", "content:asset_add", lambda w: {}),
    ("admin", "content:dashboard", lambda w: {}),
]


@pytest.fixture
def world(db):
    users = {
        "rep": UserFactory(username="a11y-rep", role=Role.REP),
        "marketer": UserFactory(username="a11y-marketer", role=Role.MARKETER),
        "admin": UserFactory(
            username="a11y-admin", role=Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }
    stage = StageFactory(name="Discovery", slug="discovery", order=1)
    card = AssetFactory(
        title="Globex battle card",
        kind=AssetKind.BATTLE_CARD,
        competitor="Globex",
        how_we_win="Lead with uptime proof.",
        owner=users["marketer"],
        stages=[stage],
    )
    for asset in (card, AssetFactory(owner=users["marketer"], stages=[stage])):
        version = VersionFactory(asset=asset, number=1)
        asset.current_version = version
        asset.save(update_fields=["current_version"])
    deal = DealFactory(owner=users["rep"], stage=stage, name="Northwind renewal")
    return {"users": users, "stage": stage, "card": card, "deal": deal}


@pytest.mark.parametrize(
    "role,name,kwargs", PAGES, ids=[f"{role}-{name}" for role, name, _ in PAGES]
)
def test_main_pages_have_no_serious_accessibility_violations(
    page, live_server, login, world, role, name, kwargs
):
    try:
        path = reverse(name, kwargs=kwargs(world))
    except NoReverseMatch:
        pytest.skip(f"{name} does not exist yet")
    csp_errors = []
    page.on(
        "console",
        lambda msg: (
            csp_errors.append(msg.text)
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    if role != "anonymous":
        login(page, world["users"][role])
    response = page.goto(live_server.url + path)
    assert response.status == 200, (path, response.status)
    assert axe_violations(page) == []
    assert csp_errors == []
