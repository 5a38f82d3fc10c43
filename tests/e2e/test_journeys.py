"""What people do with Wingman, in a real browser (Chromium through Playwright)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from accounts.models import Role
from content.models import Asset, AssetKind, AssetStatus, Audience, Deal, Usage
from content.services.library import asset_create, asset_publish
from tests.content.library.builders import pdf_bytes, pptx_bytes
from tests.factories import StageFactory, UserFactory

PHRASE = "zero-downtime failover across twelve regions"

# Records whether the upload progress panel was shown and moved while the file
# was sent (the page navigates away after, so it is logged to the console).
WATCH_PROGRESS = """() => {
  const panel = document.querySelector('[data-upload-progress-panel]');
  const bar = panel.querySelector('progress');
  new MutationObserver(() => {
    if (!panel.hidden) console.log('upload-progress shown ' + bar.value);
  }).observe(panel, {attributes: true, subtree: true, childList: true,
                     characterData: true, attributeFilter: ['hidden', 'value']});
  bar.addEventListener('change', () => console.log('upload-progress ' + bar.value));
}"""


def url(live_server, name: str, **kwargs) -> str:
    try:
        return live_server.url + reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.skip(f"{name} does not exist yet")


@pytest.fixture
def people(db):
    return {
        "rep": UserFactory(username="e2e-rep", role=Role.REP),
        "partner": UserFactory(username="e2e-partner", role=Role.PARTNER),
        "marketer": UserFactory(username="e2e-marketer", role=Role.MARKETER),
        "admin": UserFactory(
            username="e2e-admin", role=Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }


@pytest.fixture
def discovery(db):
    return StageFactory(name="Discovery", slug="discovery", order=2)


def _upload_form(page, tmp_path, *, kind, title, file_name, data, stage=None):
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Title").fill(title)
    if stage is not None:
        page.get_by_label(stage.name).check()
    path = tmp_path / file_name
    path.write_bytes(data)
    page.locator("input[type=file]").set_input_files(str(path))


def test_marketer_creates_uploads_publishes_versions_and_retires(
    page, live_server, login, people, discovery, tmp_path
):
    login(page, people["marketer"])
    progress_seen = []
    page.on(
        "console",
        lambda m: progress_seen.append(m.text) if "upload-progress" in m.text else None,
    )

    # A battle card with a PDF; the progress bar shows while the file goes up.
    page.goto(url(live_server, "content:asset_add"))
    _upload_form(
        page,
        tmp_path,
        kind=AssetKind.BATTLE_CARD,
        title="Globex battle card",
        file_name="globex.pdf",
        data=pdf_bytes("Globex is slow to deploy.", "We win on time to value."),
        stage=discovery,
    )
    page.get_by_label("Competitor").fill("Globex")
    page.get_by_label("How we win").fill("Time to value in weeks, not quarters.")
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Globex battle card")
    assert any("shown" in line for line in progress_seen), progress_seen
    card = Asset.objects.get(title="Globex battle card")
    assert card.status == AssetStatus.DRAFT
    assert card.current_version.original_name == "globex.pdf"
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("Published")

    # A deck from a real PowerPoint file, published, then a second version.
    page.goto(url(live_server, "content:asset_add"))
    _upload_form(
        page,
        tmp_path,
        kind=AssetKind.DECK,
        title="Platform overview deck",
        file_name="overview.pptx",
        data=pptx_bytes(f"We offer {PHRASE}."),
        stage=discovery,
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform overview deck")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("Published")
    page.get_by_role("link", name="Upload a new version").first.click()
    path = tmp_path / "overview-v2.pptx"
    path.write_bytes(pptx_bytes(f"Now with {PHRASE} and SSO."))
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_label("What changed?").fill("Adds single sign-on")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform overview deck")
    deck = Asset.objects.get(title="Platform overview deck")
    assert deck.versions.count() == 2
    assert deck.current_version.number == 2
    assert PHRASE in deck.current_version.extracted_text

    # Retire the battle card: it leaves the library, its history stays.
    page.goto(live_server.url + card.get_absolute_url())
    page.get_by_role("link", name="Retire").click()
    page.get_by_label("Why is it retired?").fill("Globex changed their pricing.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("main form").get_by_role("button", name=re.compile("Retire")).click()
    expect(page.locator("main")).to_contain_text("Retired")
    card.refresh_from_db()
    assert card.status == AssetStatus.RETIRED
    assert card.versions.count() == 1


@pytest.fixture
def deck(people, discovery, django_capture_on_commit_callbacks):
    """A published deck whose text comes from a real PPTX, made by the services
    (its preview task runs when the upload commits, as a worker would run it)."""
    with django_capture_on_commit_callbacks(execute=True):
        deck = asset_create(
            actor=people["marketer"],
            kind=AssetKind.DECK,
            title="Platform overview deck",
            stages=[discovery],
            file=SimpleUploadedFile("overview.pptx", pptx_bytes(f"We offer {PHRASE}.")),
        )
    return asset_publish(actor=people["marketer"], asset=deck)


def test_rep_finds_rates_and_records_usage_in_a_deal_that_is_won(
    page, live_server, login, people, discovery, deck
):
    login(page, people["rep"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Discovery").first.click()
    expect(
        page.get_by_role("link", name="Platform overview deck").first
    ).to_be_visible()

    # Search a phrase that is only inside the deck's slides.
    page.goto(url(live_server, "content:search") + f'?q="{PHRASE}"')
    page.get_by_role("link", name="Platform overview deck").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform overview deck")

    # The preview: the first slide's thumbnail loads.
    preview = page.get_by_role("img", name=re.compile("Preview of"))
    if preview.count():
        expect(preview.first).to_be_visible()
        assert preview.first.evaluate("img => img.naturalWidth") > 0

    # Rate in place: htmx swaps the panel, the page does not reload.
    page.evaluate("() => { window.__samePage = true; }")
    panel = page.locator("#rating-panel")
    panel.locator("label[for$='-4']").click()
    panel.get_by_role("button", name="Rate").click()
    expect(page.locator("#rating-panel")).to_contain_text("Saved: 4 out of 5")
    assert page.evaluate("() => window.__samePage === true")
    deck.refresh_from_db()
    assert (deck.rating_count, deck.rating_total) == (1, 4)

    # Record usage in a new deal, then mark the deal won.
    usage = page.locator("#usage-panel")
    summary = usage.locator("summary")
    if summary.count() and usage.locator("details").get_attribute("open") is None:
        summary.click()
    usage.get_by_label("New deal name").fill("Northwind expansion")
    usage.get_by_label("Account").fill("Northwind")
    usage.get_by_label("At stage").select_option(label="Discovery")
    usage.get_by_role("button", name="Record usage").click()
    expect(page.locator("#usage-panel")).to_contain_text("Recorded in")
    page.locator("#usage-panel").get_by_role(
        "link", name="Northwind expansion"
    ).first.click()
    page.get_by_role("button", name="Mark won").click()
    expect(page.locator("main h1")).to_contain_text("Won")
    deal = Deal.objects.get(name="Northwind expansion")
    assert deal.outcome == "won" and deal.owner == people["rep"]
    assert Usage.objects.filter(deal=deal, asset=deck).count() == 1


def test_partner_never_sees_an_internal_asset(
    page, live_server, login, people, discovery, deck
):
    shared = asset_create(
        actor=people["marketer"],
        kind=AssetKind.ONE_PAGER,
        title="Partner pricing one-pager",
        audience=Audience.PARTNERS,
        stages=[discovery],
        file=SimpleUploadedFile("pricing.pdf", pdf_bytes("Partner pricing")),
    )
    asset_publish(actor=people["marketer"], asset=shared)
    login(page, people["partner"])
    page.goto(url(live_server, "content:stage", slug="discovery"))
    expect(page.locator("main")).to_contain_text("Partner pricing one-pager")
    expect(page.locator("main")).not_to_contain_text("Platform overview deck")
    page.goto(url(live_server, "content:search") + f'?q="{PHRASE}"')
    expect(page.locator("main")).not_to_contain_text("Platform overview deck")
    response = page.goto(live_server.url + deck.get_absolute_url())
    assert response.status == 404
    download = url(live_server, "content:download", pk=deck.current_version.pk)
    assert page.goto(download).status == 404


def test_admin_reads_the_dashboard_and_downloads_the_usage_csv(
    page, live_server, login, people, deck
):
    dashboard = url(live_server, "content:dashboard")
    export = url(live_server, "content:export_usage")
    login(page, people["admin"])
    response = page.goto(dashboard)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with page.expect_download() as info:
        page.evaluate("href => { location.href = href; }", export)
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    header = open(download.path(), encoding="utf-8").readline()  # noqa: PTH123
    assert "," in header
