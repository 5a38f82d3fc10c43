"""Forms of the reps' playbook: search, rating, usage, deals, requests, triage.

Forms validate what people type; the services in content/services decide and
write. Service errors come back onto the form with `add_service_error`.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from taggit.models import Tag

from accounts import roles
from content import form_fields
from content.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Audience,
    Deal,
    DealOutcome,
    RequestStatus,
    Stage,
)
from content.selectors.search import SORTS, competitors_for, tags_for
from content.services.feedback import STARS_ERROR

AMOUNT_ERRORS = {
    "invalid": "Enter an amount as a number, e.g. 25000 or 25000.50.",
    "min_value": "An amount cannot be negative.",
    "max_digits": "That amount is too large.",
    "max_whole_digits": "That amount is too large.",
    "max_decimal_places": "Use at most two decimal places.",
}


def _amount_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
    )


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching field, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


# Search -------------------------------------------------------------------------


class SearchForm(forms.Form):
    """Search and filters; everything lives in the URL, so results can be shared."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Competitor, objection, phrase from a deck…",
                "autocomplete": "off",
            }
        ),
    )
    stage = forms.ChoiceField(required=False, widget=form_fields.InlineSelect)
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *AssetKind.choices],
        required=False,
        widget=form_fields.InlineSelect,
    )
    tag = forms.ChoiceField(required=False, widget=form_fields.InlineSelect)
    competitor = forms.ChoiceField(required=False, widget=form_fields.InlineSelect)
    audience = forms.ChoiceField(
        choices=[("", "Any audience"), *Audience.choices],
        required=False,
        widget=form_fields.InlineSelect,
    )
    sort = forms.ChoiceField(
        choices=list(SORTS.items()), required=False, widget=form_fields.InlineSelect
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One query each; validation and the menus share the same lists.
        self._stages = {s.slug: s for s in Stage.objects.filter(is_active=True)}
        # Only what this user can find: a partner never learns an internal tag.
        self._tags = {t.slug: t for t in tags_for(user=user)}
        self.fields["stage"].choices = [("", "Any stage")] + [
            (slug, stage.name) for slug, stage in self._stages.items()
        ]
        self.fields["tag"].choices = [("", "Any tag")] + [
            (slug, tag.name) for slug, tag in self._tags.items()
        ]
        self.fields["competitor"].choices = [("", "Any competitor")] + [
            (name, name) for name in competitors_for(user=user)
        ]
        if roles.is_partner(user):
            # Partners only ever see partner assets: nothing to choose.
            del self.fields["audience"]

    def clean_stage(self) -> Stage | None:
        return self._stages.get(self.cleaned_data["stage"])

    def clean_tag(self) -> Tag | None:
        return self._tags.get(self.cleaned_data["tag"])

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for search_assets from the valid fields only."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "query": data.get("q") or "",
            "stage": data.get("stage"),
            "kind": data.get("kind") or None,
            "tag": data.get("tag"),
            "competitor": data.get("competitor") or None,
            "audience": data.get("audience") or None,
            "sort": data.get("sort") or "relevance",
        }


# Ratings ------------------------------------------------------------------------


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="Your rating",
        choices=[(i, f"{i} star{'s' if i > 1 else ''}") for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": STARS_ERROR, "invalid_choice": STARS_ERROR},
    )
    comment = forms.CharField(
        label="What worked, what did not? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Deals and usage ----------------------------------------------------------------


class DealForm(forms.Form):
    name = forms.CharField(label="Deal name", max_length=200)
    account = forms.CharField(max_length=200)
    crm_id = forms.CharField(
        label="CRM id",
        max_length=64,
        required=False,
        help_text="The opportunity id in your CRM, if you have one.",
    )
    amount = _amount_field("Amount", "Expected value of the deal.")
    stage = form_fields.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True), label="Current stage"
    )


class DealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=DealOutcome.choices)
    amount = _amount_field("Final amount", "Leave empty to keep the current amount.")


# The deal menu's last option: create the deal together with the usage.
NEW_DEAL = "new"
NEW_DEAL_LABEL = "A new deal…"


class DealMenu(forms.Select):
    """The deal <select>; each option carries its deal's current stage
    (`data-stage`), so that wingman.js can move "At stage" along with the deal."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stage_of: dict[str, int] = {}

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        stage = self.stage_of.get(str(value))
        if stage is not None:
            option["attrs"]["data-stage"] = str(stage)
        return option


class DealOrNewField(form_fields.ModelChoiceField):
    """One of the user's open deals, or NEW_DEAL (cleaned to None: create one)."""

    def to_python(self, value: Any) -> Any:
        if value == NEW_DEAL:
            return None
        return super().to_python(value)


class UsageForm(forms.Form):
    """Used this asset in deal D at stage S: one menu picks the deal, its last
    option creates a new one; the stage defaults to the deal's current stage."""

    deal = DealOrNewField(
        queryset=Deal.objects.none(),
        required=False,
        label="Deal",
        empty_label=None,
        widget=DealMenu,
    )
    new_deal_name = forms.CharField(
        label="New deal name", max_length=200, required=False
    )
    new_deal_account = forms.CharField(label="Account", max_length=200, required=False)
    new_deal_crm_id = forms.CharField(label="CRM id", max_length=64, required=False)
    new_deal_amount = _amount_field("Amount")
    stage = form_fields.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True),
        label="At stage",
        required=False,
        empty_label="The deal’s current stage",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    idempotency_key = forms.CharField(
        max_length=80, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        user,
        deals: list[Deal] | None = None,
        stages: list[Stage] | None = None,
        new_deal_stage: Stage | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Validation always checks against the user's own open deals.
        self.fields["deal"].queryset = Deal.objects.owned_by(user).open()
        self.new_deal_stage = new_deal_stage
        # Rendering reuses lists the page already loaded: no extra queries.
        if deals is not None:
            self.fields["deal"].choices = [
                (deal.pk, f"{deal.name} · {deal.account}") for deal in deals
            ] + [(NEW_DEAL, NEW_DEAL_LABEL)]
            menu = self.fields["deal"].widget
            menu.stage_of = {str(deal.pk): deal.stage_id for deal in deals}
            if new_deal_stage is not None:
                menu.stage_of[NEW_DEAL] = new_deal_stage.pk
        if stages is not None:
            self.fields["stage"].choices = [
                ("", self.fields["stage"].empty_label),
                *((stage.pk, stage.name) for stage in stages),
            ]
        # wingman.js moves this menu to the stage of the deal picked in that one.
        self.fields["stage"].widget.attrs["data-stage-of"] = self["deal"].auto_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "deal" in self.errors:
            return data
        deal = data.get("deal")
        new_name = (data.get("new_deal_name") or "").strip()
        new_fields = [
            new_name,
            data.get("new_deal_account"),
            data.get("new_deal_crm_id"),
            data.get("new_deal_amount"),
        ]
        if deal is not None:
            # Only without JavaScript are the new deal's fields on screen then.
            if any(v not in (None, "") for v in new_fields):
                self.add_error(
                    "deal",
                    f"You picked “{deal.name}” and also filled in a new deal: choose "
                    f"“{NEW_DEAL_LABEL}” in this menu to create it, or clear the "
                    "new deal’s fields.",
                )
            elif data.get("stage") is None:
                data["stage"] = deal.stage
            return data
        if not new_name:
            self.add_error("new_deal_name", "Name the new deal.")
        if not (data.get("new_deal_account") or "").strip():
            self.add_error("new_deal_account", "Which account is the deal with?")
        if data.get("stage") is None and "stage" not in self.errors:
            if self.new_deal_stage is None:
                self.add_error("stage", "At which stage is the new deal?")
            else:
                data["stage"] = self.new_deal_stage
        return data


# Content requests ---------------------------------------------------------------


class ContentRequestForm(forms.Form):
    title = forms.CharField(
        label="What is missing?",
        max_length=200,
        help_text="E.g. “Battle card against Acme for negotiation”.",
    )
    stage = form_fields.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True),
        required=False,
        label="For which stage",
        empty_label="Any stage",
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *AssetKind.choices],
        required=False,
        label="Kind of content",
    )
    description = forms.CharField(
        label="Why would it help?",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The deal situation, the objection you hear, what you tried.",
    )
    confirm_new = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
    )


ASSET_REF = re.compile(r"(?:/assets/)?(\d+)/?$")


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (RequestStatus.PLANNED, "Planned: we will make it"),
            (RequestStatus.DONE, "Done: this asset fulfils it"),
            (RequestStatus.DECLINED, "Declined"),
        ],
        widget=forms.RadioSelect,
        label="Decision",
    )
    suggestion = forms.ChoiceField(
        required=False, widget=forms.RadioSelect, label="Fulfilled by"
    )
    asset_ref = forms.CharField(
        required=False,
        max_length=300,
        label="…or another asset (its link or number)",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason (required when declining)",
    )

    def __init__(self, *args: Any, suggestions: list[Asset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].choices = [
            (str(asset.pk), f"{asset.title} ({asset.get_kind_display()})")
            for asset in suggestions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("status")
        ref = (data.get("asset_ref") or "").strip()
        asset_pk = None
        if ref:
            match = ASSET_REF.search(ref)
            if not match:
                self.add_error("asset_ref", "Paste the asset's link or its number.")
            else:
                asset_pk = int(match.group(1))
        elif data.get("suggestion"):
            asset_pk = int(data["suggestion"])
        asset = None
        if asset_pk is not None:
            asset = Asset.objects.filter(pk=asset_pk).first()
            if asset is None:
                self.add_error("asset_ref", "There is no asset with that number.")
            elif asset.status != AssetStatus.PUBLISHED:
                self.add_error("asset_ref", "Publish the asset first.")
                asset = None
        if status == RequestStatus.DONE and asset is None and not self.errors:
            self.add_error("asset_ref", "Say which asset fulfils this request.")
        if status == RequestStatus.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell the requester why it is declined.")
        data["fulfilled_by"] = asset
        return data
