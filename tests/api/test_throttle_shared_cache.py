"""The API rate limit counts in the shared default cache, so several worker
processes together let through the documented number of requests, not that
number each (issue 19, point 8: 600 got through against 300 documented)."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.cache import CacheHandler
from django.core.cache import cache as default_cache
from rest_framework.settings import api_settings

from accounts.services_tokens import api_token_create
from content.api.throttling import ApiTokenRateThrottle

DOCS = Path(django_settings.BASE_DIR) / "docs" / "api.md"
pytestmark = pytest.mark.django_db


class _Worker:
    """One app-server process: its own cache handler (own cache objects, own
    connections), configured from the same settings, as gunicorn workers are."""

    def __init__(self) -> None:
        self.caches = CacheHandler()

    def allow(self, monkeypatch, request) -> bool:
        # The throttle reads `django.core.cache.cache`, a proxy to the process's
        # handler: point it at this worker's.
        monkeypatch.setitem(default_cache.__dict__, "_connections", self.caches)
        return ApiTokenRateThrottle().allow_request(request, view=None)


def test_throttle_uses_the_default_cache_every_process_shares():
    assert ApiTokenRateThrottle.cache is default_cache


def test_two_workers_together_stop_at_the_documented_rate(
    settings, tmp_path, monkeypatch, rep
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    rate = api_settings.DEFAULT_THROTTLE_RATES["api"]
    limit = int(rate.split("/")[0])
    assert rate == "300/minute"
    assert "300 requests a minute" in DOCS.read_text()
    token, _key = api_token_create(user=rep, name="CRM sync")
    request = SimpleNamespace(auth=token, user=rep, META={})
    workers = [_Worker(), _Worker()]
    assert workers[0].caches["default"] is not workers[1].caches["default"]

    allowed = [workers[n % 2].allow(monkeypatch, request) for n in range(limit)]
    assert all(allowed)
    # Whichever worker gets the next request, the budget is spent.
    assert not workers[0].allow(monkeypatch, request)
    assert not workers[1].allow(monkeypatch, request)
