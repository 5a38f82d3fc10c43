"""Issue 17's journey: a prospect reads a shared 5-page PDF in the viewer, stays
on page 3 for 5 s; the rep's deal page shows that visit with page 3 at about
5 s, and the rep has a notification."""

import io
import re
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from content.models import AssetKind, Notification, NotificationVerb, ShareVisitPage
from content.services.sharing import share_create
from tests.content.sharing.conftest import with_pages
from tests.factories import (
    AssetFactory,
    DealFactory,
    StageFactory,
    UserFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _five_page_pdf() -> bytes:
    colours = ["red", "green", "blue", "cyan", "magenta"]
    pages = [Image.new("RGB", (300, 200), colour) for colour in colours]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:])
    return out.getvalue()


@pytest.fixture
def shared_deck(settings):
    # Beats every second, so the test waits seconds, not minutes.
    settings.WINGMAN_SHARE_HEARTBEAT_SECONDS = 1
    rep = UserFactory(role=Role.REP, email="rep@example.com")
    stage = StageFactory()
    deck = AssetFactory(
        title="Platform overview deck",
        kind=AssetKind.DECK,
        stages=[stage],
        for_partners=True,
    )
    pdf = _five_page_pdf()
    version = VersionFactory(
        asset=deck,
        original_name="deck.pdf",
        file=ContentFile(pdf, name="deck.pdf"),
        size=len(pdf),
        content_type="application/pdf",
    )
    deck.current_version = version
    deck.save(update_fields=["current_version"])
    with_pages(deck, 5)
    deal = DealFactory(owner=rep, stage=stage, name="Globex expansion")
    share, token = share_create(
        user=rep, assets=[deck], recipient="jane@globex.example", deal=deal
    )
    return rep, deal, share, token


def test_a_prospects_page_time_reaches_the_reps_deal_page(
    browser, live_server, login, shared_deck
):
    rep, deal, share, token = shared_deck
    prospect = browser.new_context()
    page = prospect.new_page()
    page.goto(live_server.url + reverse("content:share_public", args=[token]))
    viewer = page.locator("[data-page-viewer]")
    expect(viewer.locator("[data-viewer-counter]")).to_have_text("Page 1 of 5")
    viewer.get_by_role("button", name="Next page").click()
    viewer.get_by_role("button", name="Next page").click()
    expect(viewer.locator("[data-viewer-counter]")).to_have_text("Page 3 of 5")
    time.sleep(5)
    # The prospect leaves: the tab hides and the last beacon goes out.
    page.goto("about:blank")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        row = ShareVisitPage.objects.filter(visit__share=share, number=3).first()
        if row and row.seconds >= 4.5:
            break
        time.sleep(0.25)
    prospect.close()

    rep_page = browser.new_context().new_page()
    login(rep_page, rep)
    rep_page.goto(live_server.url + deal.get_absolute_url())
    bar = rep_page.locator(".share-visit tr[data-page='3'] [data-seconds]")
    expect(bar).to_have_count(1)
    seconds = int(re.match(r"(\d+) s", bar.inner_text()).group(1))
    assert 4 <= seconds <= 7, seconds
    assert Notification.objects.filter(
        user=rep, share=share, verb=NotificationVerb.SHARE_OPENED
    ).exists()
    rep_page.goto(live_server.url + reverse("content:notifications"))
    expect(
        rep_page.get_by_role("link", name=re.compile("opened “Platform overview deck”"))
    ).to_be_visible()
