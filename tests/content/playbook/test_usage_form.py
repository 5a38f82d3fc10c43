"""Item 19 of issue 12: the usage form, submitted exactly as its HTML would be."""

import pytest
from django.urls import reverse

from content.models import Deal, Usage
from tests.content.browser_forms import browser_data, browser_submit, find_form
from tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def asset_url(asset):
    return reverse("content:asset", kwargs={"pk": asset.pk})


def usage_url(asset):
    return reverse("content:usage_add", kwargs={"pk": asset.pk})


def test_item19_asset_page_renders_one_deal_menu(rep_client, library, open_deal):
    html = rep_client.get(asset_url(library.internal)).content.decode()
    assert html.count('name="deal"') == 1
    assert html.count('id="id_deal"') == 1
    sent = browser_data(find_form(html, action=usage_url(library.internal)))
    assert sent.names().count("deal") == 1


def test_item19_record_in_an_existing_deal_as_a_browser_sends_it(
    rep_client, library, open_deal
):
    # The rep's deal sits at another stage than the one the asset serves.
    open_deal.stage = library.other_stage
    open_deal.save()
    response = browser_submit(
        rep_client,
        asset_url(library.internal),
        action=usage_url(library.internal),
        fill={"deal": open_deal.pk, "note": "Opened the call with it"},
        press="Record usage",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    usage = Usage.objects.get()
    assert usage.deal == open_deal
    # The stage follows the deal: its current stage, not the asset's first one.
    assert usage.stage == library.other_stage
    assert Deal.objects.count() == 1


def test_item19_pressing_record_with_the_defaults_records_in_the_latest_deal(
    rep_client, library, open_deal
):
    response = browser_submit(
        rep_client,
        asset_url(library.internal),
        action=usage_url(library.internal),
        press="Record usage",
    )
    assert response.status_code == 302
    assert Usage.objects.get().deal == open_deal


def test_item19_new_deal_from_the_one_menu(rep_client, rep, library, open_deal):
    response = browser_submit(
        rep_client,
        asset_url(library.internal),
        action=usage_url(library.internal),
        fill={
            "deal": "new",
            "new_deal_name": "Acme negotiation",
            "new_deal_account": "Acme Corp",
            "new_deal_amount": "50000",
        },
        press="Record usage",
    )
    assert response.status_code == 302
    deal = Deal.objects.get(name="Acme negotiation")
    assert deal.owner == rep
    # A new deal starts at the stage the asset serves.
    assert deal.stage == library.stage
    assert Usage.objects.get().deal == deal


def test_item19_without_deals_the_menu_starts_on_a_new_deal_and_one_error_shows(
    rep_client, library
):
    response = browser_submit(
        rep_client,
        asset_url(library.internal),
        action=usage_url(library.internal),
        press="Record usage",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Name the new deal." in html
    assert "Pick one of your open deals" not in html
    assert not Deal.objects.exists() and not Usage.objects.exists()


def test_item19_picking_a_deal_and_typing_a_new_one_is_explained(
    rep_client, library, open_deal
):
    # Without JavaScript the new deal's fields stay on screen beside the menu.
    response = browser_submit(
        rep_client,
        asset_url(library.internal),
        action=usage_url(library.internal),
        fill={"deal": open_deal.pk, "new_deal_name": "Typo deal"},
        press="Record usage",
    )
    assert response.status_code == 400
    assert "A new deal…" in response.content.decode()
    assert not Usage.objects.exists() and Deal.objects.count() == 1


def test_item19_stage_menu_defaults_to_the_deals_current_stage(
    rep_client, rep, library
):
    DealFactory(owner=rep, stage=library.other_stage, name="Hooli pilot")
    html = rep_client.get(asset_url(library.internal)).content.decode()
    form = find_form(html, action=usage_url(library.internal))
    stage_menu = form.xpath(".//select[@name='stage']")[0]
    assert stage_menu.get("data-stage-of") == "id_deal"
    first = stage_menu.xpath(".//option")[0]
    assert first.get("value") == "" and "current stage" in first.text_content()
    deal_option = form.xpath(".//select[@name='deal']/option[@selected]")[0]
    assert deal_option.get("data-stage") == str(library.other_stage.pk)
    new_option = form.xpath(".//select[@name='deal']/option[@value='new']")[0]
    assert new_option.get("data-stage") == str(library.stage.pk)
