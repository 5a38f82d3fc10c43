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
from content.models import Deal, ShareEvent, ShareEventKind, ShareLink
from content.selectors.sharing import shareable_assets
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
    )
    room, _token = share_create(
        user=rep,
        assets=assets[1:3],
        recipient="Sam Ortiz (Head of RevOps)",
        deal=deals[1],
        message="Everything for your evaluation in one place.",
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
