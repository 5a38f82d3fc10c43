"""Forms for marketers' library pages: an asset, retiring it, filtering theirs.

Forms validate and hand cleaned data to the services; they never save models
themselves. Model forms work on a copy of the instance, so the service sees the
object as it is in the database and can tell what changed.
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError

from content import form_fields
from content.forms.uploads import OversizeMixin, UploadField
from content.models import Asset, AssetKind, AssetStatus
from content.selectors import library as selectors
from content.services.library import CARD_FIELDS

CARD_LABELS = {
    "competitor": ("Competitor", "Who this card is about, e.g. “Rivalry Inc”."),
    "their_strengths": ("Their strengths", "One point per line."),
    "their_weaknesses": ("Their weaknesses", "One point per line."),
    "landmines": (
        "Landmines and trap questions",
        "Questions that expose their weak spots. One per line.",
    ),
    "how_we_win": ("How we win", "One point per line."),
    "proof_points": (
        "Proof points",
        "Customer results, numbers and quotes reps can cite. One per line.",
    ),
    "objection": ("The objection", "In the prospect's words."),
    "response": ("Our response", "What the rep says. Short paragraphs read best."),
    "when_to_use": ("When to use it", "The moment in the deal this applies to."),
}


class AssetForm(OversizeMixin, forms.ModelForm):
    file = UploadField(
        required=False,
        label="File",
    )
    change_note = forms.CharField(
        required=False,
        max_length=500,
        label="Note on this file",
        help_text="Optional, e.g. “Q3 pricing”.",
    )

    class Meta:
        model = Asset
        fields = [
            "kind",
            "title",
            "summary",
            "audience",
            "stages",
            "tags",
            *CARD_FIELDS,
            "owner",
            "review_by",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "stages": forms.CheckboxSelectMultiple,
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in CARD_FIELDS
                if name != "competitor"
            },
        }
        field_classes = {
            "stages": form_fields.ModelMultipleChoiceField,
            "owner": form_fields.ModelChoiceField,
        }
        labels = {"summary": "Summary", "review_by": "Review by"}
        help_texts = {
            "summary": "One or two sentences: what it is and when a rep needs it.",
            "audience": "Partners see only assets shared with them.",
            "stages": "The stages of the sales cycle where it helps. "
            "At least one before publishing.",
            "review_by": "When to check it is still current. Left empty, it is set "
            "to the review interval after publishing.",
            "owner": "The marketer who keeps it current.",
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        instance = kwargs.get("instance")
        if instance is not None:
            kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        self.user = user
        current = list(instance.stages.all()) if instance is not None else []
        self.fields["stages"].queryset = selectors.stage_choices(
            include=[s.pk for s in current]
        )
        self.fields["stages"].required = False
        self.fields["owner"].queryset = selectors.content_owners()
        self.fields["owner"].required = False
        self.fields["owner"].empty_label = "Me"
        self.fields[
            "tags"
        ].help_text = "Comma-separated, e.g. pricing, security, enterprise."
        self.fields["kind"].widget.attrs["data-kind-select"] = ""
        for name, (label, help_text) in CARD_LABELS.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text
        if instance is not None:
            # A new file goes through "Upload a new version" with its own note.
            del self.fields["file"]
            del self.fields["change_note"]
            self.fields["owner"].empty_label = None
            self.fields["owner"].required = True

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Give it a title.")
        return title

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if (
            instance.pk
            and instance.status == AssetStatus.PUBLISHED
            and "stages" in cleaned
            and not cleaned["stages"]
        ):
            self.add_error("stages", "A published asset needs at least one stage.")
        return cleaned

    def service_kwargs(self) -> dict:
        """Cleaned data in the shape the services take."""
        data = dict(self.cleaned_data)
        data["stages"] = list(data.get("stages") or [])
        data["tags"] = list(data.get("tags") or [])
        if not data.get("owner"):
            data.pop("owner", None)
        return data


class RetireForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why is it retired?",
        help_text="Kept in the asset's history.",
    )
    replaced_by = form_fields.ModelChoiceField(
        queryset=Asset.objects.none(),
        required=False,
        label="Replaced by",
        empty_label="Nothing replaces it",
        help_text="Reps who open the old asset are pointed at the replacement.",
    )

    def __init__(self, *args, asset: Asset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = selectors.replacement_choices(asset=asset)


class ContentFilterForm(forms.Form):
    """The GET filters on "My content"."""

    status = forms.ChoiceField(
        choices=[("", "All")] + list(AssetStatus.choices), required=False
    )
    owner = forms.ChoiceField(
        choices=[("mine", "Mine"), ("all", "Everyone's")], required=False
    )
    kind = forms.ChoiceField(
        choices=[("", "All kinds")] + list(AssetKind.choices), required=False
    )
    q = forms.CharField(required=False, max_length=100, label="Title contains")

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "mine": (data.get("owner") or "mine") == "mine",
            "kind": data.get("kind") or "",
            "query": (data.get("q") or "").strip(),
        }
