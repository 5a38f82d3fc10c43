"""Counting requests in the shared cache, for throttles outside django-axes.

The default cache is Redis when REDIS_URL is set, so every app server counts
against the same budget (as the API throttle does).
"""

import hashlib

from django.core.cache import cache


def throttle_key(scope: str, value: str) -> str:
    # Hashed: e-mail addresses and client addresses never sit in the cache as is.
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"wingman:throttle:{scope}:{digest}"


def throttle_allow(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request under `key`; False once more than `limit` were counted
    within the window (which starts with the first request)."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
