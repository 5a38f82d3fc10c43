"""Demo data for plays: a play per stage, industries, deals with competitors and
industries, and stage histories that walk the cycle. Idempotent: each part
only fills in what is missing, so a second run adds no row."""

import zlib
from collections.abc import Callable
from datetime import timedelta

from accounts.models import User
from content.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Audience,
    Deal,
    DealStageChange,
    Industry,
    Play,
    Stage,
    StageChangeSource,
)
from content.services.deals import deal_create
from content.services.plays import PlayItemInput, play_save

CRM_PREFIX = "DEMO-"
PLAY_DEAL_CRM_ID = "DEMO-PLAY-1"
INDUSTRIES = [
    "Financial services",
    "Healthcare",
    "Logistics",
    "Manufacturing",
    "Retail",
    "Software",
]
COMPETITORS = ["Rivalry Inc", "Acme Analytics", "", "Rivalry Inc", ""]
WHEN_BY_KIND = {
    AssetKind.BATTLE_CARD: "When the prospect names a competitor.",
    AssetKind.OBJECTION_HANDLER: "When this objection comes up on a call.",
    AssetKind.DECK: "In the meeting itself: the story to walk through on screen.",
    AssetKind.CASE_STUDY: "Right after the call, to show a peer that did it.",
    AssetKind.ONE_PAGER: "As the leave-behind the champion forwards internally.",
    AssetKind.EMAIL_TEMPLATE: "For the follow-up email the same day.",
    AssetKind.CALL_SCRIPT: "To prepare the call: the questions and the order.",
    AssetKind.COMPETITIVE_BRIEF: "When the deal turns into a comparison.",
    AssetKind.VIDEO: "When a stakeholder missed the live session.",
}
QUESTIONS = {
    "prospecting": "Does the account fit?\nWho owns revenue reporting?",
    "discovery": "What does the pain cost them today?\nWho signs, and by when?",
    "demo": "Which three pains must the demo solve?\nWho else is evaluated?",
    "proposal-negotiation": "Who is the economic buyer?\nWhat would stop them?",
    "closing": "What does procurement still need?\nIs the signature date in writing?",
    "onboarding-expansion": "Is the customer live?\nWhich team could expand next?",
}


def _pick(key: str, options: list):
    return options[zlib.crc32(key.encode()) % len(options)]


def seed(log: Callable[[str], None]) -> None:
    marketer = User.objects.filter(username="marketer").first()
    if marketer is None:
        return
    industries = [Industry.objects.get_or_create(name=n)[0] for n in INDUSTRIES]
    plays = _seed_plays(marketer)
    if plays:
        log(f"{plays} stage plays")
    _seed_play_deal(industries)
    deals = list(Deal.objects.filter(crm_id__startswith=CRM_PREFIX).order_by("pk"))
    for deal in deals:
        if deal.competitor or deal.industry_id:
            continue
        Deal.objects.filter(pk=deal.pk).update(
            competitor=_pick(deal.crm_id, COMPETITORS),
            industry=_pick(deal.crm_id + "i", industries),
        )
    _seed_stage_history(deals)


def _seed_plays(marketer: User) -> int:
    made = 0
    for stage in Stage.objects.filter(is_active=True).exclude(
        pk__in=Play.objects.values("stage")
    ):
        assets = list(
            Asset.objects.filter(status=AssetStatus.PUBLISHED, stages=stage).order_by(
                "-rating_score", "pk"
            )[:12]
        )
        # Three different kinds, one of them cleared for partners where possible.
        chosen, kinds = [], set()
        partner = next((a for a in assets if a.audience == Audience.PARTNERS), None)
        if partner is not None:
            chosen.append(partner)
            kinds.add(partner.kind)
        for asset in assets:
            if len(chosen) == 3:
                break
            if asset.kind not in kinds and asset not in chosen:
                chosen.append(asset)
                kinds.add(asset.kind)
        if not chosen:
            continue
        play_save(
            user=marketer,
            stage=stage,
            key_questions=QUESTIONS.get(stage.slug, ""),
            items=[
                PlayItemInput(
                    asset=asset,
                    when_to_use=WHEN_BY_KIND.get(asset.kind, "At this stage."),
                )
                for asset in chosen
            ],
        )
        made += 1
    return made


def _seed_stage_history(deals: list[Deal]) -> None:
    """A deal created at a later stage walked the earlier ones first."""
    stages = list(Stage.objects.filter(is_active=True).order_by("order"))
    counts = {}
    for row in DealStageChange.objects.filter(deal__in=deals).values_list(
        "deal_id", flat=True
    ):
        counts[row] = counts.get(row, 0) + 1
    rows = []
    for deal in deals:
        if counts.get(deal.pk, 0) != 1 or deal.stage not in stages:
            continue
        path = stages[: stages.index(deal.stage) + 1]
        if len(path) == 1:
            continue
        first = DealStageChange.objects.get(deal=deal)
        step = timedelta(days=7)
        DealStageChange.objects.filter(pk=first.pk).update(
            to_stage=path[0], created_at=deal.created_at
        )
        for n, (before, after) in enumerate(zip(path, path[1:], strict=False), 1):
            rows.append(
                DealStageChange(
                    deal=deal,
                    from_stage=before,
                    to_stage=after,
                    changed_by=deal.owner,
                    source=StageChangeSource.SITE,
                    created_at=deal.created_at + step * n,
                )
            )
    DealStageChange.objects.bulk_create(rows)


def _seed_play_deal(industries: list[Industry]) -> None:
    """The demo rep's open deal at Demo against Rivalry Inc (the issue's tour)."""
    rep = User.objects.filter(username="rep").first()
    stage = Stage.objects.filter(slug="demo").first()
    if rep is None or stage is None:
        return
    if Deal.objects.filter(owner=rep, crm_id=PLAY_DEAL_CRM_ID).exists():
        return
    deal_create(
        user=rep,
        name="Northwind Traders analytics rollout",
        account="Northwind Traders",
        crm_id=PLAY_DEAL_CRM_ID,
        amount="60000",
        stage=stage,
        competitor="Rivalry Inc",
        industry=industries[0],
    )
