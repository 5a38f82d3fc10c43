"""The issue's "done when", on the demo data, as a new rep would click through it."""

import pytest
from django.test import Client
from django.urls import reverse

from content.models import (
    Asset,
    AssetKind,
    ContentRequest,
    Deal,
    Notification,
    Rating,
    Usage,
)


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="wingman")
    return client


def phrase_only_in_file(asset: Asset) -> str:
    """Three words from the file's text that the title and summary do not have."""
    words = asset.current_version.extracted_text.split()
    visible = f"{asset.title} {asset.summary}".lower()
    for i in range(len(words) - 2):
        window = words[i : i + 3]
        phrase = " ".join(window)
        if all(w.isalpha() for w in window) and phrase.lower() not in visible:
            return phrase
    pytest.skip("the demo file has no text of its own")


def test_rep_journey_from_stage_to_won_deal_and_fulfilled_request(demo_site):
    rep = login("rep")

    # Finds the objection handler for a negotiation deal by stage...
    home = rep.get(reverse("home"))
    stage_url = reverse("content:stage", kwargs={"slug": "proposal-negotiation"})
    assert stage_url.encode() in home.content
    stage = rep.get(stage_url, {"kind": AssetKind.OBJECTION_HANDLER})
    handlers = [a for a in stage.context["assets"] if a.current_version_id is not None]
    assert handlers, "the negotiation stage offers objection handlers with files"
    handler = Asset.objects.get(pk=handlers[0].pk)

    # ...and by searching a phrase from inside its file.
    phrase = phrase_only_in_file(handler)
    found = rep.get(reverse("content:search"), {"q": f'"{phrase}"'})
    assert handler.pk in [a.pk for a in found.context["assets"]]

    # Rates it in place.
    rated = rep.post(
        reverse("content:rate", kwargs={"pk": handler.pk}),
        {"stars": "5", "comment": "Won the pricing argument"},
        headers={"HX-Request": "true"},
    )
    assert b"Saved: 5 out of 5" in rated.content
    assert Rating.objects.get(asset=handler, user__username="rep").stars == 5

    # Records it in a new deal.
    rep.post(
        reverse("content:usage_add", kwargs={"pk": handler.pk}),
        {
            "new_deal_name": "Zephyr Systems negotiation",
            "new_deal_account": "Zephyr Systems",
            "new_deal_amount": "80000",
            "stage": stage.context["stage"].pk,
        },
    )
    deal = Deal.objects.get(name="Zephyr Systems negotiation")
    assert Usage.objects.get(deal=deal).version == handler.current_version

    # Later marks the deal won.
    rep.post(
        reverse("content:deal_outcome", kwargs={"pk": deal.pk}),
        {"outcome": "won", "amount": "82000"},
    )
    deal.refresh_from_db()
    assert deal.outcome == "won"

    # Sees what's new since the last visit.
    assert rep.get(reverse("home")).context["news_count"] > 0
    assert rep.get(reverse("content:whats_new")).status_code == 200

    # Requests a missing battle card, which a marketer then fulfils.
    rep.post(
        reverse("content:request_add"),
        {
            "title": "Battle card: Zephyr Analytics",
            "kind": AssetKind.BATTLE_CARD,
            "confirm_new": "on",
        },
    )
    request = ContentRequest.objects.get(title="Battle card: Zephyr Analytics")
    card = Asset.objects.filter(kind=AssetKind.BATTLE_CARD, status="published")[0]
    marketer = login("marketer")
    marketer.post(
        reverse("content:request_triage", kwargs={"pk": request.pk}),
        {"status": "done", "asset_ref": str(card.pk)},
    )
    request.refresh_from_db()
    assert (request.status, request.fulfilled_by) == ("done", card)
    note = Notification.objects.get(request=request, user__username="rep")
    assert note.asset == card
    bell = rep.get(reverse("content:notifications"))
    assert note in bell.context["notifications"]
