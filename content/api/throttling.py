"""Rate limiting per API token (or per signed-in user for browser sessions)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    """Each token has its own budget, so one runaway integration cannot starve the
    others of the same user. Counts live in the default cache, which every worker
    process and app server shares (Redis with REDIS_URL), so the documented rate
    holds for them all together (tests/api/test_throttle_shared_cache.py)."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read at request time, not import time, so settings overrides apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
