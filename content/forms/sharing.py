"""Forms for share links: one asset from its page, or a deal room of several."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from content import form_fields
from content.selectors.sharing import share_deal_choices, shareable_assets
from content.services.sharing import DEFAULT_EXPIRY, PASSCODE_MAX, PASSCODE_MIN


def _default_expiry() -> datetime.date:
    return timezone.localdate() + DEFAULT_EXPIRY


class ShareForm(forms.Form):
    recipient = forms.CharField(
        label="Recipient",
        max_length=200,
        help_text="The prospect's name or email, so you can tell your links apart.",
    )
    deal = form_fields.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No deal",
        help_text="Opens show up on the deal's page.",
    )
    expires_on = forms.DateField(
        label="Link works until",
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="30 days unless you choose otherwise; at most a year.",
    )
    require_email = forms.BooleanField(
        label="Ask for an email before showing anything",
        required=False,
        help_text="The email is recorded on the visit, so you see who read what.",
    )
    passcode = forms.CharField(
        label="Passcode",
        required=False,
        max_length=PASSCODE_MAX,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=f"Optional, {PASSCODE_MIN} to {PASSCODE_MAX} characters. Send it "
        "to the prospect separately; it is stored hashed and cannot be shown again.",
    )
    allow_download = forms.BooleanField(
        label="Allow download of the original file",
        required=False,
        initial=True,
        help_text="Off: the prospect can only flip through the pages.",
    )
    watermark = forms.BooleanField(
        label="Watermark the pages with the viewer's email",
        required=False,
        help_text="Needs “Ask for an email”.",
    )
    message = forms.CharField(
        label="Message to the prospect",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown above the assets. Optional.",
    )

    # Errors the service raises, by its argument name -> our field name.
    service_fields = {
        "expires_at": "expires_on",
        "deal": "deal",
        "assets": None,
        "passcode": "passcode",
        "watermark": "watermark",
    }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["deal"].queryset = share_deal_choices(user=user)

    def clean_passcode(self) -> str:
        passcode = self.cleaned_data["passcode"]
        if passcode and len(passcode) < PASSCODE_MIN:
            raise ValidationError(f"A passcode has at least {PASSCODE_MIN} characters.")
        return passcode

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("watermark") and not cleaned.get("require_email"):
            self.add_error(
                "watermark",
                "The watermark is the viewer's email: tick “Ask for an email” too.",
            )
        return cleaned

    def service_controls(self) -> dict:
        """The link controls, as share_create takes them."""
        data = self.cleaned_data
        return {
            "require_email": data["require_email"],
            "passcode": data["passcode"],
            "allow_download": data["allow_download"],
            "watermark": data["watermark"],
        }

    def clean_expires_on(self) -> datetime.datetime:
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise ValidationError("Choose today or a later date.")
        # The link works through the whole of the chosen day.
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(23, 59, 59))
        )


class DealRoomForm(ShareForm):
    """Several assets, in order, for one deal: a small page for the prospect."""

    assets = form_fields.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only published assets cleared for people outside the company are "
        "listed. You can change their order after creating the room.",
    )

    field_order = [
        "deal",
        "recipient",
        "assets",
        "message",
        "expires_on",
        "require_email",
        "passcode",
        "allow_download",
        "watermark",
    ]
    service_fields = {**ShareForm.service_fields, "assets": "assets"}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["deal"].required = True
        self.fields["deal"].empty_label = None
        self.fields["deal"].help_text = "A deal room belongs to one of your open deals."
        self.fields["assets"].queryset = shareable_assets(user=user)
