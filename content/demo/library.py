"""The demo library: Brightwave's sales content, mapped to the six stages.

Brightwave sells a revenue analytics platform (forecasting, pipeline health, win
rates) to B2B companies; its competitors are Rivalry Inc and Acme Analytics. Every
file is generated here (PDF decks, PowerPoint, Word, PNG) and goes through the
same `version_upload` service as a marketer's upload, so previews and search
work on first start. Idempotent: an asset whose title exists is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from content.demo.data import early_stages, late_stages
from content.demo.data.specs import DemoAsset, DemoFile
from content.models import Asset, Stage
from content.services import library as services

# In seeding order: a retired asset comes after the one that replaced it.
ASSETS: list[DemoAsset] = early_stages.ASSETS + late_stages.ASSETS


def _upload(demo_file: DemoFile) -> SimpleUploadedFile:
    return SimpleUploadedFile(demo_file.name, demo_file.make())


def seed(log: Callable[[str], None]) -> None:
    marketer = User.objects.filter(username="marketer").first()
    if marketer is None:
        return
    stages = {stage.slug: stage for stage in Stage.objects.all()}
    existing = set(Asset.objects.values_list("title", flat=True))
    created: dict[str, Asset] = {}
    for spec in ASSETS:
        if spec.title in existing:
            continue
        created[spec.title] = _create(spec, marketer=marketer, stages=stages)
        log(f"asset {spec.title}")
    # Retire after everything exists, so the replacement can be pointed at.
    for spec in ASSETS:
        if spec.retire and spec.title in created:
            reason, replacement_title = spec.retire
            services.asset_retire(
                actor=marketer,
                asset=created[spec.title],
                reason=reason,
                replaced_by=Asset.objects.filter(title=replacement_title).first(),
            )


def _create(spec: DemoAsset, *, marketer: User, stages: dict[str, Stage]) -> Asset:
    first, *later = spec.files or [None]
    asset = services.asset_create(
        actor=marketer,
        kind=spec.kind,
        title=spec.title,
        summary=spec.summary,
        stages=[stages[slug] for slug in spec.stages if slug in stages],
        tags=spec.tags,
        audience=spec.audience,
        file=_upload(first) if first else None,
        change_note=first.note if first else "",
        **spec.card,
    )
    for demo_file in later:
        services.version_upload(
            actor=marketer,
            asset=asset,
            file=_upload(demo_file),
            change_note=demo_file.note,
        )
    if spec.draft:
        return asset
    services.asset_publish(actor=marketer, asset=asset)
    if spec.verified:
        services.asset_verify(actor=marketer, asset=asset)
    if spec.review_in_days is not None:
        # Demo time travel: this one has been waiting for its review.
        review_by = timezone.localdate() + datetime.timedelta(days=spec.review_in_days)
        Asset.objects.filter(pk=asset.pk).update(review_by=review_by)
        asset.review_by = review_by
    return asset
