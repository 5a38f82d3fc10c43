"""The analytics pages' filters: the period and which assets to look at."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Role, User
from content import form_fields
from content.models import AssetKind, AssetStatus, Stage
from content.selectors.analytics import (
    DEFAULT_PERIOD_DAYS,
    DEFAULT_SORT,
    MAX_PERIOD_DAYS,
    PERIOD_CHOICES,
    SORTS,
    AssetFilters,
    Period,
)
from content.selectors.analytics.evidence import competitors
from content.services.feedback_replies import REPLY_MAX

CUSTOM = "custom"


class PeriodForm(forms.Form):
    """Last 30/90/365 days, or a date range. No period, or an invalid one, means
    the default (DEFAULT_PERIOD_DAYS), with any error shown next to the field."""

    days = forms.TypedChoiceField(
        label="Period",
        choices=[(str(n), f"Last {n} days") for n in PERIOD_CHOICES]
        + [(CUSTOM, "Date range")],
        required=False,
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    PERIOD_FIELDS = ("days", "start", "end")

    def __init__(self, data=None, *args, **kwargs) -> None:
        # No period asked for: the default one, written into the data so that the
        # menu shows the period the page uses (an empty value made the browser show
        # the first option, "Last 30 days", and send it with the next Show).
        if data is not None and not any(data.get(k) for k in self.PERIOD_FIELDS):
            data = data.copy()
            data["days"] = str(DEFAULT_PERIOD_DAYS)
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        days = data.get("days") or ""
        start, end = data.get("start"), data.get("end")
        if days == CUSTOM or (not days and (start or end)):
            today = timezone.localdate()
            if not start:
                self.add_error("start", "Pick the first day of the range.")
            if not end:
                self.add_error("end", "Pick the last day of the range.")
            if start and end:
                if end < start:
                    self.add_error("end", "The range must end on or after its start.")
                elif end > today:
                    self.add_error("end", "The range cannot end in the future.")
                elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                    self.add_error(
                        "start", f"Pick at most {MAX_PERIOD_DAYS} days at a time."
                    )
            data["days"] = CUSTOM
        return data

    def period(self) -> Period:
        """The chosen period; the default one if the period fields are wrong."""
        self.is_valid()
        if any(name in self.errors for name in self.PERIOD_FIELDS):
            if "days" in self.errors:
                # A value the menu does not offer: the menu shows the one in use.
                self.data = self.data.copy()
                self.data["days"] = str(DEFAULT_PERIOD_DAYS)
            return Period.last(DEFAULT_PERIOD_DAYS)
        data = self.cleaned_data
        if data.get("days") == CUSTOM:
            return Period(data["start"], data["end"])
        days = int(data["days"]) if data.get("days") else DEFAULT_PERIOD_DAYS
        return Period.last(days)


class DashboardFilterForm(PeriodForm):
    # The menus are written in Python (InlineSelect): a template per option
    # was a tenth of the dashboard's first load at full size.
    stage = form_fields.ModelChoiceField(
        queryset=Stage.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All stages",
        widget=form_fields.InlineSelect,
    )
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *AssetKind.choices],
        required=False,
        widget=form_fields.InlineSelect,
    )
    owner = form_fields.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Any owner",
        widget=form_fields.InlineSelect,
    )
    tag = form_fields.ModelChoiceField(
        queryset=Tag.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any tag",
        widget=form_fields.InlineSelect,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (AssetStatus.PUBLISHED, "Published"),
            (AssetStatus.RETIRED, "Retired"),
            ("all", "Published and retired"),
        ],
        required=False,
        widget=form_fields.InlineSelect,
    )
    competitor = forms.ChoiceField(
        label="Competitor in the deal",
        choices=[("", "Any competitor")],
        required=False,
        help_text="Counts only deals against this competitor in the evidence.",
        widget=form_fields.InlineSelect,
    )
    sort = forms.ChoiceField(
        choices=list(SORTS.items()), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(is_active=True).order_by(
            "order", "name"
        )
        self.fields["owner"].queryset = User.objects.filter(
            role__in=[Role.MARKETER, Role.ADMIN], is_active=True
        ).order_by("first_name", "last_name", "username")
        self.fields["tag"].queryset = Tag.objects.order_by("name")
        self.fields["competitor"].choices = [("", "Any competitor")] + [
            (name, name) for name in competitors()
        ]

    def filters(self) -> AssetFilters:
        """The chosen filters; a wrong one is left out (its error is shown)."""
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or AssetStatus.PUBLISHED
        return AssetFilters(
            stage=data.get("stage"),
            kind=data.get("kind") or "",
            owner=data.get("owner"),
            tag=data.get("tag"),
            status="" if status == "all" else status,
            competitor=data.get("competitor") or "",
        )

    def chosen_sort(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or DEFAULT_SORT


def period_querystring(period: Period) -> str:
    if period.preset:
        return f"days={period.preset}"
    return f"days={CUSTOM}&start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"


class RatingReplyForm(forms.Form):
    """The answer to a rating's comment, written in place on the asset report."""

    text = forms.CharField(
        label="Your answer",
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the answer first."},
    )
