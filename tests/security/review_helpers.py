"""What the review-finding tests share (tests/security/test_review_findings*.py)."""

from datetime import date, timedelta
from pathlib import Path

from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
SOON = (date.today() + timedelta(days=10)).isoformat()
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def login(client: Client, username: str, password: str, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        **extra,
    )
