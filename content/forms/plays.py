"""Forms of plays (marketing's essential assets per stage) and of a deal's
context on the deal workspace (stage, competitor, industry)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from content import form_fields
from content.models import Industry, Stage
from content.selectors.plays import play_asset_choices
from content.selectors.search import competitors_for
from content.services.plays import PLAY_MAX_ITEMS, WHEN_TO_USE_MAX, PlayItemInput


class PlayForm(forms.Form):
    key_questions = forms.CharField(
        label="Key questions",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One question per line: what the rep must find out at this stage.",
    )


class PlayItemForm(forms.Form):
    asset = form_fields.ModelChoiceField(queryset=None, required=False)
    when_to_use = forms.CharField(
        label="When to use it", max_length=WHEN_TO_USE_MAX, required=False
    )
    talk_track = forms.CharField(
        label="What to say (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, stage: Stage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = play_asset_choices(stage=stage)
        self.fields["asset"].empty_label = "(no asset)"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if data.get("asset") and not (data.get("when_to_use") or "").strip():
            self.add_error("when_to_use", "Say when a rep should use this asset.")
        if not data.get("asset") and (data.get("when_to_use") or "").strip():
            self.add_error("asset", "Choose the asset this line is about.")
        return data


class BasePlayItemFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, stage: Stage, **kwargs: Any) -> None:
        self.stage = stage
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "stage": self.stage}

    def clean(self) -> None:
        if any(self.errors) or self.non_form_errors():
            return
        assets = [
            form.cleaned_data["asset"].pk
            for form in self.forms
            if form.cleaned_data.get("asset") and not form.cleaned_data.get("DELETE")
        ]
        if len(assets) != len(set(assets)):
            raise ValidationError("Each asset can be in the play only once.")
        if len(assets) > PLAY_MAX_ITEMS:
            raise ValidationError(
                f"A play keeps to at most {PLAY_MAX_ITEMS} essential assets."
            )

    def items(self) -> list[PlayItemInput]:
        """The filled-in rows, in the order the marketer gave them."""
        return [
            PlayItemInput(
                asset=form.cleaned_data["asset"],
                when_to_use=form.cleaned_data["when_to_use"],
                talk_track=form.cleaned_data.get("talk_track", ""),
            )
            for form in self.ordered_forms_or_all()
            if form.cleaned_data.get("asset") and not form.cleaned_data.get("DELETE")
        ]

    def ordered_forms_or_all(self):
        # ordered_forms sorts by the ORDER field; blank orders keep their place.
        return self.ordered_forms if self.can_order else self.forms


PlayItemFormSet = forms.formset_factory(
    PlayItemForm,
    formset=BasePlayItemFormSet,
    extra=3,
    can_order=True,
    can_delete=True,
    max_num=PLAY_MAX_ITEMS,
    validate_max=True,
)


class DealContextForm(forms.Form):
    """The deal workspace's small form: move the deal on, say who it is against."""

    stage = form_fields.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True), label="Stage"
    )
    competitor = forms.ChoiceField(label="Competitor", required=False)
    industry = form_fields.ModelChoiceField(
        queryset=Industry.objects.filter(is_active=True),
        label="Industry",
        required=False,
        empty_label="(not set)",
    )

    def __init__(self, *args: Any, user, current_competitor: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        names = competitors_for(user=user)
        if current_competitor and current_competitor not in names:
            names = [current_competitor, *names]
        self.fields["competitor"].choices = [("", "(none)")] + [(n, n) for n in names]
