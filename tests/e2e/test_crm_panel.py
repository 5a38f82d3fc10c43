"""The CRM panel in a real browser: framed by an allowed origin, refused by any
other; and the stage page's play first on a 390 px phone."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from content.services.plays import PlayItemInput, play_save
from tests.factories import (
    PASSWORD,
    AssetFactory,
    DealFactory,
    StageFactory,
    UserFactory,
)

PHONE = {"width": 390, "height": 844}


class _CrmPage(BaseHTTPRequestHandler):
    src = ""

    def do_GET(self):  # noqa: N802 - the http.server API
        body = (
            "<!doctype html><title>CRM record</title>"
            f'<iframe src="{self.src}" width="400" height="700"></iframe>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def crm_server():
    """`crm_server(src)`: the origin of a local "CRM" page that frames `src`.

    A local server, not a routed fake host: Chromium refuses a public page
    framing localhost (private network access) before CSP is even asked.
    """
    servers = []

    def start(src: str) -> str:
        handler = type("Handler", (_CrmPage,), {"src": src})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def panel(db, live_server, settings):
    rep = UserFactory(username="e2e-rep", role=Role.REP)
    stage = StageFactory(name="Demo", slug="demo")
    marketer = UserFactory(username="e2e-marketer", role=Role.MARKETER)
    asset = AssetFactory(owner=marketer, stages=[stage], title="Demo deck")
    play_save(
        user=marketer,
        stage=stage,
        key_questions="Who signs?",
        items=[PlayItemInput(asset=asset, when_to_use="Open every demo with it")],
    )
    DealFactory(owner=rep, stage=stage, crm_id="006XYZ", name="Framed deal")
    return {
        "rep": rep,
        "url": f"{live_server.url}/embed/deals/crm/006XYZ/",
        "settings": settings,
    }


def test_panel_is_framed_by_the_allowed_origin_and_works(page, panel, crm_server):
    origin = crm_server(panel["url"])
    panel["settings"].WINGMAN_EMBED_FRAME_ORIGINS = [origin]
    page.goto(f"{origin}/record", wait_until="load")
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_contain_text("Log in")
    frame.locator("input[name=username]").fill(panel["rep"].username)
    frame.locator("input[name=password]").fill(PASSWORD)
    frame.locator("button[type=submit]").click()
    expect(frame.locator("#recs-heading")).to_have_text("Recommended next")
    expect(frame.locator(".rec")).to_have_count(1)
    frame.locator(".rec button").click()
    expect(frame.locator(".play-check .used")).to_have_count(1)


def test_panel_is_refused_by_another_origin(page, panel, crm_server):
    allowed = crm_server(panel["url"])
    other = crm_server(panel["url"])
    panel["settings"].WINGMAN_EMBED_FRAME_ORIGINS = [allowed]
    page.goto(f"{other}/record", wait_until="load")
    page.wait_for_timeout(500)
    framed = page.frames[1]
    assert framed.url.startswith("chrome-error://"), framed.url
    assert not framed.locator("input[name=username]").count()


def test_stage_page_shows_the_play_first_at_390px(page, panel, live_server, login):
    page.set_viewport_size(PHONE)
    login(page, panel["rep"])
    page.goto(f"{live_server.url}/stages/demo/")
    play = page.locator("#play")
    expect(play).to_be_visible()
    play_top = play.bounding_box()["y"]
    assert play_top < PHONE["height"] / 2, play_top
    first_asset = page.locator(".tiles li, .asset-rows li").first.bounding_box()
    assert play_top < first_asset["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
