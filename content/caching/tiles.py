"""Asset tiles (content/library/_asset_tile.html), rendered once and reused.

Rendering two dozen tiles is most of a stage or search page's time at scale, and
a tile only changes when something it shows changes. Each tile is cached under a
digest of exactly what its template reads (TILE_READS: title, summary, counters,
dates, current file and thumbnail, status, audience), of the template's source,
of the kind icon's static URL and of the release, so an edit, a rating, a new
version or a deploy gives a new key and the old HTML is never shown again.
One `get_many` fetches a page's tiles; only the missing ones are rendered.

A tile is markup only: which tiles a page shows is decided by the query that
fetched the assets (content.selectors.search.assets_in_order), never by this
cache.
"""

import hashlib
from collections.abc import Sequence
from functools import cache as memoize
from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from content.caching.keys import TILE
from content.caching.release import release
from content.models import Asset

TILE_TEMPLATE = "content/library/_asset_tile.html"

# Every attribute path the tile template reads from `asset`, and the stored
# values it depends on. tile_key digests all of them; a test parses the template
# and fails when it reads a path missing here.
TILE_READS: dict[str, tuple[str, ...]] = {
    "pk": ("pk",),
    "kind": ("kind",),
    "get_kind_display": ("kind",),
    "status": ("status",),
    "get_status_display": ("status",),
    "audience": ("audience",),
    "get_absolute_url": ("pk",),
    "title": ("title",),
    "summary": ("summary",),
    "rating_count": ("rating_count",),
    "average_rating": ("rating_total", "rating_count"),
    "deal_count": ("deal_count",),
    "verified_at": ("verified_at",),
    "updated_at": ("updated_at",),
    "current_version": ("current_version_id",),
    "current_version.pk": ("current_version_id",),
    "current_version.thumbnail": ("current_version.thumbnail",),
}
TILE_VALUES: tuple[str, ...] = tuple(
    dict.fromkeys(value for values in TILE_READS.values() for value in values)
)


@memoize
def _template_digest() -> str:
    source = get_template(TILE_TEMPLATE).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


@memoize
def _kind_icon_url(kind: str) -> str:
    return staticfiles_storage.url(f"img/kinds/{kind}.svg")


def _value(asset: Asset, path: str) -> Any:
    value: Any = asset
    for name in path.split("."):
        if value is None:
            return None
        value = getattr(value, name)
    # A file's repr names its file, the same in every process.
    return value


def tile_key(asset: Asset) -> str:
    shown = (
        tuple(_value(asset, path) for path in TILE_VALUES),
        _kind_icon_url(asset.kind),
        _template_digest(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return f"wingman:{TILE.name}:{release()}:{asset.pk}:{digest}"


def with_tiles(assets: Sequence[Asset]) -> list[Asset]:
    """`assets` as a list, each with `.tile`: its tile's HTML.

    The assets must come with their current version (select_related), as every
    list of tiles fetches them (content.selectors.library.with_tile_data).
    """
    assets = list(assets)
    keys = {asset.pk: tile_key(asset) for asset in assets}
    cached = cache.get_many(keys.values())
    rendered = {}
    for asset in assets:
        html = cached.get(keys[asset.pk])
        if html is None:
            html = render_to_string(TILE_TEMPLATE, {"asset": asset})
            rendered[keys[asset.pk]] = html
        # Our own template's output, autoescaped when it was rendered.
        asset.tile = mark_safe(html)  # noqa: S308
    if rendered:
        cache.set_many(rendered, TILE.seconds)
    return assets
