"""Extra context for the asset page from the playbook (ratings, usage, related)."""

from typing import Any

from content.models import Asset


def asset_page_context(*, user, asset: Asset) -> dict[str, Any]:
    return {}
