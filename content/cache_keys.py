"""Cache keys for counts and menus computed over the whole library.

Every key carries a library-wide "content version": the library services bump it
whenever what a reader may find changes (publish, retire, restore, edit, new
version), so stale counts are never read again and simply expire. Keys also carry
the viewer's audience class, because partners, reps and managers see different
sets of assets.
"""

from django.core.cache import cache
from django.db import transaction

from accounts import roles

VERSION_KEY = "wingman:content-version"
# Long enough to matter under load; short enough that a missed bump heals itself.
COUNT_SECONDS = 600


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set: any new number will do
        cache.set(VERSION_KEY, content_version() + 1, None)


def content_version_bump() -> None:
    """Invalidate every library-wide count, now and again once the change commits.

    The second bump covers a reader that recounted while the writing transaction
    was still open and cached the old numbers under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


def audience_class(user) -> str:
    if roles.can_manage_content(user):
        return "manager"
    if roles.is_partner(user):
        return "partner"
    return "internal"


def library_key(name: str, *, user, **parts: object) -> str:
    """`wingman:<name>:v<version>:<audience class>:<k=v,...>`."""
    detail = ",".join(f"{k}={v}" for k, v in sorted(parts.items()))
    return f"wingman:{name}:v{content_version()}:{audience_class(user)}:{detail}"
