"""The notifications page's buttons, validated like any other form."""

from django import forms

# The largest primary key the database can hold (BigAutoField).
MAX_PK = 2**63 - 1


class NotificationActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("read", "Mark read"),
            ("read_all", "Mark all read"),
            ("digest_on", "Weekly digest on"),
            ("digest_off", "Weekly digest off"),
        ]
    )
    id = forms.IntegerField(required=False, min_value=1, max_value=MAX_PK)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "read" and not cleaned.get("id"):
            raise forms.ValidationError("Choose a notification to mark read.")
        return cleaned
