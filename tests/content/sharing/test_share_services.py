"""The sharing rule and the share services."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from content.models import (
    AssetEvent,
    AssetKind,
    DailyAssetStat,
    EventKind,
    ShareEvent,
    ShareLink,
)
from content.selectors.sharing import (
    INTERNAL_ONLY_KINDS,
    asset_is_shareable,
    deal_share_engagement,
    shareable_assets,
)
from content.services.sharing import (
    DEFAULT_EXPIRY,
    share_create,
    share_download_record,
    share_item_move,
    share_open_record,
    share_revoke,
    visitor_hash_for,
)
from tests.factories import AssetFactory, DealFactory

pytestmark = pytest.mark.django_db


def test_only_published_partner_audience_non_internal_kinds_are_shareable(assets):
    assert asset_is_shareable(assets["deck"])
    assert asset_is_shareable(assets["case"])
    assert not asset_is_shareable(assets["internal"])  # internal only
    assert not asset_is_shareable(assets["card"])  # battle card
    assert not asset_is_shareable(assets["draft"])  # not published


@pytest.mark.parametrize("kind", sorted(INTERNAL_ONLY_KINDS))
def test_internal_kinds_are_never_shareable_even_for_partners(kind, marketer, assets):
    asset = AssetFactory(kind=kind, for_partners=True, owner=marketer)
    asset.current_version = assets["deck"].current_version
    assert not asset_is_shareable(asset)


def test_asset_without_a_file_is_not_shareable(marketer):
    asset = AssetFactory(kind=AssetKind.DECK, for_partners=True, owner=marketer)
    assert not asset_is_shareable(asset)


def test_rule_as_filter_matches_rule_on_one_asset(rep, assets):
    listed = set(shareable_assets(user=rep))
    for asset in assets.values():
        if hasattr(asset, "kind"):
            assert (asset in listed) == asset_is_shareable(asset)


def test_share_create_stores_only_a_hash_and_defaults_to_30_days(rep, assets, deal):
    share, token = share_create(user=rep, assets=[assets["deck"]], recipient="Jane")
    assert len(token) >= 43
    assert share.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not ShareLink.objects.filter(token_hash=token).exists()
    expected = timezone.now() + DEFAULT_EXPIRY
    assert abs((share.expires_at - expected).total_seconds()) < 5
    assert [i.asset for i in share.items.all()] == [assets["deck"]]


@pytest.mark.parametrize("name", ["internal", "card", "draft"])
def test_unshareable_assets_are_refused(rep, assets, name):
    with pytest.raises(ValidationError) as exc:
        share_create(user=rep, assets=[assets[name]], recipient="Jane")
    assert "assets" in exc.value.message_dict
    assert not ShareLink.objects.exists()


def test_partner_cannot_share_what_they_cannot_see(partner, assets, marketer):
    # Shareable kind and audience, but retired: the partner cannot see it.
    retired = AssetFactory(for_partners=True, retired=True, owner=marketer)
    retired.current_version = assets["deck"].current_version
    retired.save()
    with pytest.raises(ValidationError):
        share_create(user=partner, assets=[retired], recipient="x")


def test_share_for_another_reps_deal_is_refused(rep, other_rep, assets):
    deal = DealFactory(owner=other_rep, stage=assets["stage"])
    with pytest.raises(ValidationError) as exc:
        share_create(user=rep, assets=[assets["deck"]], recipient="x", deal=deal)
    assert "deal" in exc.value.message_dict


def test_deal_room_needs_a_deal(rep, assets):
    with pytest.raises(ValidationError) as exc:
        share_create(user=rep, assets=[assets["deck"], assets["case"]], recipient="x")
    assert "deal" in exc.value.message_dict


@pytest.mark.parametrize("days", [-1, 400])
def test_expiry_must_be_in_the_future_and_within_a_year(rep, assets, days):
    with pytest.raises(ValidationError) as exc:
        share_create(
            user=rep,
            assets=[assets["deck"]],
            recipient="x",
            expires_at=timezone.now() + timedelta(days=days),
        )
    assert "expires_at" in exc.value.message_dict


def test_empty_recipient_is_refused(rep, assets):
    with pytest.raises(ValidationError) as exc:
        share_create(user=rep, assets=[assets["deck"]], recipient="  ")
    assert "recipient" in exc.value.message_dict
    assert not ShareLink.objects.exists()


def test_only_the_creator_revokes(rep, other_rep, share):
    link, _token = share
    with pytest.raises(PermissionDenied):
        share_revoke(user=other_rep, share=link)
    share_revoke(user=rep, share=link)
    link.refresh_from_db()
    assert link.is_revoked


def test_deal_room_order_can_change(rep, room):
    link, _token = room
    first, second = link.items.all()
    share_item_move(user=rep, share=link, item=second, offset=-1)
    assert [i.asset for i in link.items.all()] == [second.asset, first.asset]
    # Moving past the end changes nothing.
    share_item_move(user=rep, share=link, item=second, offset=-1)
    assert [i.asset for i in link.items.all()] == [second.asset, first.asset]


def test_open_records_a_prospect_view_per_asset_once_per_visit(room):
    link, _token = room
    items = list(link.items.all())
    visitor = visitor_hash_for(ip="203.0.113.9", user_agent="Mozilla/5.0")
    assert share_open_record(
        share=link, items=items, visitor_hash=visitor, user_agent="Mozilla/5.0"
    )
    # A reload within the window is the same visit.
    assert not share_open_record(
        share=link, items=items, visitor_hash=visitor, user_agent="Mozilla/5.0"
    )
    link.refresh_from_db()
    assert link.open_count == 1
    assert link.first_opened_at == link.last_opened_at
    events = AssetEvent.objects.filter(kind=EventKind.PROSPECT_VIEW)
    assert {e.asset_id for e in events} == {i.asset_id for i in items}
    assert all(e.visitor_hash == visitor and e.user is None for e in events)
    stat = DailyAssetStat.objects.get(asset=items[0].asset)
    assert stat.prospect_views == 1
    # Another visitor is another open.
    other = visitor_hash_for(ip="198.51.100.1", user_agent="Mozilla/5.0")
    share_open_record(share=link, items=items, visitor_hash=other, user_agent="M")
    link.refresh_from_db()
    assert link.open_count == 2


def test_visitor_hash_is_anonymous_and_stable():
    first = visitor_hash_for(ip="203.0.113.9", user_agent="UA")
    assert first == visitor_hash_for(ip="203.0.113.9", user_agent="UA")
    assert first != visitor_hash_for(ip="203.0.113.10", user_agent="UA")
    assert "203.0.113.9" not in first
    assert first != hashlib.sha256(b"203.0.113.9|UA").hexdigest()[:32]


def test_link_preview_bots_are_not_counted(share):
    link, _token = share
    recorded = share_open_record(
        share=link,
        items=list(link.items.all()),
        visitor_hash="x",
        user_agent="Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    )
    assert not recorded
    assert not ShareEvent.objects.exists()


def test_download_is_recorded_per_asset(share):
    link, _token = share
    item = link.items.get()
    share_download_record(share=link, item=item, visitor_hash="v", user_agent="UA")
    link.refresh_from_db()
    item.refresh_from_db()
    assert link.download_count == item.download_count == 1
    assert AssetEvent.objects.filter(
        asset=item.asset, kind=EventKind.PROSPECT_DOWNLOAD
    ).exists()


def test_deal_engagement_sums_links_and_is_for_the_owner_only(
    rep, other_rep, deal, share, room
):
    for link, _token in (share, room):
        share_open_record(
            share=link, items=list(link.items.all()), visitor_hash="v", user_agent="UA"
        )
    engagement = deal_share_engagement(user=rep, deal=deal)
    assert len(engagement.links) == 2
    assert engagement.opens == 2
    assert engagement.last_opened_at is not None
    views = {row["asset"].title: row["views"] for row in engagement.by_asset}
    assert views["Platform overview deck"] == 2
    assert len(engagement.recent_events) == 2
    assert deal_share_engagement(user=other_rep, deal=deal).links == []
