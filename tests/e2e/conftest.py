"""Browser journeys: Playwright driving Debian's Chromium against live_server.

Every test here is marked `e2e` and skipped (with the reason) when
/usr/bin/chromium is missing; .ci/run installs it. A failing test leaves a
full-page screenshot in test-results/e2e/.
"""

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; Django would refuse
# ORM calls (fixtures, factories) from it without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "e2e"
AXE = next((Path(__file__).parent / "vendor").glob("axe-*.min.js"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_configure(config):
    # pytest-playwright empties its output folder at every session start: give it
    # its own, so that it never deletes our screenshots.
    config.option.output = str(ROOT / "test-results" / "playwright")
    expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"{CHROMIUM} is missing (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # Cookies marked Secure would never come back over plain http.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # No worker runs beside the live server: each task runs once its upload
    # commits, in the server's thread (the same task code as a worker's).
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": [],
        }
    }


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(page, request):
    """The plugin's page with short timeouts, and a screenshot when a test fails."""
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def login(live_server):
    """`login(page, user)`: the browser gets a session for `user` (no form typing)."""

    def _login(page, user) -> None:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )

    return _login


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core on the page; violations of the given impacts.

    Injected through the DevTools protocol (page.evaluate), which the page's
    Content-Security-Policy does not govern: the policy stays on as in production.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]
