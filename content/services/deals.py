"""Deals and the record of which asset was used in which deal."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import roles
from accounts.models import User
from content.models import (
    Asset,
    Deal,
    DealOutcome,
    DealStageChange,
    Industry,
    Stage,
    StageChangeSource,
    Usage,
)
from content.services.events import daily_stat_increment

AMOUNT_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


def clean_amount(amount: object, *, field: str = "amount") -> Decimal | None:
    """A deal amount: empty, or a non-negative number with at most two decimals."""
    if amount is None or amount == "":
        return None
    if isinstance(amount, bool):
        raise ValidationError({field: "Enter an amount as a number."})
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Enter an amount as a number."}) from None
    if not value.is_finite():
        raise ValidationError({field: "Enter an amount as a number."})
    if value < 0:
        raise ValidationError({field: "An amount cannot be negative."})
    if value > AMOUNT_MAX:
        raise ValidationError({field: "That amount is too large."})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: "Use at most two decimal places."})
    return value.quantize(Decimal("0.01"))


def deal_stage_change_record(
    *, deal: Deal, from_stage: int | None, user: User | None, source: str
) -> DealStageChange:
    """Add the deal's move into its current stage to its dated stage history."""
    if source not in StageChangeSource.values:
        raise ValueError(f"unknown stage change source {source!r}")
    return DealStageChange.objects.create(
        deal=deal,
        from_stage_id=from_stage,
        to_stage_id=deal.stage_id,
        changed_by=user,
        source=source,
        created_at=timezone.now(),
    )


def _check_owner(user: User, deal: Deal) -> None:
    if not roles.can_use_library(user) or deal.owner_id != user.pk:
        raise PermissionDenied("This is not your deal.")


def _check_crm_id_free(user: User, crm_id: str, exclude_pk: int | None = None) -> None:
    if not crm_id:
        return
    clash = Deal.objects.filter(owner=user, crm_id=crm_id)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"crm_id": "You already have a deal with this CRM id."})


@transaction.atomic
def deal_create(
    *,
    user: User,
    name: str,
    account: str,
    crm_id: str = "",
    amount: Decimal | str | int | None = None,
    stage: Stage,
    competitor: str = "",
    industry: Industry | None = None,
    source: str = StageChangeSource.SITE,
) -> Deal:
    if not roles.can_use_library(user):
        raise PermissionDenied("You cannot record deals.")
    crm_id = (crm_id or "").strip()
    deal = Deal(
        name=(name or "").strip(),
        account=(account or "").strip(),
        crm_id=crm_id,
        amount=clean_amount(amount),
        stage=stage,
        competitor=(competitor or "").strip(),
        industry=industry,
        owner=user,
    )
    if industry is not None and not industry.is_active:
        raise ValidationError({"industry": "Choose an industry from the list."})
    _check_crm_id_free(user, crm_id)
    deal.full_clean()
    deal.save()
    deal_stage_change_record(deal=deal, from_stage=None, user=user, source=source)
    return deal


DEAL_EDITABLE_FIELDS = frozenset(
    {"name", "account", "crm_id", "amount", "stage", "competitor", "industry"}
)


@transaction.atomic
def deal_update(
    *, user: User, deal: Deal, source: str = StageChangeSource.SITE, **fields: object
) -> Deal:
    """Change a deal's name, account, CRM id, amount, stage, competitor or
    industry (owner only). A stage change is kept in the deal's stage history."""
    unknown = set(fields) - DEAL_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"deal_update() cannot change {sorted(unknown)}")
    _check_owner(user, deal)
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    from_stage_id = locked.stage_id
    for name, value in fields.items():
        if name == "amount":
            value = clean_amount(value)
        elif name in ("name", "account", "crm_id", "competitor"):
            value = (value or "").strip()
        setattr(locked, name, value)
    if "crm_id" in fields:
        _check_crm_id_free(user, locked.crm_id, exclude_pk=locked.pk)
    if fields.get("industry") is not None and not locked.industry.is_active:
        raise ValidationError({"industry": "Choose an industry from the list."})
    locked.full_clean()
    locked.save()
    if locked.stage_id != from_stage_id:
        deal_stage_change_record(
            deal=locked, from_stage=from_stage_id, user=user, source=source
        )
    return locked


@transaction.atomic
def deal_set_outcome(
    *,
    user: User,
    deal: Deal,
    outcome: str,
    amount: Decimal | str | int | None = None,
) -> Deal:
    """Close a deal as won or lost (optionally with its final amount), or reopen it."""
    _check_owner(user, deal)
    if outcome not in DealOutcome.values:
        raise ValidationError({"outcome": "Choose won, lost or open."})
    final_amount = clean_amount(amount)
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    if locked.outcome != outcome:
        locked.outcome = outcome
        locked.closed_at = None if outcome == DealOutcome.OPEN else timezone.now()
    if final_amount is not None:
        locked.amount = final_amount
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def usage_record(
    *,
    user: User,
    deal: Deal,
    asset: Asset,
    stage: Stage,
    note: str = "",
    idempotency_key: str | None = None,
) -> Usage:
    """Record that `user` used `asset` (its current version) in their `deal`.

    With an idempotency key, a retried call returns the usage it recorded the
    first time instead of counting the same use twice.
    """
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if len(key) > 80:
            raise ValidationError({"idempotency_key": "Use at most 80 characters."})
        existing = _usage_for_key(user, key, deal, asset)
        if existing is not None:
            return existing
    _check_owner(user, deal)
    locked = Asset.objects.visible_to(user).select_for_update().filter(pk=asset.pk)
    locked = locked.first()
    if locked is None:
        raise PermissionDenied("You cannot see this asset.")
    if not locked.is_published:
        raise ValidationError("Only published assets can be recorded in a deal.")
    deal = Deal.objects.get(pk=deal.pk)
    if not deal.is_open:
        raise ValidationError(
            {"deal": "This deal is closed; reopen it to record more usage."}
        )
    first_in_deal = not Usage.objects.filter(deal=deal, asset=locked).exists()
    usage = Usage(
        deal=deal,
        asset=locked,
        version_id=locked.current_version_id,
        stage=stage,
        user=user,
        note=(note or "").strip(),
        idempotency_key=key,
    )
    usage.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            usage.save()
    except IntegrityError:
        # The same key raced us here; the first request's usage is the answer.
        if key is None:
            raise
        return Usage.objects.get(user=user, idempotency_key=key)
    Asset.objects.filter(pk=locked.pk).update(
        usage_count=F("usage_count") + 1,
        deal_count=F("deal_count") + (1 if first_in_deal else 0),
    )
    daily_stat_increment(asset_id=locked.pk, field="usages")
    return usage


def _usage_for_key(user: User, key: str, deal: Deal, asset: Asset) -> Usage | None:
    existing = Usage.objects.filter(user=user, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.deal_id != deal.pk or existing.asset_id != asset.pk:
        raise ValidationError(
            {"idempotency_key": "This key was already used for another usage."}
        )
    return existing


@dataclass(frozen=True)
class NewDeal:
    """What the asset page's usage form asks for a deal created with the usage."""

    name: str
    account: str
    crm_id: str = ""
    amount: Decimal | str | int | None = None


@transaction.atomic
def usage_record_in_deal_or_new(
    *,
    user: User,
    asset: Asset,
    stage: Stage,
    deal: Deal | None,
    new_deal: NewDeal | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> Usage:
    """Record a usage in `deal`, or in a new deal made from `new_deal` at `stage`.

    One transaction: a new deal and its first usage land together or not at all.
    """
    if deal is None:
        if new_deal is None:
            raise ValidationError({"deal": "Choose a deal or create one."})
        deal = deal_create(
            user=user,
            name=new_deal.name,
            account=new_deal.account,
            crm_id=new_deal.crm_id,
            amount=new_deal.amount,
            stage=stage,
        )
    return usage_record(
        user=user,
        deal=deal,
        asset=asset,
        stage=stage,
        note=note,
        idempotency_key=idempotency_key,
    )
