"""Weekly email digest: what is new for each person since their last digest.

Run it weekly from cron (`python manage.py send_digest`). Email goes through the
configured backend: the console unless EMAIL_HOST is set.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import roles
from accounts.models import User
from content import tasks
from content.management.mail_command import MailCommand
from content.models import DigestState
from content.selectors.playbook import whats_new
from content.services.notifications import digest_mark_sent

DIGEST_ITEMS = 15
FIRST_DIGEST_WINDOW = timedelta(days=7)
# Run weekly; a second run the same week sends nothing twice.
MIN_INTERVAL = timedelta(days=6)


class Command(MailCommand):
    help = (
        "Email each person who wants it a digest of the assets published or "
        "updated since their last digest (partners only see partner content)."
    )
    title = "digest"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Send even if the last digest is less than six days old.",
        )

    def enqueue(self, options: dict[str, Any]):
        return tasks.enqueue(tasks.send_digest, options["force"], options["base_url"])

    def report(self, sent: int, skipped: int) -> str:
        return f"{sent} digest{'s' if sent != 1 else ''}; {skipped} with nothing new."

    def send_all(self, options: dict[str, Any]) -> tuple[int, int]:
        now = timezone.now()
        people = (
            User.objects.filter(is_active=True, role__in=roles.SELLER_ROLES)
            .exclude(email="")
            .exclude(digest_state__enabled=False)
            .order_by("pk")
        )
        if options["user"]:
            people = people.filter(username=options["user"])
            if not people.exists():
                raise CommandError(
                    f"No active user {options['user']!r} who can get a digest."
                )
        if not options["force"]:
            people = people.filter(
                Q(digest_state__isnull=True)
                | Q(digest_state__last_digest_at__isnull=True)
                | Q(digest_state__last_digest_at__lte=now - MIN_INTERVAL)
            )
        states = {s.user_id: s for s in DigestState.objects.filter(user__in=people)}
        sent = skipped = 0
        for user in people.iterator():
            state = states.get(user.pk)
            since = (
                state.last_digest_at
                if state and state.last_digest_at
                else now - FIRST_DIGEST_WINDOW
            )
            message = self._message(
                user=user, since=since, base_url=options["base_url"]
            )
            if message is None:
                skipped += 1
                continue
            self.deliver(user, *message, dry_run=options["dry_run"])
            if not options["dry_run"]:
                digest_mark_sent(user=user, sent_at=now)
            sent += 1
        return sent, skipped

    def _message(self, *, user: User, since, base_url: str) -> tuple[str, str] | None:
        # Visibility comes from the same selector as the site: a partner's digest
        # never names an internal asset.
        news = whats_new(user=user, since=since)
        items = list(news[: DIGEST_ITEMS + 1])
        notifications = list(
            user.notifications.filter(created_at__gt=since, read_at__isnull=True)
            .exclude(verb__in=["asset_published", "asset_updated"])
            .order_by("-created_at")[:10]
        )
        if not items and not notifications:
            return None
        more = news.count() - DIGEST_ITEMS if len(items) > DIGEST_ITEMS else 0
        context = {
            "user": user,
            "since": since,
            "items": items[:DIGEST_ITEMS],
            "more": more,
            "total": len(items[:DIGEST_ITEMS]) + more,
            "notifications": notifications,
            "base_url": base_url,
            "brand_name": settings.WINGMAN_SITE_NAME,
        }
        subject = render_to_string(
            "content/notifications/digest_subject.txt", context
        ).strip()
        if not items:
            subject = f"{settings.WINGMAN_SITE_NAME}: news about your content requests"
        body = render_to_string("content/notifications/digest_email.txt", context)
        return subject, body
