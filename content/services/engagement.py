"""Prospect visits of share links: start or merge a visit, take its heartbeats,
tell the rep, and forget old visits.

The beacon endpoint is public and takes no CSRF cookie: a heartbeat carries a
token signed for one visit of one link (`visit_token`), so a forged or replayed
heartbeat can only ever add bounded time to a visit its sender was served.
The abuse rules are in docs/security.md ("Share-link heartbeats").
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from content import tasks
from content.models import (
    DigestState,
    Notification,
    NotificationVerb,
    ShareLink,
    ShareVisit,
    ShareVisitPage,
)
from content.services.sharing import is_probably_bot

VISIT_TOKEN_SALT = "wingman.sharing.visit"  # noqa: S105 (a salt, not a secret)
# A visit token outlives any real tab: a page left open overnight starts again.
VISIT_TOKEN_MAX_AGE = timedelta(hours=12)
# Accepted heartbeats of one visit are at least this far apart.
BEAT_MIN_GAP = timedelta(seconds=1)
# Clock and network jitter allowed on top of the elapsed time since the last beat.
BEAT_SLACK_SECONDS = 2.0
MAX_ENTRIES_PER_BEAT = 20
# A return after this long is news to the rep again.
RETURN_AFTER = timedelta(days=1)


class BeaconRefused(Exception):
    """A heartbeat that is not taken; `status` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class BeatEntry:
    item_id: int
    number: int
    seconds: float


@dataclass(frozen=True)
class BeatResult:
    visit: ShareVisit
    seconds: float
    # A new token when the beat started a new visit (the old one had lapsed).
    new_token: str = ""


def heartbeat_seconds() -> int:
    return settings.WINGMAN_SHARE_HEARTBEAT_SECONDS


def _merge_window() -> timedelta:
    return timedelta(minutes=settings.WINGMAN_SHARE_VISIT_MERGE_MINUTES)


def visit_token(visit: ShareVisit) -> str:
    """The heartbeat key of one visit: only this link's beacon URL accepts it."""
    return signing.dumps({"v": visit.pk, "s": visit.share_id}, salt=VISIT_TOKEN_SALT)


def _visit_id_from_token(*, token: str, share: ShareLink) -> int:
    try:
        data = signing.loads(token, salt=VISIT_TOKEN_SALT, max_age=VISIT_TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise BeaconRefused(403, "bad token") from exc
    if not isinstance(data, dict) or data.get("s") != share.pk:
        raise BeaconRefused(403, "bad token")
    visit_id = data.get("v")
    if not isinstance(visit_id, int):
        raise BeaconRefused(403, "bad token")
    return visit_id


def _link_subject(share: ShareLink) -> str:
    items = list(share.items.all())
    if len(items) == 1:
        return f"“{items[0].asset.title}”"
    return f"your deal room ({len(items)} documents)"


def _notify_rep(*, share: ShareLink, visit: ShareVisit, returned: bool) -> None:
    rep = share.created_by
    if not rep.is_active:
        return
    who = visit.email or f"Your prospect ({share.recipient})"
    what = _link_subject(share)
    if returned:
        verb, message = NotificationVerb.SHARE_RETURNED, f"{who} came back to {what}"
    else:
        verb, message = NotificationVerb.SHARE_OPENED, f"{who} opened {what}"
    notification = Notification.objects.create(
        user=rep, verb=verb, share=share, message=message[:300]
    )
    # The existing email setting: whoever turned the digest off gets no mail.
    wants_email = not DigestState.objects.filter(user=rep, enabled=False).exists()
    if rep.email and wants_email:
        tasks.enqueue_on_commit(tasks.send_share_alert, notification.pk)


@transaction.atomic
def visit_start(
    *,
    share: ShareLink,
    visitor_hash: str,
    user_agent: str,
    email: str = "",
    now: datetime | None = None,
) -> ShareVisit | None:
    """The prospect's visit for this page view: the same visitor (and email)
    active within the merge window continues their visit, anyone else starts one.

    Bots get none (their views are not counted, as with opens). The rep hears of
    the link's first visit, and of a visit after a day without any.
    """
    if is_probably_bot(user_agent):
        return None
    now = now or timezone.now()
    # Serialise the link's visits: two tabs opening at once make one first open.
    ShareLink.objects.select_for_update().filter(pk=share.pk).first()
    email = email.strip().lower()
    current = (
        ShareVisit.objects.filter(
            share=share,
            visitor_hash=visitor_hash,
            email=email,
            last_seen_at__gte=now - _merge_window(),
        )
        .order_by("-last_seen_at", "-id")
        .first()
    )
    if current is not None:
        ShareVisit.objects.filter(pk=current.pk).update(last_seen_at=now)
        current.last_seen_at = now
        return current
    latest = (
        ShareVisit.objects.filter(share=share)
        .order_by("-last_seen_at")
        .values_list("last_seen_at", flat=True)
        .first()
    )
    visit = ShareVisit(
        share=share,
        visitor_hash=visitor_hash,
        email=email,
        started_at=now,
        last_seen_at=now,
        last_beat_at=now,
    )
    visit.full_clean()
    visit.save()
    if latest is None:
        _notify_rep(share=share, visit=visit, returned=False)
    elif latest < now - RETURN_AFTER:
        _notify_rep(share=share, visit=visit, returned=True)
    return visit


def parse_beat_entries(raw: object) -> list[BeatEntry]:
    """The beacon's `p` list as entries; anything malformed is a 400."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_ENTRIES_PER_BEAT:
        raise BeaconRefused(400, "pages")
    # A slow network can hold a few beats' worth; real time bounds it anyway.
    max_each = max(60, settings.WINGMAN_SHARE_HEARTBEAT_SECONDS * 6)
    entries: dict[tuple[int, int], float] = {}
    for row in raw:
        if not (isinstance(row, list) and len(row) == 3):
            raise BeaconRefused(400, "entry")
        item_id, number, seconds = row
        if not all(type(v) is int for v in (item_id, number)):
            raise BeaconRefused(400, "entry")
        if type(seconds) not in (int, float) or not 0 <= seconds <= max_each:
            raise BeaconRefused(400, "seconds")
        key = (item_id, number)
        entries[key] = entries.get(key, 0.0) + float(seconds)
    return [BeatEntry(item_id=i, number=n, seconds=s) for (i, n), s in entries.items()]


@transaction.atomic
def beat_record(
    *,
    share: ShareLink,
    token: str,
    entries: Sequence[BeatEntry],
    page_counts: Mapping[int, int],
    now: datetime | None = None,
) -> BeatResult:
    """Add one heartbeat's seconds to the visit `token` names.

    `page_counts` maps the link's items to their current page count: an entry
    for another item or a page beyond the count is refused whole. A beat
    sooner than BEAT_MIN_GAP after the visit's last accepted one, or past the
    visit's caps, is refused; the seconds are scaled down to the real time
    since that last beat.
    """
    now = now or timezone.now()
    visit_id = _visit_id_from_token(token=token, share=share)
    for entry in entries:
        count = page_counts.get(entry.item_id)
        if count is None or not 1 <= entry.number <= max(count, 1):
            raise BeaconRefused(400, "page")
    # The row lock makes one visit's beats take turns: none is counted twice or
    # bounded against a stale last beat.
    visit = ShareVisit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None or visit.share_id != share.pk:
        raise BeaconRefused(403, "bad token")
    new_token = ""
    total = sum(entry.seconds for entry in entries)
    if now - visit.last_seen_at > _merge_window():
        # The tab slept past the window: this is a new visit, started by this
        # beat. Its seconds are bounded by one beat's length. A lapsed token
        # starts one new visit at most, so replaying it cannot grow the table.
        if ShareVisit.objects.filter(
            share=share,
            visitor_hash=visit.visitor_hash,
            email=visit.email,
            started_at__gt=visit.last_seen_at,
        ).exists():
            raise BeaconRefused(409, "visit over")
        visit = ShareVisit(
            share=share,
            visitor_hash=visit.visitor_hash,
            email=visit.email,
            started_at=now,
            last_seen_at=now,
            last_beat_at=now - timedelta(seconds=total),
        )
        visit.full_clean()
        visit.save()
        new_token = visit_token(visit)
    else:
        if now - visit.last_beat_at < BEAT_MIN_GAP:
            raise BeaconRefused(429, "too soon")
        if visit.beat_count >= settings.WINGMAN_SHARE_VISIT_MAX_BEATS:
            raise BeaconRefused(429, "visit capped")
    # Never more than the real time since the last accepted beat: a beat that
    # claims more (a slow network delivered the previous one late, or a forger)
    # is scaled down to it, each page in proportion.
    elapsed = (now - visit.last_beat_at).total_seconds() + BEAT_SLACK_SECONDS
    scale = min(1.0, elapsed / total) if total > 0 else 1.0
    room = max(0.0, settings.WINGMAN_SHARE_VISIT_MAX_SECONDS - visit.total_seconds)
    if room <= 0:
        raise BeaconRefused(429, "visit capped")
    existing = set(
        ShareVisitPage.objects.filter(visit=visit).values_list("item_id", "number")
    )
    fresh = {(e.item_id, e.number) for e in entries} - existing
    if len(existing) + len(fresh) > settings.WINGMAN_SHARE_VISIT_MAX_PAGES:
        raise BeaconRefused(429, "visit capped")
    taken = 0.0
    for entry in entries:
        seconds = min(entry.seconds * scale, room - taken)
        if seconds <= 0:
            continue
        taken += seconds
        if (entry.item_id, entry.number) in fresh:
            ShareVisitPage.objects.create(
                visit=visit, item_id=entry.item_id, number=entry.number, seconds=seconds
            )
        else:
            ShareVisitPage.objects.filter(
                visit=visit, item_id=entry.item_id, number=entry.number
            ).update(seconds=F("seconds") + seconds)
    ShareVisit.objects.filter(pk=visit.pk).update(
        total_seconds=F("total_seconds") + taken,
        beat_count=F("beat_count") + 1,
        last_beat_at=now,
        last_seen_at=now,
    )
    visit.refresh_from_db()
    return BeatResult(visit=visit, seconds=taken, new_token=new_token)


@transaction.atomic
def visits_purge(*, now: datetime | None = None) -> int:
    """Forget visits last seen before the retention period; returns how many.

    Visits are measurements, not history: past retention they go, with their
    pages (the link and its open counts stay).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WINGMAN_SHARE_VISIT_RETENTION_DAYS)
    old = ShareVisit.objects.filter(last_seen_at__lt=cutoff)
    ShareVisitPage.objects.filter(visit__in=old.values("pk")).delete()
    deleted, _ = old.delete()
    return deleted


def share_alert_send(*, notification_id: int) -> str:
    """Send the email of one share notification (run by a worker)."""
    notification = (
        Notification.objects.select_related("user", "share")
        .filter(pk=notification_id, share__isnull=False)
        .first()
    )
    if notification is None or not notification.user.email:
        return "nothing to send"
    base_url = getattr(settings, "WINGMAN_BASE_URL", "http://127.0.0.1:8000")
    url = base_url.rstrip("/") + reverse(
        "content:share_detail", kwargs={"pk": notification.share_id}
    )
    send_mail(
        f"[{settings.WINGMAN_SITE_NAME}] {notification.message}"[:200],
        f"{notification.message}.\n\nSee the visit, page by page: {url}\n\n"
        "You get these emails with the weekly digest; turn the digest off on your "
        "notifications page to stop them.\n",
        settings.DEFAULT_FROM_EMAIL,
        [notification.user.email],
        fail_silently=False,
    )
    return f"sent to user {notification.user_id}"
