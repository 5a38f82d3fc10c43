"""The marketers' form for a stage of the sales roadmap."""

from __future__ import annotations

import copy

from django import forms

from content.models import Stage


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
