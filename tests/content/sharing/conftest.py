import pytest
from django.urls import reverse

from content.models import AssetKind
from content.services.sharing import share_create
from tests.factories import AssetFactory, DealFactory, StageFactory, VersionFactory


def with_current_version(asset, content=b"Plain text notes for reps.\n"):
    version = VersionFactory(asset=asset, number=1)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


def public_url(token: str) -> str:
    return reverse("content:share_public", kwargs={"token": token})


@pytest.fixture
def assets(db, marketer):
    stage = StageFactory(name="Discovery", slug="discovery", order=2)
    make = lambda **kw: with_current_version(  # noqa: E731
        AssetFactory(owner=marketer, stages=[stage], **kw)
    )
    return {
        "stage": stage,
        "deck": make(title="Platform overview deck", for_partners=True),
        "case": make(
            title="Globex case study", kind=AssetKind.CASE_STUDY, for_partners=True
        ),
        "internal": make(title="Internal pricing deck"),
        "card": make(
            title="Battle card: Acme", kind=AssetKind.BATTLE_CARD, for_partners=True
        ),
        "draft": make(title="Draft one-pager", for_partners=True, draft=True),
        "other": make(title="Unrelated partner deck", for_partners=True),
    }


@pytest.fixture
def deal(rep, assets):
    return DealFactory(owner=rep, stage=assets["stage"], name="Globex expansion")


@pytest.fixture
def share(rep, assets, deal):
    """A one-asset link with its raw token: (share, token)."""
    return share_create(
        user=rep, assets=[assets["deck"]], recipient="jane@globex.example", deal=deal
    )


@pytest.fixture
def room(rep, assets, deal):
    return share_create(
        user=rep,
        assets=[assets["case"], assets["deck"]],
        recipient="Jane Doe",
        deal=deal,
        message="Great talking today. Here is what we discussed.",
    )


def png_bytes(width: int = 120, height: int = 90, colour: str = "white") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def with_pages(asset, count: int):
    """Give the asset's current version `count` page images (as the file job
    would) and return the version."""
    from django.core.files.base import ContentFile

    from content.models import VersionPage

    version = asset.current_version
    for number in range(1, count + 1):
        VersionPage.objects.create(
            version=version,
            number=number,
            image=ContentFile(png_bytes(), name=f"p{number}.png"),
            width=120,
            height=90,
        )
    version.page_count = count
    version.save(update_fields=["page_count"])
    return version
