"""What the library service tests share (test_services.py and
test_lifecycle_services.py)."""

from content.models import AssetActivity, AssetKind
from content.services import library as services
from tests.content.library import builders
from tests.content.library.builders import upload

BATTLE_CARD = {
    "competitor": "Rivalry Inc",
    "their_strengths": "Big brand\nCheap entry tier",
    "their_weaknesses": "No SSO below enterprise",
    "landmines": "Ask how they price API calls",
    "how_we_win": "Time to value in 30 days",
    "proof_points": "Acme cut reporting time 50%",
}


def deck(marketer, stage, **kwargs):
    return services.asset_create(
        actor=marketer,
        kind=AssetKind.DECK,
        title="Platform overview",
        stages=[stage],
        file=upload("overview.pptx", builders.pptx_bytes()),
        **kwargs,
    )


def activity_verbs(asset):
    return list(
        AssetActivity.objects.filter(asset=asset)
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )
