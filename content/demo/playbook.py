"""Demo data for the playbook: deals, usage, ratings, views, requests and news.

Runs after the library step and uses the assets it created, through the same
services as the site (deal_create, usage_record, rating_set, ...), then moves
timestamps back so the last six months look lived-in. Idempotent: it does
nothing when its deals exist already, and nothing at all without published
assets.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from content.models import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetEvent,
    AssetStatus,
    Audience,
    ContentRequest,
    Deal,
    DealOutcome,
    EventKind,
    Notification,
    Rating,
    SearchLog,
    Stage,
    Usage,
    Version,
)
from content.services.deals import deal_create, deal_set_outcome, usage_record
from content.services.feedback import (
    content_request_create,
    content_request_triage,
    content_request_vote,
    rating_scores_refresh,
    rating_set,
)
from content.services.notifications import (
    notify_asset_published,
    notify_asset_updated,
    subscription_create,
)

CRM_PREFIX = "DEMO-"
SELLERS = ["rep", "rep2", "rep3", "rep4", "partner"]
DEALS_PER_SELLER = {"rep": 9, "rep2": 8, "rep3": 8, "rep4": 6, "partner": 5}
HISTORY_DAYS = 180
RECENT_ASSETS = 5  # published in the last week: "what's new" for the demo rep

ACCOUNTS = [
    "Kestrel Foods", "Bramble Insurance", "Quillon Bank", "Tidewater Logistics",
    "Larkspur Health", "Copperline Energy", "Meridian Outdoor", "Solstice Retail",
    "Halcyon Media", "Ironbark Manufacturing", "Vantage Freight", "Juniper Schools",
    "Riverstone Capital", "Pinecrest Hotels", "Oakhaven Pharma", "Silverleaf Telecom",
    "Falconridge Aero", "Bluefin Seafood", "Granite Peak Software", "Marigold Travel",
    "Northstar Utilities", "Cobalt Mobility", "Emberly Games", "Saffron Kitchens",
    "Willowbrook Clinics", "Aurora Textiles", "Redwood Civic", "Keystone Legal",
    "Lighthouse Learning", "Summit Dental", "Orchid Biotech", "Thistle Farms",
    "Crescent Airlines", "Harborview Ports", "Stonebridge Insurance", "Maple Finance",
]  # fmt: skip
DEAL_KINDS = [
    "platform rollout",
    "sales team pilot",
    "forecasting add-on",
    "renewal and expansion",
    "revenue analytics",
    "EMEA rollout",
]
NOTES = [
    "Sent after the first call.",
    "Walked the champion through it on screen.",
    "Used to answer the CFO's questions.",
    "Shared with procurement.",
    "Helped reframe the pricing discussion.",
    "",
    "",
]
COMMENTS = {
    5: [
        "Used it word for word on the pricing call; the CFO stopped pushing for a "
        "discount.",
        "Exactly what procurement asked for. Saved me a week.",
        "Short enough to read during the call. More of these, please.",
        "The customer proof points landed really well with the economic buyer.",
    ],
    4: [
        "Solid. I would add a slide for multi-entity customers.",
        "Good structure; the second half is a bit long for a first meeting.",
        "Worked well with the champion, needed trimming for the executive.",
        "",
    ],
    3: [
        "OK, but some numbers look a year old.",
        "Useful background, not something I can send as is.",
        "",
    ],
    2: [
        "Too generic for enterprise deals.",
        "The prospect found the claims hard to believe without a customer name.",
    ],
    1: ["Out-of-date pricing; the prospect caught it. Please fix."],
}
REQUESTS = [
    # requester, title, stage slug, kind, why, voters
    (
        "rep2",
        "Objection handler: “Your contract terms are too rigid”",
        "proposal-negotiation",
        "objection_handler",
        "Legal teams at banks push back on our standard terms every time.",
        ["rep3", "rep4", "partner"],
    ),
    (
        "rep3",
        "Case study in financial services",
        "proposal-negotiation",
        "case_study",
        "Three banks in my pipeline ask for a peer reference in their industry.",
        ["rep", "rep2"],
    ),
    (
        "rep4",
        "Cold email for CFOs",
        "prospecting",
        "email_template",
        "Our sequences speak to sales leaders; finance needs a different hook.",
        ["rep"],
    ),
    (
        "partner",
        "Partner-ready demo deck without internal pricing",
        "demo",
        "deck",
        "We cannot send the internal deck to end customers.",
        ["rep2"],
    ),
]
TRIAGED_REQUESTS = [
    # requester, title, status, fulfilling asset title or decline reason
    ("rep", "One-pager on the API and single sign-on", "planned", ""),
    (
        "rep2",
        "Battle card against spreadsheets",
        "done",
        "Battle card: spreadsheets and the status quo",
    ),
    (
        "rep3",
        "Poster for trade shows",
        "declined",
        "Trade-show material is owned by events marketing: ask in #events.",
    ),
]
FAILED_SEARCHES = [
    ("soc 2 report", "proposal-negotiation", 3),
    ("german deck", "", 2),
    ("healthcare pricing", "proposal-negotiation", 2),
    ("acme migration guide", "demo", 2),
    ("procurement faq", "closing", 1),
    ("partner margin", "", 1),
]


def seed(log: Callable[[str], None]) -> None:
    if Deal.objects.filter(crm_id__startswith=CRM_PREFIX).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=SELLERS)}
    marketer = User.objects.filter(username="marketer").first()
    published = list(
        Asset.objects.filter(status=AssetStatus.PUBLISHED)
        .prefetch_related("stages")
        .order_by("pk")
    )
    if len(people) < len(SELLERS) or marketer is None or not published:
        return
    rng = random.Random(20250401)  # noqa: S311 - demo data, not security
    now = timezone.now()
    quality = {asset.pk: rng.uniform(0.25, 0.85) for asset in published}
    published_at = _backdate_library(published, rng=rng, now=now)
    deals = _seed_deals(people, published, quality, published_at, rng=rng, now=now)
    log(f"{len(deals)} demo deals with usage and outcomes")
    rated = _seed_ratings(people, published, quality, published_at, rng=rng, now=now)
    log(f"{rated} ratings with comments")
    # Each rating scored its asset against the mean of the moment: re-base all.
    rating_scores_refresh()
    events = _seed_events(people, published, quality, published_at, rng=rng, now=now)
    log(f"{events} view and download events")
    _seed_requests(people, marketer, now=now)
    _seed_failed_searches(people, now=now)
    _seed_news_for_rep(people["rep"], published, published_at, now=now)
    log("content requests, searches, subscriptions and notifications")


# Time ---------------------------------------------------------------------------


def _backdate_library(
    published: list[Asset], *, rng: random.Random, now: datetime
) -> dict[int, datetime]:
    """Spread publication over the last months; a few stay brand new."""
    order = list(published)
    rng.shuffle(order)
    when: dict[int, datetime] = {}
    for i, asset in enumerate(order):
        if i < RECENT_ASSETS:
            days = rng.uniform(0.5, 6)
        elif i < RECENT_ASSETS + 8:
            days = rng.uniform(10, 90)
        else:
            days = rng.uniform(120, HISTORY_DAYS + 20)
        when[asset.pk] = now - timedelta(days=days)
    for asset in published:
        public = when[asset.pk]
        created = public - timedelta(days=rng.uniform(1, 10))
        Asset.objects.filter(pk=asset.pk).update(
            created_at=created, published_at=public
        )
        versions = list(Version.objects.filter(asset=asset).order_by("number"))
        stamp = public
        for number, version in enumerate(versions, start=1):
            if number == 1:
                stamp = created
            else:
                # Later versions came after publication: "updated" news.
                stamp = public + (now - public) * (number - 1) / len(versions)
            Version.objects.filter(pk=version.pk).update(
                created_at=stamp, updated_at=stamp
            )
        Asset.objects.filter(pk=asset.pk).update(updated_at=max(stamp, public))
        AssetActivity.objects.filter(
            asset=asset, verb__in=[ActivityVerb.CREATED]
        ).update(created_at=created)
        AssetActivity.objects.filter(
            asset=asset, verb__in=[ActivityVerb.PUBLISHED, ActivityVerb.VERIFIED]
        ).update(created_at=public)
    return when


@contextmanager
def _explicit_created_at(model) -> Iterator[None]:
    """Let bulk_create keep the backdated created_at we give it."""
    field = model._meta.get_field("created_at")
    saved = field.auto_now_add
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = saved


# Deals and usage ----------------------------------------------------------------


def _visible(asset: Asset, user: User) -> bool:
    return user.role != "partner" or asset.audience == Audience.PARTNERS


def _seed_deals(people, published, quality, published_at, *, rng, now) -> list[Deal]:
    stages = list(Stage.objects.filter(is_active=True).order_by("order"))
    accounts = iter(rng.sample(ACCOUNTS, len(ACCOUNTS)))
    deals = []
    number = 0
    for username, count in DEALS_PER_SELLER.items():
        user = people[username]
        for _ in range(count):
            number += 1
            account = next(accounts, None) or f"Account {number}"
            age = rng.uniform(5, HISTORY_DAYS - 5)
            created = now - timedelta(days=age)
            # Older deals have travelled further along the cycle.
            stage_index = min(len(stages) - 1, int(age / 35) + rng.randint(0, 2))
            deal = deal_create(
                user=user,
                name=f"{account} {rng.choice(DEAL_KINDS)}",
                account=account,
                crm_id=f"{CRM_PREFIX}{number:04d}",
                amount=Decimal(rng.randrange(8, 250)) * 1000,
                stage=stages[stage_index],
            )
            closes = age > 40 and rng.random() < 0.8
            closed_at = created + timedelta(days=rng.uniform(20, age - 2))
            end = closed_at if closes else now
            candidates = [
                a
                for a in published
                if _visible(a, user) and published_at[a.pk] < end - timedelta(days=1)
            ]
            used = rng.sample(candidates, min(len(candidates), rng.randint(1, 4)))
            for asset in used:
                start = max(created, published_at[asset.pk])
                stamp = start + (end - start) * rng.uniform(0.05, 0.95)
                asset_stages = list(asset.stages.all())
                usage = usage_record(
                    user=user,
                    deal=deal,
                    asset=asset,
                    stage=rng.choice(asset_stages) if asset_stages else deal.stage,
                    note=rng.choice(NOTES),
                )
                Usage.objects.filter(pk=usage.pk).update(created_at=stamp)
            if closes:
                odds = sum(quality[a.pk] for a in used) / max(len(used), 1)
                won = rng.random() < odds
                deal_set_outcome(
                    user=user,
                    deal=deal,
                    outcome=DealOutcome.WON if won else DealOutcome.LOST,
                    amount=deal.amount if won else None,
                )
                Deal.objects.filter(pk=deal.pk).update(
                    created_at=created, updated_at=closed_at, closed_at=closed_at
                )
            else:
                Deal.objects.filter(pk=deal.pk).update(
                    created_at=created, updated_at=now - timedelta(days=age / 3)
                )
            deals.append(deal)
    return deals


# Ratings ------------------------------------------------------------------------


def _seed_ratings(people, published, quality, published_at, *, rng, now) -> int:
    used_by: dict[int, set[int]] = {}
    for user_id, asset_id in Usage.objects.values_list("user_id", "asset_id"):
        used_by.setdefault(user_id, set()).add(asset_id)
    count = 0
    for user in people.values():
        pool = [a for a in published if _visible(a, user)]
        # People rate what they used, and a few things they only read.
        mine = [a for a in pool if a.pk in used_by.get(user.pk, set())]
        extra = rng.sample(pool, min(len(pool), 3))
        for asset in {a.pk: a for a in mine + extra}.values():
            if rng.random() < 0.25:
                continue
            stars = max(1, min(5, round(1 + quality[asset.pk] * 5 + rng.gauss(0, 0.7))))
            rating = rating_set(
                user=user, asset=asset, stars=stars, comment=rng.choice(COMMENTS[stars])
            )
            age = (now - published_at[asset.pk]).total_seconds()
            stamp = now - timedelta(seconds=age * rng.uniform(0.02, 0.9))
            Rating.objects.filter(pk=rating.pk).update(
                created_at=stamp, updated_at=stamp
            )
            count += 1
    return count


# Views and downloads ------------------------------------------------------------


def _seed_events(people, published, quality, published_at, *, rng, now) -> int:
    viewers = list(people.values()) + list(
        User.objects.filter(username__in=["marketer", "admin"])
    )
    rows = []
    per_asset: dict[int, Counter] = {}
    for asset in published:
        audience = [u for u in viewers if _visible(asset, u)]
        days = max(1, int((now - published_at[asset.pk]).days))
        # Popular assets are opened more; newer ones have had less time.
        views = int(days * quality[asset.pk] * rng.uniform(0.8, 2.0)) + rng.randint(
            1, 6
        )
        counter = per_asset.setdefault(asset.pk, Counter())
        for _ in range(views):
            stamp = published_at[asset.pk] + (now - published_at[asset.pk]) * (
                rng.random() ** 0.8
            )
            kind = EventKind.DOWNLOAD if rng.random() < 0.3 else EventKind.VIEW
            counter[kind] += 1
            rows.append(
                AssetEvent(
                    asset_id=asset.pk,
                    version_id=asset.current_version_id,
                    user=rng.choice(audience),
                    kind=kind,
                    user_agent="Mozilla/5.0 (demo)",
                    created_at=min(stamp, now),
                )
            )
    with _explicit_created_at(AssetEvent):
        AssetEvent.objects.bulk_create(rows, batch_size=2000)
    for asset_id, counter in per_asset.items():
        Asset.objects.filter(pk=asset_id).update(
            view_count=F("view_count") + counter[EventKind.VIEW],
            download_count=F("download_count") + counter[EventKind.DOWNLOAD],
        )
    return len(rows)


# Requests, searches and news ----------------------------------------------------


def _seed_requests(people, marketer, *, now) -> None:
    stages = {stage.slug: stage for stage in Stage.objects.all()}
    for age, (requester, title, stage, kind, why, voters) in enumerate(REQUESTS):
        request = content_request_create(
            user=people[requester],
            title=title,
            description=why,
            stage=stages.get(stage),
            kind=kind,
        )
        for voter in voters:
            content_request_vote(user=people[voter], request=request)
        ContentRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(days=3 + age * 9)
        )
    for age, (requester, title, status, detail) in enumerate(TRIAGED_REQUESTS):
        request = content_request_create(user=people[requester], title=title)
        fulfilled_by = None
        if status == "done":
            fulfilled_by = Asset.objects.filter(
                title=detail, status=AssetStatus.PUBLISHED
            ).first()
            if fulfilled_by is None:
                continue
        content_request_triage(
            user=marketer,
            request=request,
            status=status,
            fulfilled_by=fulfilled_by,
            reason=detail if status == "declined" else "",
        )
        asked = now - timedelta(days=40 + age * 12)
        triaged = asked + timedelta(days=6)
        ContentRequest.objects.filter(pk=request.pk).update(
            created_at=asked, triaged_at=triaged
        )
        Notification.objects.filter(request=request).update(created_at=triaged)


def _seed_failed_searches(people, *, now) -> None:
    stages = {stage.slug: stage for stage in Stage.objects.all()}
    sellers = list(people.values())
    rows = []
    for i, (query, stage, times) in enumerate(FAILED_SEARCHES):
        for j in range(times):
            user = sellers[(i + j) % len(sellers)]
            rows.append(
                SearchLog(
                    query=query,
                    normalized_query=query,
                    user=user,
                    role=user.role,
                    stage=stages.get(stage),
                    results_count=0,
                    created_at=now - timedelta(days=2 + i * 7 + j * 3),
                )
            )
    with _explicit_created_at(SearchLog):
        SearchLog.objects.bulk_create(rows)


def _seed_news_for_rep(rep: User, published, published_at, *, now) -> None:
    """The demo rep follows negotiation content and has heard about the latest."""
    negotiation = Stage.objects.filter(slug="proposal-negotiation").first()
    if negotiation is None:
        return
    subscription_create(user=rep, stage=negotiation)
    pricing = Tag.objects.filter(slug="pricing").first()
    if pricing is not None:
        subscription_create(user=rep, tag=pricing)
    followed = [a for a in published if negotiation in a.stages.all()]
    followed.sort(key=lambda a: published_at[a.pk], reverse=True)
    for i, asset in enumerate(followed[:4]):
        notify = notify_asset_updated if i % 2 else notify_asset_published
        notify(asset=asset)
        Notification.objects.filter(user=rep, asset=asset).update(
            created_at=published_at[asset.pk],
            read_at=now if i >= 2 else None,
        )
    # The last visit was a week ago: what's new shows what came since.
    User.objects.filter(pk=rep.pk).update(last_seen_news_at=now - timedelta(days=7))
