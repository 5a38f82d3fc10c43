"""What the emailing commands (the digest, the monthly summary) share.

Each names its task and its people and writes one message per person; this base
gives them the same options (--dry-run, --user, --base-url, --enqueue), sends or
prints each message the same way, and reports the same way.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User


class MailCommand(BaseCommand):
    # "the digest": the enqueue message's words.
    title = ""

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send nothing and remember nothing.",
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
            result = self.enqueue(options)
            self.stdout.write(
                self.style.SUCCESS(f"Enqueued the {self.title} ({result.id}).")
            )
            return
        options["base_url"] = options["base_url"].rstrip("/")
        sent, skipped = self.send_all(options)
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(self.style.SUCCESS(f"{verb} {self.report(sent, skipped)}"))

    def enqueue(self, options: dict[str, Any]):
        raise NotImplementedError

    def send_all(self, options: dict[str, Any]) -> tuple[int, int]:
        """Send (or print) every message: how many were sent and skipped."""
        raise NotImplementedError

    def report(self, sent: int, skipped: int) -> str:
        raise NotImplementedError

    def deliver(self, user: User, subject: str, body: str, *, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(f"--- to {user.email}: {subject}\n{body}")
            return
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=False,
        )
