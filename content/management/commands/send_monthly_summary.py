"""Monthly email to each marketer: their assets' verdicts, newly low-rated
assets and comments waiting for an answer.

Run it monthly from cron (`python manage.py send_monthly_summary`) or put it on
the task queue (`--enqueue`). Email goes through the configured backend.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.template.loader import render_to_string

from content import tasks
from content.management.mail_command import MailCommand
from content.selectors.analytics.evidence_stats import Verdict
from content.selectors.analytics.summary import (
    MonthlySummary,
    monthly_summary,
    summary_recipients,
)


class Command(MailCommand):
    help = (
        "Email each marketer who owns published assets a monthly summary: "
        "verdicts, newly low-rated assets and unanswered comments."
    )
    title = "monthly summary"

    def enqueue(self, options: dict[str, Any]):
        return tasks.enqueue(tasks.send_monthly_summary, options["base_url"])

    def report(self, sent: int, skipped: int) -> str:
        return (
            f"{sent} monthly summar{'ies' if sent != 1 else 'y'}; "
            f"{skipped} with nothing to say."
        )

    def send_all(self, options: dict[str, Any]) -> tuple[int, int]:
        people = summary_recipients()
        if options["user"]:
            people = people.filter(username=options["user"])
            if not people.exists():
                raise CommandError(
                    f"No active marketer {options['user']!r} with an email who "
                    "owns a published asset."
                )
        sent = skipped = 0
        for user in people:
            summary = monthly_summary(user=user)
            if summary.is_empty:
                skipped += 1
                continue
            subject, body = self._message(summary, base_url=options["base_url"])
            self.deliver(user, subject, body, dry_run=options["dry_run"])
            sent += 1
        return sent, skipped

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
