"""The issue's "done when", end to end through the site as a marketer and a rep."""

import pytest
from django.urls import reverse

from content.models import Asset, AssetStatus
from tests.content.library import builders
from tests.content.library.builders import upload

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_marketer_builds_publishes_versions_retires_and_restores(
    marketer_client, rep_client, stages, run_tasks
):
    discovery, demo = stages[1], stages[2]
    # A battle card for two stages, carrying a real PowerPoint deck.
    response = marketer_client.post(
        reverse("content:asset_add"),
        {
            "kind": "battle_card",
            "title": "Battle card: Rivalry Inc",
            "summary": "Win on time to value.",
            "audience": "internal",
            "stages": [discovery.pk, demo.pk],
            "tags": "competitive",
            "competitor": "Rivalry Inc",
            "their_strengths": "Brand",
            "their_weaknesses": "Forecasting is an add-on",
            "landmines": "Ask about API pricing",
            "how_we_win": "Live in 30 days",
            "proof_points": "Northpeak switched in six weeks",
            "file": upload(
                "rivalry.pptx", builders.pptx_bytes("total cost of ownership")
            ),
        },
        follow=True,
    )
    card = Asset.objects.get(title="Battle card: Rivalry Inc")
    assert "saved as a draft" in _messages(response)
    # And a PDF deck: its preview is made by a task once the upload commits.
    with run_tasks():
        marketer_client.post(
            reverse("content:asset_add"),
            {
                "kind": "deck",
                "title": "Product demo deck",
                "audience": "internal",
                "stages": [demo.pk],
                "file": upload("demo.pdf", builders.pdf_bytes("Forecast", "Pipeline")),
            },
        )
        deck = Asset.objects.get(title="Product demo deck")
        pending = marketer_client.get(deck.get_absolute_url()).content.decode()
        assert "preview being prepared" in pending
    draft_only = Asset.objects.create(
        kind="deck", title="Unfinished draft", owner=card.owner, status="draft"
    )

    # Previews: the deck's pages in the page viewer, its first page as thumbnail.
    deck_page = marketer_client.get(deck.get_absolute_url()).content.decode()
    version = deck.current_version
    assert reverse("content:page", args=[deck.pk, version.pk, 1]) in deck_page
    thumb = marketer_client.get(
        reverse("content:thumbnail", kwargs={"pk": deck.current_version.pk})
    )
    assert b"".join(thumb.streaming_content).startswith(b"\x89PNG")
    card_page = marketer_client.get(card.get_absolute_url()).content.decode()
    assert "Battle card vs" in card_page and "rivalry.pptx" in card_page

    # Reps see nothing until it is published.
    assert rep_client.get(card.get_absolute_url()).status_code == 404
    for asset in (card, deck):
        marketer_client.post(reverse("content:asset_publish", kwargs={"pk": asset.pk}))
    assert set(Asset.objects.filter(status=AssetStatus.PUBLISHED)) == {card, deck}

    # A new version of the deck; the old one stays.
    marketer_client.post(
        reverse("content:version_add", kwargs={"pk": deck.pk}),
        {
            "file": upload("demo-v2.pdf", builders.pdf_bytes("New pricing")),
            "change_note": "Q3 pricing",
        },
    )
    deck.refresh_from_db()
    assert deck.current_version.number == 2 and deck.versions.count() == 2

    # Retire the card, pointing at the deck; then restore it.
    marketer_client.post(
        reverse("content:asset_retire", kwargs={"pk": card.pk}),
        {"reason": "Folded into the demo deck", "replaced_by": deck.pk},
    )
    card.refresh_from_db()
    assert card.status == AssetStatus.RETIRED and card.replaced_by == deck
    # Reps get the retired notice pointing at the deck, never the card's file.
    rep_page = rep_client.get(card.get_absolute_url()).content.decode()
    assert deck.get_absolute_url() in rep_page
    card_file = reverse("content:download", kwargs={"pk": card.current_version_id})
    assert rep_client.get(card_file).status_code == 404
    retired_page = marketer_client.get(card.get_absolute_url()).content.decode()
    assert deck.get_absolute_url() in retired_page
    marketer_client.post(reverse("content:asset_restore", kwargs={"pk": card.pk}))
    card.refresh_from_db()
    assert card.status == AssetStatus.PUBLISHED

    # The rep sees exactly the published ones, and gets their current files.
    for asset in (card, deck):
        assert rep_client.get(asset.get_absolute_url()).status_code == 200
        download = rep_client.get(
            reverse("content:download", kwargs={"pk": asset.current_version_id})
        )
        assert download.status_code == 200
    assert rep_client.get(draft_only.get_absolute_url()).status_code == 404
    stage_page = rep_client.get(reverse("content:stage", kwargs={"slug": demo.slug}))
    html = stage_page.content.decode()
    assert "Battle card: Rivalry Inc" in html and "Product demo deck" in html
    assert "Unfinished draft" not in html
