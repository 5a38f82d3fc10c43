"""Reads for deals and usage: a rep's own deals, their figures, what was used."""

from typing import Any, NamedTuple

from django.db.models import (
    Case,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from content.models import (
    Deal,
    DealOutcome,
    Usage,
)


def deals_for_owner(*, user, outcome: str | None = None) -> QuerySet:
    """The user's own deals with the assets used in them (no one else's, ever)."""
    qs = Deal.objects.owned_by(user).select_related("stage", "industry")
    if outcome in DealOutcome.values:
        qs = qs.filter(outcome=outcome)
    usages = Usage.objects.select_related("asset", "stage").order_by("created_at")
    return qs.prefetch_related(Prefetch("usages", queryset=usages)).order_by(
        Case(When(outcome=DealOutcome.OPEN, then=Value(0)), default=Value(1)),
        F("closed_at").desc(nulls_last=True),
        "-created_at",
        "-pk",
    )


def deal_summary(*, user) -> dict[str, Any]:
    """Counts per outcome and won revenue, in one query."""
    return Deal.objects.owned_by(user).aggregate(
        open=Count("pk", filter=Q(outcome=DealOutcome.OPEN)),
        won=Count("pk", filter=Q(outcome=DealOutcome.WON)),
        lost=Count("pk", filter=Q(outcome=DealOutcome.LOST)),
        won_amount=Sum("amount", filter=Q(outcome=DealOutcome.WON)),
        open_amount=Sum("amount", filter=Q(outcome=DealOutcome.OPEN)),
    )


def deal_usages(*, deal: Deal) -> QuerySet:
    return (
        Usage.objects.filter(deal=deal)
        .select_related("asset", "version", "stage", "user")
        .order_by("-created_at", "-pk")
    )


class DealChoice(NamedTuple):
    """One entry of the usage form's deal menu."""

    pk: int
    name: str
    account: str
    stage_id: int


def open_deals_for(*, user, limit: int = 200) -> list[DealChoice]:
    """The usage form's deal menu: the user's open deals, most recent first, with
    just what the menu shows (a rep may have a couple of hundred: plain tuples,
    not models, for the asset page's sake)."""
    rows = (
        Deal.objects.owned_by(user)
        .open()
        .order_by("-updated_at", "-pk")
        .values_list("pk", "name", "account", "stage_id")[:limit]
    )
    return [DealChoice(*row) for row in rows]
