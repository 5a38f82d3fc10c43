"""Forms for deals and usage: a deal, its outcome, "used in deal D at stage S"."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from content import form_fields
from content.models import (
    Deal,
    DealOutcome,
    Stage,
)

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
# The deal service's arguments -> the usage form's fields for the new deal.
NEW_DEAL_FIELDS = {
    "name": "new_deal_name",
    "account": "new_deal_account",
    "crm_id": "new_deal_crm_id",
    "amount": "new_deal_amount",
}

NEW_DEAL_LABEL = "A new deal…"


class DealMenu(forms.Select):
    """The deal <select>; each option carries its deal's current stage
    (`data-stage`), so that wingman.js can move "At stage" along with the deal.

    A rep may have a couple of hundred open deals: the options are written here
    rather than by one template include each (37 ms for 105 deals, most of the
    asset page's rendering), with the same markup Django's template writes.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stage_of: dict[str, int] = {}

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        stage = self.stage_of.get(str(value))
        if stage is not None:
            option["attrs"]["data-stage"] = str(stage)
        return option

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # A flat list of (value, label): no option groups, one choice at a time.
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            option_attrs = {}
            if option_value in chosen:
                option_attrs["selected"] = True
            stage = self.stage_of.get(option_value)
            if stage is not None:
                option_attrs["data-stage"] = str(stage)
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    flatatt(option_attrs),
                    label,
                )
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - each one escaped above
        )


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
        # content.selectors.deals.DealChoice entries (pk, name, account, stage_id)
        deals: list[Any] | None = None,
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
