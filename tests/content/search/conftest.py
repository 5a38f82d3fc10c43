"""Assets with searchable text and their vectors (the fake encoder, "hashing")."""

import pytest

from content.models import AssetKind, Audience, Version
from content.semantic.embedding import asset_embed
from tests.factories import AssetFactory, VersionFactory

PAGES = "\f".join(
    [
        "Brightwave quarterly roadmap overview",
        "Renewal terms and the procurement calendar",
        "Our discount ladder: ten percent for a two-year term",
    ]
)


def make_asset(*, title, summary="", text="", stage=None, **fields):
    asset = AssetFactory(title=title, summary=summary, stages=[stage], **fields)
    if text:
        version: Version = VersionFactory(
            asset=asset,
            original_name="deck.pdf",
            content_type="application/pdf",
            extracted_text=text,
        )
        asset.current_version = version
        asset.save(update_fields=["current_version"])
    asset.search_text = " ".join([title, summary, text])
    asset.save(update_fields=["search_text"])
    asset_embed(asset_id=asset.pk)
    return asset


@pytest.fixture
def library(stage):
    return {
        "pricing": make_asset(
            title="Objection: you cost too much",
            summary="Price pushback handler",
            kind=AssetKind.OBJECTION_HANDLER,
            objection="Your price is expensive compared with the others",
            response="Compare total cost of ownership",
            stage=stage,
            audience=Audience.PARTNERS,
        ),
        "deck": make_asset(
            title="Renewal deck",
            summary="Slides for the renewal meeting",
            text=PAGES,
            stage=stage,
            audience=Audience.PARTNERS,
        ),
        "internal": make_asset(
            title="Secret margin sheet",
            summary="Internal margins, discount floors and expensive price exceptions",
            kind=AssetKind.ONE_PAGER,
            stage=stage,
            audience=Audience.INTERNAL,
        ),
    }


def analyze() -> None:
    """Fresh word statistics: a new content version (word counts are cached
    under it) and, on PostgreSQL, the planner's (its word shares,
    content.selectors.search_words)."""
    from django.db import connection

    from content.caching.keys import content_version_bump

    content_version_bump()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE content_asset")
