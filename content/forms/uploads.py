"""Forms that take files: the upload field, a new version, bulk upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from content import form_fields, validators
from content.models import AssetKind, Audience, Stage
from content.selectors import library as selectors

MAX_BULK_FILES = 50


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


class VersionForm(OversizeMixin, forms.Form):
    file = UploadField(label="New file")
    change_note = forms.CharField(
        max_length=500,
        label="What changed?",
        help_text="Shown in the version list, e.g. “New pricing for Q3”.",
    )


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
