import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from content.models import Asset
from content.selectors.library import with_tile_data
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def test_the_asset_tile_renders_without_queries(
    marketer, stage, django_assert_num_queries, run_tasks
):
    from content.services import library as services

    with run_tasks():
        with_thumb = services.asset_create(
            actor=marketer,
            kind="one_pager",
            title="Pricing one-pager",
            summary="Plans and prices",
            stages=[stage],
            file=upload("p.pdf", builders.pdf_bytes()),
        )
    Asset.objects.filter(pk=with_thumb.pk).update(
        rating_count=4, rating_total=18, deal_count=3, verified_at=timezone.now()
    )
    AssetFactory(
        owner=marketer,
        stages=[stage],
        title="Icon only",
        kind="video",
        for_partners=True,
    )
    assets = list(with_tile_data(Asset.objects.order_by("title")))
    with django_assert_num_queries(0):
        html = "".join(
            render_to_string("content/library/_asset_tile.html", {"asset": a})
            for a in assets
        )
    assert "/thumbnail/" in html
    assert "img/kinds/video.svg" in html
    assert "4.5" in html and "(4)" in html
    assert "Used in 3 deals" in html
    assert "Verified on" in html
    assert "Partners" in html
    assert "No ratings yet" in html
