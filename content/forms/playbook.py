"""Forms of the reps' playbook (their reading surface): search."""

from typing import Any

from django import forms
from taggit.models import Tag

from accounts import roles
from content import form_fields
from content.models import (
    AssetKind,
    Audience,
    Stage,
)
from content.selectors.search import SORTS, competitors_for, tags_for

# Search -------------------------------------------------------------------------


class SearchForm(forms.Form):
    """Search and filters; everything lives in the URL, so results can be shared."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Competitor, objection, phrase from a deck…",
                "autocomplete": "off",
            }
        ),
    )
    stage = forms.ChoiceField(required=False, widget=form_fields.InlineSelect)
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *AssetKind.choices],
        required=False,
        widget=form_fields.InlineSelect,
    )
    tag = forms.ChoiceField(required=False, widget=form_fields.InlineSelect)
    competitor = forms.ChoiceField(required=False, widget=form_fields.InlineSelect)
    audience = forms.ChoiceField(
        choices=[("", "Any audience"), *Audience.choices],
        required=False,
        widget=form_fields.InlineSelect,
    )
    sort = forms.ChoiceField(
        choices=list(SORTS.items()), required=False, widget=form_fields.InlineSelect
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One query each; validation and the menus share the same lists.
        self._stages = {s.slug: s for s in Stage.objects.filter(is_active=True)}
        # Only what this user can find: a partner never learns an internal tag.
        self._tags = {t.slug: t for t in tags_for(user=user)}
        self.fields["stage"].choices = [("", "Any stage")] + [
            (slug, stage.name) for slug, stage in self._stages.items()
        ]
        self.fields["tag"].choices = [("", "Any tag")] + [
            (slug, tag.name) for slug, tag in self._tags.items()
        ]
        self.fields["competitor"].choices = [("", "Any competitor")] + [
            (name, name) for name in competitors_for(user=user)
        ]
        if roles.is_partner(user):
            # Partners only ever see partner assets: nothing to choose.
            del self.fields["audience"]

    def clean_stage(self) -> Stage | None:
        return self._stages.get(self.cleaned_data["stage"])

    def clean_tag(self) -> Tag | None:
        return self._tags.get(self.cleaned_data["tag"])

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for search_assets from the valid fields only."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "query": data.get("q") or "",
            "stage": data.get("stage"),
            "kind": data.get("kind") or None,
            "tag": data.get("tag"),
            "competitor": data.get("competitor") or None,
            "audience": data.get("audience") or None,
            "sort": data.get("sort") or "relevance",
        }


# Ratings ------------------------------------------------------------------------


# Deals and usage ----------------------------------------------------------------


# Content requests ---------------------------------------------------------------
