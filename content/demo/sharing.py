"""Demo share links: the demo rep has shared a deck and a deal room, and the
prospects opened them, so the deal page shows prospect engagement.

Runs after the playbook step (it uses the rep's demo deals), through the same
services as the site. Idempotent: nothing happens once the rep has a link. The
demo links cannot be opened (only their hashes exist); create one to try.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Max, Min
from django.utils import timezone

from accounts.models import User
from content.models import Deal, ShareEvent, ShareEventKind, ShareLink, ShareVisit
from content.selectors.sharing import shareable_assets
from content.services.engagement import (
    BeatEntry,
    beat_record,
    visit_start,
    visit_token,
)
from content.services.sharing import (
    share_create,
    share_download_record,
    share_open_record,
    visitor_hash_for,
)

BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5"
)


def seed(log: Callable[[str], None]) -> None:
    rep = User.objects.filter(username="rep").first()
    if rep is None or ShareLink.objects.filter(created_by=rep).exists():
        return
    deals = list(Deal.objects.owned_by(rep).open().order_by("pk")[:2])
    assets = list(shareable_assets(user=rep)[:3])
    if len(deals) < 2 or len(assets) < 3:
        return
    now = timezone.now()
    single, _token = share_create(
        user=rep,
        assets=[assets[0]],
        recipient="dana.cho@prospect.example",
        deal=deals[0],
        message="As promised on the call: the overview we walked through.",
        require_email=True,
        watermark=True,
    )
    room, _token = share_create(
        user=rep,
        assets=assets[1:3],
        recipient="Sam Ortiz (Head of RevOps)",
        deal=deals[1],
        message="Everything for your evaluation in one place.",
        allow_download=False,
    )
    visitors = [
        visitor_hash_for(ip=f"198.51.100.{n}", user_agent=BROWSER) for n in (7, 8, 9)
    ]
    for share, visits in ((single, visitors[:1]), (room, visitors)):
        items = list(share.items.all())
        for visitor in visits:
            share_open_record(
                share=share, items=items, visitor_hash=visitor, user_agent=BROWSER
            )
        share_download_record(
            share=share, item=items[0], visitor_hash=visits[0], user_agent=BROWSER
        )
    # Opened over the last days, not all this second.
    for age, event in enumerate(ShareEvent.objects.filter(share__created_by=rep)):
        ShareEvent.objects.filter(pk=event.pk).update(
            created_at=now - timedelta(hours=5 + 19 * age)
        )
    for share in (single, room):
        opens = ShareEvent.objects.filter(share=share, kind=ShareEventKind.OPEN)
        span = opens.aggregate(first=Min("created_at"), last=Max("created_at"))
        ShareLink.objects.filter(pk=share.pk).update(
            created_at=now - timedelta(days=4),
            first_opened_at=span["first"],
            last_opened_at=span["last"],
        )
    log("2 share links with prospect opens")


# Seconds on pages 1, 2, 3, ... of one visit: readers slow down on the pages that
# matter and drop off towards the end, as DocSend's charts show.
READING = (
    (12.0, 31.0, 54.0, 9.0, 4.0, 22.0),
    (8.0, 14.0, 6.0),
    (25.0, 40.0, 18.0, 11.0),
)


def seed_visits(log: Callable[[str], None]) -> None:
    """Visits through the engagement services at past times: the first of each
    link leaves the rep a notification, as a real first open would.

    Run by seed_demo after the page images are made (a visit is timed page by
    page); idempotent: nothing happens once the rep's links have visits.
    """
    rep = User.objects.filter(username="rep").first()
    links = list(
        ShareLink.objects.filter(created_by=rep).order_by("created_at", "pk")[:2]
    )
    if len(links) < 2 or ShareVisit.objects.filter(share__in=links).exists():
        return
    single, room = sorted(links, key=lambda link: link.items.count())
    now = timezone.now()
    plan = [
        (single, "dana.cho@prospect.example", 0, 30),
        (single, "cfo@prospect.example", 2, 6),
        (room, "", 1, 52),
        (room, "", 2, 20),
    ]
    made = 0
    for n, (share, email, reading, hours_ago) in enumerate(plan):
        started = now - timedelta(hours=hours_ago)
        visitor = visitor_hash_for(ip=f"203.0.113.{n + 1}", user_agent=BROWSER)
        visit = visit_start(
            share=share,
            visitor_hash=visitor,
            user_agent=BROWSER,
            email=email,
            now=started,
        )
        if visit is None:
            continue
        made += 1
        item = share.items.select_related("asset__current_version").first()
        count = item.asset.current_version.page_count or 1
        seconds = READING[reading][:count]
        beat_at = started
        for number, spent in enumerate(seconds, start=1):
            beat_at += timedelta(seconds=spent + 1)
            beat_record(
                share=share,
                token=visit_token(visit),
                entries=[BeatEntry(item_id=item.pk, number=number, seconds=spent)],
                page_counts={item.pk: count},
                now=beat_at,
            )
    log(f"{made} prospect visits, page by page, and the rep's notifications")
