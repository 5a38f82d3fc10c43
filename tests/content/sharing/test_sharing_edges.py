"""Share-link reads at their edges: newest first (ties by id), the limits, the
queries they cost, and nothing for someone else's deal.

Written against the survivors of mutation testing (docs/testing.md).
"""

import datetime

import pytest
from django.utils import timezone

from content.models import ShareEvent, ShareEventKind
from content.selectors.sharing import deal_share_engagement, share_link_events

pytestmark = pytest.mark.django_db


def _events(link, count: int, *, item=None) -> list[ShareEvent]:
    """`count` events, the earlier ones older; returned oldest first."""
    events = ShareEvent.objects.bulk_create(
        ShareEvent(share=link, item=item, kind=ShareEventKind.OPEN)
        for _ in range(count)
    )
    now = timezone.now()
    for age, event in enumerate(reversed(events)):
        event.created_at = now - datetime.timedelta(minutes=age)
        event.save(update_fields=["created_at"])
    return events


def test_a_links_events_come_newest_first_ties_by_latest_id(share):
    link, _token = share
    first, tie_a, tie_b = _events(link, 3)
    tie = timezone.now() - datetime.timedelta(hours=1)
    ShareEvent.objects.filter(pk__in=[tie_a.pk, tie_b.pk]).update(created_at=tie)
    # The lowest id is the newest: time decides, the id only breaks ties.
    ShareEvent.objects.filter(pk=first.pk).update(created_at=timezone.now())
    assert [e.pk for e in share_link_events(share=link)] == [
        first.pk,
        tie_b.pk,
        tie_a.pk,
    ]


def test_a_links_events_stop_at_fifty_with_what_they_show_loaded(
    share, django_assert_num_queries
):
    link, _token = share
    item = link.items.get()
    _events(link, 51, item=item)
    with django_assert_num_queries(1):
        events = share_link_events(share=link)
        titles = {event.item.asset.title for event in events}
    assert len(events) == 50
    assert titles == {"Platform overview deck"}


def test_deal_engagement_shows_the_ten_latest_events_and_links_newest_first(
    rep, deal, share, room
):
    (first, _), (second, _) = share, room
    ShareEvent.objects.filter(share__in=[first, second]).delete()
    _events(first, 6)
    _events(second, 6)
    engagement = deal_share_engagement(user=rep, deal=deal)
    assert len(engagement.recent_events) == 10
    times = [event.created_at for event in engagement.recent_events]
    assert times == sorted(times, reverse=True)
    # Events at the same moment: the later id first.
    ShareEvent.objects.update(created_at=timezone.now())
    ids = [e.pk for e in deal_share_engagement(user=rep, deal=deal).recent_events]
    assert ids == sorted(ids, reverse=True)
    assert ids[0] == ShareEvent.objects.order_by("pk").last().pk
    assert [link.pk for link in engagement.links] == [second.pk, first.pk]
    # An older link created later still comes after a newer one.
    type(second).objects.filter(pk=second.pk).update(
        created_at=first.created_at - datetime.timedelta(hours=1)
    )
    engagement = deal_share_engagement(user=rep, deal=deal)
    assert [link.pk for link in engagement.links] == [first.pk, second.pk]
    # Made at the same moment: the later id first.
    type(second).objects.filter(pk=second.pk).update(created_at=first.created_at)
    engagement = deal_share_engagement(user=rep, deal=deal)
    assert [link.pk for link in engagement.links] == [second.pk, first.pk]


def test_deal_engagement_costs_three_queries_with_what_it_shows_loaded(
    rep, deal, share, room, django_assert_num_queries
):
    for link, _token in (share, room):
        _events(link, 2, item=link.items.first())
    with django_assert_num_queries(3):
        engagement = deal_share_engagement(user=rep, deal=deal)
        shown = [
            (link.created_by.username, [item.asset.title for item in link.items.all()])
            for link in engagement.links
        ]
        shown += [
            (event.share.recipient, [event.item.asset.title])
            for event in engagement.recent_events
        ]
    assert len(shown) == 2 + 4


def test_someone_elses_deal_shows_no_engagement(other_rep, deal, share):
    engagement = deal_share_engagement(user=other_rep, deal=deal)
    assert engagement.links == [] and engagement.recent_events == []
    assert (engagement.opens, engagement.downloads) == (0, 0)
    assert engagement.by_asset == [] and engagement.last_opened_at is None


def test_deal_engagement_adds_up_each_assets_views_and_downloads(
    rep, deal, share, room
):
    from content.models import ShareLink, ShareLinkItem

    (first, _), (second, _) = share, room
    # share: the deck; room: the case study and the deck.
    ShareLinkItem.objects.filter(share=first).update(view_count=1, download_count=1)
    ShareLinkItem.objects.filter(
        share=second, asset__title__startswith="Platform"
    ).update(view_count=0, download_count=2)
    ShareLinkItem.objects.filter(
        share=second, asset__title__startswith="Globex"
    ).update(view_count=3, download_count=0)
    ShareLink.objects.filter(pk=first.pk).update(open_count=2, download_count=1)
    ShareLink.objects.filter(pk=second.pk).update(open_count=1, download_count=2)
    engagement = deal_share_engagement(user=rep, deal=deal)
    rows = [(r["asset"].title, r["views"], r["downloads"]) for r in engagement.by_asset]
    # Most views and downloads together first: the deck 1 + 3, the case 3 + 0.
    assert rows == [
        ("Platform overview deck", 1, 3),
        ("Globex case study", 3, 0),
    ]
    assert (engagement.opens, engagement.downloads) == (3, 3)
    assert engagement.last_opened_at is None  # counters set, never opened


def test_deal_engagement_ties_go_by_title_and_views_outweigh_nothing(rep, deal, room):
    from content.models import ShareLinkItem

    link, _token = room
    ShareLinkItem.objects.filter(share=link).update(view_count=0, download_count=0)
    ShareLinkItem.objects.filter(
        share=link, asset__title__startswith="Platform"
    ).update(view_count=2)
    rows = [
        r["asset"].title for r in deal_share_engagement(user=rep, deal=deal).by_asset
    ]
    assert rows == ["Platform overview deck", "Globex case study"]
    ShareLinkItem.objects.filter(share=link).update(view_count=0, download_count=4)
    rows = [
        r["asset"].title for r in deal_share_engagement(user=rep, deal=deal).by_asset
    ]
    assert rows == ["Globex case study", "Platform overview deck"]


def test_shareable_assets_come_by_title_then_age_with_their_file_loaded(
    rep, assets, django_assert_num_queries
):
    from content.selectors.sharing import shareable_assets
    from tests.content.sharing.conftest import with_current_version
    from tests.factories import AssetFactory

    twins = [
        with_current_version(AssetFactory(title="Globex case study", for_partners=True))
        for _ in range(2)
    ]
    with django_assert_num_queries(1):
        shared = list(shareable_assets(user=rep))
        [asset.current_version.number for asset in shared]
    titles = [(asset.title, asset.pk) for asset in shared]
    globex = [pk for title, pk in titles if title == "Globex case study"]
    assert globex == sorted([assets["case"].pk, *(t.pk for t in twins)])
    assert [title for title, _ in titles] == sorted(title for title, _ in titles)


def test_a_reps_links_come_with_their_deal_loaded(
    rep, share, room, django_assert_num_queries
):
    from content.selectors.sharing import share_links_for

    with django_assert_num_queries(2):
        links = list(share_links_for(user=rep))
        deals = {link.deal.name for link in links}
    assert deals == {"Globex expansion"}


def test_a_links_assets_come_in_the_order_the_rep_chose(rep, room):
    from content.models import ShareLinkItem
    from content.selectors.sharing import share_links_for

    link, _token = room
    first, second = link.items.order_by("id")
    # Reordered: position decides, the id only breaks ties.
    ShareLinkItem.objects.filter(pk=first.pk).update(position=5)
    [loaded] = share_links_for(user=rep)
    assert [item.pk for item in loaded.items.all()] == [second.pk, first.pk]
    ShareLinkItem.objects.filter(pk=second.pk).update(position=5)
    [loaded] = share_links_for(user=rep)
    assert [item.pk for item in loaded.items.all()] == [first.pk, second.pk]


def test_the_asset_page_lists_a_reps_ten_latest_links_with_the_asset(
    rep, assets, deal, django_assert_num_queries
):
    from content.models import ShareLink
    from content.selectors.sharing import asset_share_links
    from content.services.sharing import share_create

    links = [
        share_create(user=rep, assets=[assets["deck"]], recipient=f"r{i}", deal=deal)[0]
        for i in range(11)
    ]
    share_create(user=rep, assets=[assets["case"]], recipient="other", deal=deal)
    # The first link is the newest; two share the same moment (later id first).
    ShareLink.objects.filter(pk=links[0].pk).update(created_at=timezone.now())
    same = links[5].created_at
    ShareLink.objects.filter(pk=links[6].pk).update(created_at=same)
    with django_assert_num_queries(1):
        shown = asset_share_links(user=rep, asset=assets["deck"])
        {link.deal.name for link in shown}
    assert len(shown) == 10
    assert shown[0].pk == links[0].pk
    order = [link.pk for link in shown]
    assert order.index(links[6].pk) < order.index(links[5].pk)
    assert links[1].pk not in order  # the oldest drops out


def test_a_share_can_belong_to_the_reps_open_deals_by_name(rep):
    from content.models import DealOutcome
    from content.selectors.sharing import share_deal_choices
    from tests.factories import DealFactory

    b = DealFactory(owner=rep, name="Beta")
    a1, a2 = DealFactory(owner=rep, name="Alpha"), DealFactory(owner=rep, name="Alpha")
    DealFactory(owner=rep, name="Aardvark", outcome=DealOutcome.WON)
    DealFactory(name="Someone else's")
    assert list(share_deal_choices(user=rep)) == [a1, a2, b]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"status": "draft"}, "Only published assets can be shared."),
        ({"status": "retired"}, "Only published assets can be shared."),
        (
            {"kind": "battle_card"},
            "Battle cards are for internal use and cannot be shared.",
        ),
        (
            {"audience": "internal"},
            "This asset is internal only and cannot be shared outside the company.",
        ),
        ({"current_version": None}, "This asset has no file to share yet."),
        ({}, ""),
    ],
)
def test_the_rep_is_told_why_an_asset_cannot_be_shared(assets, change, message):
    from content.selectors.sharing import why_not_shareable

    asset = assets["deck"]
    for field, value in change.items():
        setattr(asset, field, value)
    assert why_not_shareable(asset) == message


def test_a_prospects_link_loads_its_creator_and_items_in_the_reps_order(
    room, django_assert_num_queries
):
    from content.models import ShareLinkItem
    from content.selectors.sharing import share_by_token_hash

    link, _token = room
    first, second = link.items.order_by("id")
    ShareLinkItem.objects.filter(pk=first.pk).update(position=5)
    with django_assert_num_queries(2):
        found = share_by_token_hash(token_hash=link.token_hash)
        creator = found.created_by.username
        items = [
            (item.pk, item.asset.current_version.number) for item in found.items.all()
        ]
    assert [pk for pk, _ in items] == [second.pk, first.pk]
    assert creator == link.created_by.username
    assert share_by_token_hash(token_hash="0" * 64) is None
