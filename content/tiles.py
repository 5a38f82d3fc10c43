"""Asset tiles (content/library/_asset_tile.html), rendered once and reused.

Rendering two dozen tiles is most of a stage or search page's time at scale, and
a tile only changes when something it shows changes. Each tile is cached under a
digest of exactly what it reads (title, summary, counters, dates, current file
and thumbnail, status, audience), of the template's source and of the kind
icon's static URL, so an edit, a rating, a new version or a deploy that changes
the template or the icon gives a new key and the old HTML is never shown again.
One `get_many` fetches a page's tiles; only the missing ones are rendered.
"""

import hashlib
from collections.abc import Sequence
from functools import cache as memoize

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from content.models import Asset

TILE_TEMPLATE = "content/library/_asset_tile.html"
# Unused keys simply expire; a day keeps a busy library's tiles warm.
TILE_SECONDS = 24 * 60 * 60


@memoize
def _template_digest() -> str:
    source = get_template(TILE_TEMPLATE).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


@memoize
def _kind_icon_url(kind: str) -> str:
    return staticfiles_storage.url(f"img/kinds/{kind}.svg")


def tile_key(asset: Asset) -> str:
    version = asset.current_version
    shown = (
        asset.pk,
        asset.kind,
        asset.status,
        asset.audience,
        asset.title,
        asset.summary,
        asset.rating_count,
        asset.rating_total,
        asset.deal_count,
        asset.verified_at,
        asset.updated_at,
        asset.current_version_id,
        version.thumbnail.name if version is not None else "",
        _kind_icon_url(asset.kind),
        _template_digest(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return f"wingman:tile:{asset.pk}:{digest}"


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
        cache.set_many(rendered, TILE_SECONDS)
    return assets
