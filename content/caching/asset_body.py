"""The parts of the asset page that are the same for every viewer, rendered once.

The structured card, the breadcrumb's stages and the "Where it helps" panel (stages
and tags) show the asset itself, not the viewer: whoever may open the page (the
asset query decides that, on every request) sees the same markup. They are
rendered once per asset and content version and reused; on a hit the page reads
neither the asset's stages nor its tags.

The key (`ASSET_BODY`) carries the release, the asset, when it was last saved
(every library service that edits it, its stages or its tags saves it), its
current version, when one of its stages last changed (a rename; the asset
page's query reads it, `stages_changed_at`) and a digest of the templates, so
an edit, a new version or a deploy never shows old markup. Like the tiles, it
does not carry the content version: publishing another asset leaves this one's
markup as it was.
"""

import hashlib
from functools import cache as memoize

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

from content.caching.keys import ASSET_BODY
from content.caching.release import release
from content.models import Asset

BODY_TEMPLATES = {
    "breadcrumb": "content/library/_asset_breadcrumb.html",
    "card": "content/library/_asset_card_body.html",
    "about": "content/library/_asset_about.html",
}


@memoize
def _templates_digest() -> str:
    sources = "".join(
        get_template(name).template.source for name in BODY_TEMPLATES.values()
    )
    card = get_template("content/library/_card.html").template.source
    return hashlib.sha256((sources + card).encode()).hexdigest()[:12]


def asset_body_key(asset: Asset) -> str:
    shown = (
        asset.updated_at,
        asset.current_version_id,
        getattr(asset, "stages_changed_at", None),
        _templates_digest(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return f"wingman:{ASSET_BODY.name}:{release()}:{asset.pk}:{digest}"


def asset_body(asset: Asset) -> dict[str, SafeString]:
    """{breadcrumb, card, about}: the page's viewer-independent parts' HTML."""
    key = asset_body_key(asset)
    parts = cache.get(key)
    if parts is None:
        # Three templates read the stages; the tags are read once, so they are
        # not prefetched (it would be the same one query).
        prefetch_related_objects([asset], "stages")
        parts = {
            name: render_to_string(template, {"asset": asset})
            for name, template in BODY_TEMPLATES.items()
        }
        cache.set(key, parts, ASSET_BODY.seconds)
    # Our own templates' output, autoescaped when it was rendered.
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308
