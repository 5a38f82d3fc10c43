import pytest

from accounts.models import User
from content import demo
from content.demo.library import ASSETS
from content.models import Asset, AssetKind, AssetStatus, Audience, Stage
from content.selectors.library import review_queue
from content.services.previews import versions_preview_make_pending

pytestmark = pytest.mark.django_db

BATTLE_CARD_FIELDS = (
    "competitor",
    "their_strengths",
    "their_weaknesses",
    "landmines",
    "how_we_win",
    "proof_points",
)
OBJECTION_FIELDS = ("objection", "response", "proof_points", "when_to_use")


def test_the_demo_library_is_complete_real_and_idempotent(demo_site):
    """The shared seeding (`demo_site`: `seed_demo`), every promise of the demo
    checked."""
    # Other areas' demo steps may add assets of their own: check the library's.
    assets = Asset.objects.filter(title__in=[spec.title for spec in ASSETS])
    assert assets.count() == len(ASSETS)
    published = assets.filter(status=AssetStatus.PUBLISHED)

    # At least 30 assets across every stage and every kind, some for partners.
    assert assets.count() >= 30
    assert set(assets.values_list("kind", flat=True)) == set(AssetKind.values)
    for stage in Stage.objects.all():
        assert published.filter(stages=stage).exists(), stage
    assert published.filter(audience=Audience.PARTNERS).count() >= 5
    assert assets.filter(status=AssetStatus.DRAFT).count() >= 2
    assert set(assets.values_list("owner__username", flat=True)) == {"marketer"}

    # Cards carry every structured field.
    for asset in published.filter(kind=AssetKind.BATTLE_CARD):
        assert all(getattr(asset, name) for name in BATTLE_CARD_FIELDS), asset
    for asset in published.filter(kind=AssetKind.OBJECTION_HANDLER):
        assert all(getattr(asset, name) for name in OBJECTION_FIELDS), asset

    # Real files with previews and searchable text, made by the upload service.
    deck = assets.get(title="Product demo deck 2025")
    assert deck.versions.count() == 2
    assert "total cost of ownership" in deck.search_text.lower()
    pdfs = [
        asset.current_version
        for asset in assets.filter(current_version__content_type="application/pdf")
    ]
    assert len(pdfs) >= 5
    assert all(v.preview_status == "ready" and v.thumbnail for v in pdfs)
    brief = assets.get(title="Competitive brief: Acme Analytics").current_version
    assert "Pricing intelligence" in brief.extracted_text  # page 2 of 3
    types = set(
        assets.exclude(current_version=None).values_list(
            "current_version__content_type", flat=True
        )
    )
    assert {"application/pdf", "image/png", "text/markdown"} <= types
    assert any(t.endswith("presentationml.presentation") for t in types)
    assert any(t.endswith("wordprocessingml.document") for t in types)

    # One retired asset points at its replacement; the review queue has work.
    retired = assets.get(status=AssetStatus.RETIRED)
    assert retired.replaced_by == deck
    marketer = User.objects.get(username="marketer")
    assert review_queue(user=marketer).count() >= 2

    # Seeding again creates nothing.
    counts = (Asset.objects.count(), deck.versions.count())
    demo.seed(lambda line: None)
    # As seed_demo does after its transaction: the same job as the worker's.
    versions_preview_make_pending()
    assert (Asset.objects.count(), deck.versions.count()) == counts
