"""Monthly email to each marketer: their assets' verdicts, newly low-rated
assets and comments waiting for an answer.

Run it monthly from cron (`python manage.py send_monthly_summary`) or put it on
the task queue (`--enqueue`). Email goes through the configured backend.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from content import tasks
from content.selectors.analytics.evidence_stats import Verdict
from content.selectors.analytics.summary import (
    MonthlySummary,
    monthly_summary,
    summary_recipients,
)


class Command(BaseCommand):
    help = (
        "Email each marketer who owns published assets a monthly summary: "
        "verdicts, newly low-rated assets and unanswered comments."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send nothing.",
        )
        parser.add_argument("--user", help="Only this username.")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WINGMAN_BASE_URL", "http://127.0.0.1:8000"),
            help="Start of the links in the email (default: %(default)s).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put this on the task queue for a worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if options["dry_run"] or options["user"]:
                raise CommandError(
                    "--enqueue sends to everyone: drop --dry-run/--user."
                )
            result = tasks.enqueue(tasks.send_monthly_summary, options["base_url"])
            self.stdout.write(
                self.style.SUCCESS(f"Enqueued the monthly summary ({result.id}).")
            )
            return
        people = summary_recipients()
        if options["user"]:
            people = people.filter(username=options["user"])
            if not people.exists():
                raise CommandError(
                    f"No active marketer {options['user']!r} with an email who "
                    "owns a published asset."
                )
        base_url = options["base_url"].rstrip("/")
        sent = skipped = 0
        for user in people:
            summary = monthly_summary(user=user)
            if summary.is_empty:
                skipped += 1
                continue
            subject, body = self._message(summary, base_url=base_url)
            if options["dry_run"]:
                self.stdout.write(f"--- to {user.email}: {subject}\n{body}")
            else:
                send_mail(
                    subject,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                    fail_silently=False,
                )
            sent += 1
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {sent} monthly summar{'ies' if sent != 1 else 'y'}; "
                f"{skipped} with nothing to say."
            )
        )

    def _message(self, summary: MonthlySummary, *, base_url: str) -> tuple[str, str]:
        order = [Verdict.HELPS, Verdict.HURTS, Verdict.NO_CLEAR_EFFECT]
        context = {
            "summary": summary,
            "verdict_rows": [(str(v), summary.verdicts.get(v, [])) for v in order],
            "has_verdicts": any(summary.verdicts.get(v) for v in order),
            "base_url": base_url,
        }
        helps = len(summary.verdicts.get(Verdict.HELPS, []))
        subject = (
            f"{settings.WINGMAN_SITE_NAME}: your content this month — "
            f"{helps} helping win, {summary.unanswered_total} comment"
            f"{'s' if summary.unanswered_total != 1 else ''} to answer"
        )
        body = render_to_string("content/analytics/email/monthly_summary.txt", context)
        return subject, body
