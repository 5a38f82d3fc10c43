"""System checks for the content library's deployment (`manage.py check --deploy`).

A cache that lives inside one process breaks a site that runs several: a retire
or a publish bumps the content version in one worker's memory only, and the
others go on reading counts and pages computed before it (docs/caching.md).
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PER_PROCESS_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


@register(Tags.caches, deploy=True)
def per_process_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when DEBUG is off (several gunicorn workers) on a per-process cache."""
    if settings.DEBUG:
        return []
    return [
        Warning(
            f"The {alias!r} cache ({config.get('BACKEND')}) lives in one process; "
            "every gunicorn worker would keep its own copy and miss the others' "
            "invalidations.",
            hint="Use the default file cache (WINGMAN_CACHE_DIR), shared by the "
            "workers of one machine, or set REDIS_URL for several machines.",
            id="content.W001",
        )
        for alias, config in settings.CACHES.items()
        if config.get("BACKEND") in PER_PROCESS_BACKENDS
    ]
