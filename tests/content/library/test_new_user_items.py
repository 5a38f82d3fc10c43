"""Items 20, 21 and 22 of issue 12: what a new user missed on the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from content.models import AssetKind
from content.templatetags.library_tags import ago
from tests.factories import AssetFactory, StageFactory, VersionFactory

pytestmark = pytest.mark.django_db


def _url(asset):
    return reverse("content:asset", kwargs={"pk": asset.pk})


def _with_file(asset):
    asset.current_version = VersionFactory(asset=asset, number=1)
    asset.save(update_fields=["current_version"])
    return asset


def test_item20_asset_page_header_shows_rating_and_deals_used_in(
    rep_client, marketer, stage, django_assert_max_num_queries
):
    asset = _with_file(AssetFactory(owner=marketer, stages=[stage]))
    asset.rating_count, asset.rating_total, asset.deal_count = 3, 12, 7
    asset.save(update_fields=["rating_count", "rating_total", "deal_count"])
    rep_client.get(_url(asset))  # warm the per-process caches
    with django_assert_max_num_queries(30):
        response = rep_client.get(_url(asset))
    page = lxml_html.fromstring(response.content.decode())
    head = page.xpath("//div[@class='page-head']")[0].text_content()
    assert "★ 4.0" in " ".join(head.split())
    assert "(3 ratings)" in head
    assert "Used in 7 deals" in head


def test_item20_asset_page_header_says_when_there_is_no_proof_yet(
    rep_client, marketer, stage
):
    asset = _with_file(AssetFactory(owner=marketer, stages=[stage]))
    page = lxml_html.fromstring(rep_client.get(_url(asset)).content.decode())
    head = page.xpath("//div[@class='page-head']")[0].text_content()
    assert "No ratings yet" in head and "Not used in a deal yet" in head


def test_item21_home_page_has_a_search_box(rep_client, stage):
    page = lxml_html.fromstring(rep_client.get(reverse("home")).content.decode())
    main = page.xpath("//main")[0]
    forms = main.xpath(".//form[@role='search']")
    assert forms and forms[0].get("action") == reverse("content:search")
    assert forms[0].xpath(".//input[@type='search'][@name='q']")


def test_item21_top_bar_search_is_outside_the_phone_menu(rep_client, stage):
    page = lxml_html.fromstring(rep_client.get(reverse("home")).content.decode())
    bar = page.xpath("//header[@class='topbar']")[0]
    search = bar.xpath(".//form[@role='search']")
    assert search and search[0].get("action") == reverse("content:search")
    # Not inside the menu that the phone layout folds away.
    assert not search[0].xpath("ancestor::nav")
    label = search[0].xpath(".//label")[0]
    assert search[0].xpath(f".//input[@id='{label.get('for')}'][@name='q']")


def test_item22_breadcrumb_shows_stages_as_siblings(rep_client, marketer):
    discovery = StageFactory(name="Discovery", slug="discovery", order=1)
    demo = StageFactory(name="Demo", slug="demo", order=2)
    asset = _with_file(AssetFactory(owner=marketer, stages=[discovery, demo]))
    page = lxml_html.fromstring(rep_client.get(_url(asset)).content.decode())
    nav = page.xpath("//nav[@aria-label='Breadcrumb']")[0]
    for hidden in nav.xpath(".//*[@class='sr-only']"):  # what the eye reads
        hidden.drop_tree()
    crumbs = " ".join(nav.itertext())
    crumbs = " ".join(crumbs.split())
    assert "Discovery › Demo" not in crumbs
    assert crumbs.count("›") == 1
    assert "Discovery · Demo" in crumbs


def test_item22_ago_says_just_now_not_zero_minutes():
    now = timezone.now()
    assert ago(now) == "just now"
    assert ago(now - datetime.timedelta(seconds=20)) == "just now"
    assert ago(now - datetime.timedelta(minutes=5)) == "5\xa0minutes ago"
    assert ago(now - datetime.timedelta(days=1, hours=3)) == "1\xa0day ago"
    assert ago(None) == ""


def test_item22_share_status_of_a_link_opened_a_moment_ago(rep_client, rep, marketer):
    from django.template.loader import render_to_string

    class Link:
        open_count = 1
        download_count = 0
        last_opened_at = timezone.now()

    text = render_to_string("content/sharing/_opens.html", {"link": Link()})
    assert "0 minutes" not in text
    assert "just now" in text


def test_item22_card_without_a_file_shows_no_empty_side_panels(
    rep_client, marketer, stage
):
    card = AssetFactory(
        owner=marketer,
        stages=[stage],
        kind=AssetKind.BATTLE_CARD,
        competitor="Globex",
        how_we_win="Lead with uptime proof.",
    )
    html = rep_client.get(_url(card)).content.decode()
    assert "a card can stand on its own" not in html
    assert "cannot be shared" not in html
    assert "Lead with uptime proof." in html


def test_item22_marketers_still_get_the_upload_hint_on_a_card_without_file(
    marketer_client, marketer, stage
):
    card = AssetFactory(
        owner=marketer, stages=[stage], kind=AssetKind.BATTLE_CARD, competitor="X"
    )
    html = marketer_client.get(_url(card)).content.decode()
    assert reverse("content:version_add", kwargs={"pk": card.pk}) in html
