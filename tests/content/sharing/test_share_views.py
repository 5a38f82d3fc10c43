"""The rep's side of sharing: the asset page form, the link page, revoking."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import ShareLink
from content.services.sharing import share_open_record, share_token_hash
from tests.content.sharing.conftest import public_url

pytestmark = pytest.mark.django_db
SOON = (timezone.localdate() + timedelta(days=60)).isoformat()


def test_asset_page_offers_to_share_a_shareable_asset(rep_client, assets):
    body = rep_client.get(assets["deck"].get_absolute_url()).content.decode()
    assert "Share with a prospect" in body
    assert reverse("content:share_add", args=[assets["deck"].pk]) in body


def test_asset_page_explains_why_an_internal_file_cannot_be_shared(rep_client, assets):
    body = rep_client.get(assets["internal"].get_absolute_url()).content.decode()
    assert "Share with a prospect" in body
    assert "cannot be shared" in body
    assert reverse("content:share_add", args=[assets["internal"].pk]) not in body


def test_item22_a_battle_card_shows_no_share_panel_that_only_says_no(
    rep_client, assets
):
    body = rep_client.get(assets["card"].get_absolute_url()).content.decode()
    assert "Share with a prospect" not in body
    assert reverse("content:share_add", args=[assets["card"].pk]) not in body


def test_asset_page_lists_my_links_with_open_counts(rep_client, share, assets):
    link, _token = share
    share_open_record(
        share=link, items=list(link.items.all()), visitor_hash="v", user_agent="UA"
    )
    body = rep_client.get(assets["deck"].get_absolute_url()).content.decode()
    assert "jane@globex.example" in body
    assert "Opened 1 time" in body


def test_creating_a_link_shows_it_once_and_it_opens(rep_client, rep, assets, deal):
    response = rep_client.post(
        reverse("content:share_add", args=[assets["deck"].pk]),
        {
            "recipient": "Jane",
            "deal": deal.pk,
            "expires_on": SOON,
            "message": "As promised",
        },
    )
    # The link is on the response that created it: never parked in the session.
    assert response.status_code == 201
    link = ShareLink.objects.get(created_by=rep)
    assert link.deal == deal
    page = response.content.decode()
    url = re.search(r'id="new-link" value="([^"]+)"', page).group(1)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert share_token_hash(token) == link.token_hash
    # Shown once: the next visit of the page no longer has it.
    assert token not in rep_client.get(link.get_absolute_url()).content.decode()
    assert rep_client.get(url).status_code == 200


def test_link_expiry_defaults_to_30_days_in_the_form(rep_client, assets):
    body = rep_client.get(
        reverse("content:share_add", args=[assets["deck"].pk])
    ).content.decode()
    assert 'type="date"' in body
    assert "30 days" in body


@pytest.mark.parametrize(
    "data,message",
    [
        ({"recipient": "", "expires_on": SOON}, "This field is required."),
        ({"recipient": "J", "expires_on": "2001-01-01"}, "Choose today or a later"),
        ({"recipient": "J", "expires_on": "2999-01-01"}, "at most a year"),
        ({"recipient": "J", "expires_on": "soon"}, "Enter a valid date."),
    ],
)
def test_bad_share_input_is_explained_and_nothing_is_saved(
    rep_client, assets, data, message
):
    response = rep_client.post(
        reverse("content:share_add", args=[assets["deck"].pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ShareLink.objects.exists()


def test_cannot_share_for_another_reps_deal(rep_client, assets, other_rep):
    from tests.factories import DealFactory

    deal = DealFactory(owner=other_rep, stage=assets["stage"])
    response = rep_client.post(
        reverse("content:share_add", args=[assets["deck"].pk]),
        {"recipient": "J", "deal": deal.pk, "expires_on": SOON},
    )
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("name", ["internal", "card"])
def test_posting_a_share_of_an_internal_asset_is_refused(rep_client, assets, name):
    response = rep_client.post(
        reverse("content:share_add", args=[assets[name].pk]),
        {"recipient": "J", "expires_on": SOON},
    )
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_partner_cannot_even_open_the_share_form_of_an_internal_asset(
    partner_client, assets
):
    url = reverse("content:share_add", args=[assets["internal"].pk])
    assert partner_client.get(url).status_code == 404
    assert partner_client.post(url, {"recipient": "J"}).status_code == 404


def test_deal_room_is_created_with_several_assets(rep_client, rep, assets, deal):
    url = reverse("content:share_room_add") + f"?deal={deal.pk}"
    page = rep_client.get(url).content.decode()
    assert "Platform overview deck" in page
    assert "Internal pricing deck" not in page
    assert "Battle card: Acme" not in page
    response = rep_client.post(
        url,
        {
            "deal": deal.pk,
            "recipient": "Jane",
            "assets": [assets["deck"].pk, assets["case"].pk],
            "message": "Hello",
            "expires_on": SOON,
        },
    )
    assert response.status_code == 201
    link = ShareLink.objects.get(created_by=rep)
    assert {i.asset for i in link.items.all()} == {assets["deck"], assets["case"]}


def test_deal_room_refuses_an_internal_asset_smuggled_in(rep_client, assets, deal):
    response = rep_client.post(
        reverse("content:share_room_add"),
        {
            "deal": deal.pk,
            "recipient": "Jane",
            "assets": [assets["deck"].pk, assets["internal"].pk],
            "expires_on": SOON,
        },
    )
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_deal_room_without_deals_says_what_to_do(client_for, other_rep, assets):
    body = client_for(other_rep).get(reverse("content:share_room_add")).content
    assert b"Create the deal first" in body


def test_rep_reorders_a_deal_room(rep_client, room):
    link, _token = room
    first, second = link.items.all()
    response = rep_client.post(
        reverse("content:share_item_move", args=[link.pk, second.pk]),
        {"direction": "up"},
    )
    assert response.status_code == 302
    assert [i.pk for i in link.items.all()] == [second.pk, first.pk]


def test_share_list_and_detail_are_mine_only(rep_client, client_for, other_rep, share):
    link, _token = share
    assert (
        b"jane@globex.example" in rep_client.get(reverse("content:share_list")).content
    )
    other = client_for(other_rep)
    assert (
        b"jane@globex.example" not in other.get(reverse("content:share_list")).content
    )
    assert other.get(link.get_absolute_url()).status_code == 404
    revoke = reverse("content:share_revoke", args=[link.pk])
    assert other.post(revoke).status_code == 404
    link.refresh_from_db()
    assert not link.is_revoked


def test_revoking_stops_the_link(rep_client, client, share):
    link, token = share
    response = rep_client.post(reverse("content:share_revoke", args=[link.pk]))
    assert response.status_code == 302
    assert client.get(public_url(token)).status_code == 410


def test_share_list_runs_a_constant_number_of_queries(
    rep_client, rep, assets, deal, django_assert_max_num_queries
):
    from content.services.sharing import share_create

    for i in range(6):
        share_create(
            user=rep,
            assets=[assets["deck"], assets["case"]],
            recipient=f"r{i}",
            deal=deal,
        )
    with django_assert_max_num_queries(12):
        response = rep_client.get(reverse("content:share_list"))
    assert response.status_code == 200


def test_deal_page_shows_prospect_engagement(rep_client, deal, share):
    link, _token = share
    share_open_record(
        share=link, items=list(link.items.all()), visitor_hash="v", user_agent="UA"
    )
    body = rep_client.get(deal.get_absolute_url()).content.decode()
    assert "Prospect engagement" in body
    assert "jane@globex.example" in body
    assert "opened the link" in body
