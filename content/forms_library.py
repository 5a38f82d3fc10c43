"""Forms for marketers: assets, versions, retiring, bulk upload and stages.

Forms validate and hand cleaned data to the services; they never save models
themselves. Model forms work on a copy of the instance, so the service sees the
object as it is in the database and can tell what changed.
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError

from content import form_fields, validators
from content.models import Asset, AssetKind, AssetStatus, Audience, Stage
from content.selectors import library as selectors
from content.services.library import CARD_FIELDS

MAX_BULK_FILES = 50

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


def _upload_accept() -> str:
    return ",".join(f".{ext}" for ext in validators.files.ALLOWED_EXTENSIONS)


def _file_help() -> str:
    return (
        f"{validators.allowed_types_text()}; up to "
        f"{validators.max_upload_bytes() // (1024 * 1024)} MB."
    )


class UploadField(forms.FileField):
    """A file checked from its bytes (type, size, image pixels) on the form."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _file_help())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", _upload_accept())

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validators.validate_upload(upload)
        return upload


def oversize_message(names: list[str]) -> str:
    limit = validators.max_upload_bytes() // (1024 * 1024)
    listed = ", ".join(f"“{name}”" for name in names)
    return f"{listed} is larger than the {limit} MB limit and was not uploaded."


class OversizeMixin:
    """Reports files the upload handler dropped for being over the size limit."""

    def __init__(self, *args, oversize: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.oversize = list(oversize or [])

    def clean(self):
        cleaned = super().clean()
        if self.oversize and "file" in self.fields:
            self.errors.pop("file", None)
            self.add_error("file", oversize_message(self.oversize))
        return cleaned


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


class VersionForm(OversizeMixin, forms.Form):
    file = UploadField(label="New file")
    change_note = forms.CharField(
        max_length=500,
        label="What changed?",
        help_text="Shown in the version list, e.g. “New pricing for Q3”.",
    )


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            uploads = [single(item, initial) for item in data if item]
        else:
            uploads = [single(data, initial)] if data else []
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > MAX_BULK_FILES:
            raise ValidationError(
                "Upload at most %(max)s files at once.",
                code="too_many",
                params={"max": MAX_BULK_FILES},
            )
        return uploads


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="Select or drop several files: each becomes a draft asset. "
        + _file_help(),
    )
    kind = forms.ChoiceField(
        choices=[("", "Guess from each file")] + list(AssetKind.choices),
        required=False,
        label="Kind",
    )
    stages = form_fields.ModelMultipleChoiceField(
        queryset=Stage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Stages",
        help_text="Optional: applied to every new draft.",
    )
    audience = forms.ChoiceField(
        choices=Audience.choices, initial=Audience.INTERNAL, label="Audience"
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        label="Tags",
        help_text="Optional, comma-separated: applied to every new draft.",
    )

    def __init__(self, *args, oversize: list[str] | None = None, **kwargs) -> None:
        self.oversize = list(oversize or [])
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = _upload_accept()
        self.fields["stages"].queryset = selectors.stage_choices()

    def clean(self):
        cleaned = super().clean()
        if self.oversize and not cleaned.get("files"):
            self.errors.pop("files", None)
            self.add_error("files", oversize_message(self.oversize))
        return cleaned

    def clean_tags(self) -> list[str]:
        from taggit.utils import parse_tags

        return parse_tags(self.cleaned_data.get("tags") or "")


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "description", "exit_goal", "order", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "exit_goal": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"exit_goal": "Exit goal", "is_active": "Active"}
        help_texts = {
            "order": "Position in the sales cycle; lower comes first.",
            "is_active": "Inactive stages leave the roadmap and the asset forms; "
            "their history stays.",
        }

    def __init__(self, *args, **kwargs) -> None:
        instance = kwargs.get("instance")
        if instance is not None:
            kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        if instance is None:
            del self.fields["is_active"]


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
