"""Every cached value of the library: its key, its lifetime, what invalidates it.

Library-wide values (counts, menus, a page's ids) carry three parts in their key:

- the release (content.caching.release), so a deploy never reads values shaped
  or computed by older code;
- the library's "content version": the library services bump it whenever what
  a reader may find changes (publish, retire, restore, edit, new version), so a
  stale count is never read again and simply expires;
- the viewer's audience class (accounts.roles.audience_class), the same rule
  `Asset.objects.visible_to` filters by, because partners, reps and managers see
  different sets of assets.

None of that decides what a user sees: every list built from cached ids fetches
its rows through `visible_to(user)` and the published status again
(content.selectors.search.assets_in_order). A cache only makes a page faster.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

from accounts import roles
from content.caching.release import release

T = TypeVar("T")


@dataclass(frozen=True)
class CachedValue:
    """One kind of cached value: the table in docs/caching.md lists them all."""

    name: str
    seconds: int | None  # None: kept until evicted
    holds: str
    invalidated_by: str


CONTENT_VERSION = CachedValue(
    "content-version",
    None,
    "the library's content version (an integer)",
    "bumped by every library service that changes what readers may find",
)
# Long enough to matter under load; short enough that a missed bump heals itself.
STAGE_KINDS = CachedValue(
    "stage-kinds",
    600,
    "a stage's asset count per kind, per audience class",
    "content version, release, audience class; expires",
)
# Ratings move a stage's order a little between library changes; this bounds
# how long a page keeps the order it was first sorted in.
STAGE_PAGE = CachedValue(
    "stage-page",
    60,
    "the ids of one page of a stage, per audience class, kind and sort",
    "content version, release, audience class; expires; refilled when a "
    "listed asset is no longer visible",
)
# Ratings move the order a little between library changes; this bounds how
# long a repeated search shows the order it was first ranked in.
SEARCH = CachedValue(
    "search",
    60,
    "a search's match count and ranked ids (up to the cap), per audience class",
    "content version, release, audience class; expires; refilled when a "
    "listed asset is no longer visible",
)
SEARCH_VOCABULARY = CachedValue(
    "search-vocabulary",
    600,
    "the words of the titles, competitors and tags a class may find (did you mean)",
    "content version, release, audience class; expires",
)
# Library-wide: every asset is counted, whoever may see it, and a count is only
# compared with the common-word threshold (content.selectors.search_words).
SEARCH_WORDS = CachedValue(
    "search-words",
    600,
    "the library's size and how many assets have a query word (bounded), for "
    "the any-word ranking's common words",
    "content version, release; expires",
)
COMPETITORS = CachedValue(
    "competitors",
    600,
    "the competitor filter menu, per audience class",
    "content version, release, audience class; expires",
)
TAGS = CachedValue(
    "tags",
    600,
    "the tag filter menu (tags of assets the class may find), per audience class",
    "content version, release, audience class; expires",
)
MEAN_RATING = CachedValue(
    "library-mean-rating",
    300,
    "the mean stars of all published assets (the Bayesian prior)",
    "expires (it moves slowly); `library_mean_rating(fresh=True)` recomputes",
)
TILE = CachedValue(
    "tile",
    24 * 60 * 60,
    "one asset tile's HTML",
    "a new key whenever anything the tile shows, its template, its icon or "
    "the release changes; unused keys expire",
)
ASSET_BODY = CachedValue(
    "asset-body",
    24 * 60 * 60,
    "an asset page's viewer-independent HTML: its card, breadcrumb stages, "
    "stages and tags",
    "a new key when the asset is saved, gets a version, one of its stages "
    "changes, or the templates or release change; unused keys expire",
)
# Stages change a few times a year; the asset page and the stage page read them
# on every request.
STAGES = CachedValue(
    "stages",
    600,
    "the active stages in roadmap order (the usage form's stage menu)",
    "content version (the stage services bump it), release; expires",
)
ANALYTICS = CachedValue(
    "analytics",
    300,
    "dashboard deal figures, rankings and library totals (managers only)",
    "closed-deal version, the filtered set's SQL and size, content version; expires",
)

REGISTRY: tuple[CachedValue, ...] = (
    CONTENT_VERSION,
    STAGE_KINDS,
    STAGE_PAGE,
    SEARCH,
    SEARCH_VOCABULARY,
    SEARCH_WORDS,
    COMPETITORS,
    TAGS,
    MEAN_RATING,
    TILE,
    ASSET_BODY,
    STAGES,
    ANALYTICS,
)

VERSION_KEY = "wingman:content-version"
MEAN_RATING_KEY = "wingman:library-mean-rating"


def _new_version() -> int:
    # A version that has never been used: the milliseconds since the epoch. A
    # version that was evicted (a full cache culls any key) then starts above
    # every version handed out before, so old keys can never be read again.
    return time.time_ns() // 1_000_000


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), CONTENT_VERSION.seconds)
        version = cache.get(VERSION_KEY)
    return int(version) if version is not None else _new_version()


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set: a never-used number will do
        cache.set(VERSION_KEY, _new_version(), CONTENT_VERSION.seconds)


def content_version_bump() -> None:
    """Invalidate every library-wide count, now and again once the change commits.

    The second bump covers a reader that recounted while the writing transaction
    was still open and cached the old numbers under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


def library_key(entry: CachedValue, *, user, **parts: object) -> str:
    """`wingman:<name>:<release>:v<version>:<audience class>:<digest of parts>`."""
    detail = ",".join(f"{k}={v}" for k, v in sorted(parts.items()))
    if len(detail) > 64:  # keys stay short for every backend (memcached: 250)
        detail = hashlib.sha256(detail.encode()).hexdigest()[:32]
    return (
        f"wingman:{entry.name}:{release()}:v{content_version()}:"
        f"{roles.audience_class(user)}:{detail}"
    )


def remember(entry: CachedValue, key: str, compute: Callable[[], T]) -> T:
    """The value cached under `key`, or `compute()`'s, kept for `entry`'s lifetime."""
    value: Any = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, entry.seconds)
    return value
