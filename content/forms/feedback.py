"""Forms for feedback: ratings, content requests and their triage."""

import re
from typing import Any

from django import forms

from content import form_fields
from content.models import (
    Asset,
    AssetKind,
    AssetStatus,
    RequestStatus,
    Stage,
)
from content.services.feedback import STARS_ERROR


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
