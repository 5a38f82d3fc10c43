import re

import pytest
from django import forms

from content import form_fields
from content.form_fields import ModelChoiceField, ModelMultipleChoiceField
from content.models import Stage

pytestmark = pytest.mark.django_db

HUGE = str(2**70)


def test_a_key_beyond_64_bits_is_not_a_valid_choice(stage):
    field = ModelChoiceField(queryset=Stage.objects.all())
    with pytest.raises(Exception) as excinfo:
        field.clean(HUGE)
    assert "valid choice" in str(excinfo.value)
    assert field.clean(str(stage.pk)) == stage


def test_many_keys_beyond_64_bits_are_not_valid_choices(stage):
    field = ModelMultipleChoiceField(queryset=Stage.objects.all())
    with pytest.raises(Exception) as excinfo:
        field.clean([str(stage.pk), HUGE])
    assert "valid choice" in str(excinfo.value)
    assert list(field.clean([str(stage.pk)])) == [stage]


def test_asset_form_with_a_huge_stage_id_shows_an_error_not_a_crash(marketer_client):
    response = marketer_client.post(
        _asset_add_url(),
        {"kind": "deck", "title": "Deck", "stages": [HUGE], "audience": "internal"},
    )
    assert response.status_code == 200
    assert b"valid choice" in response.content


def _asset_add_url() -> str:
    from django.urls import reverse

    return reverse("content:asset_add")


# InlineSelect ------------------------------------------------------------------


def _options(html: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option, whatever the attribute order."""
    return [
        (value, label, " selected" in attrs)
        for value, attrs, label in re.findall(
            r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', html
        )
    ]


@pytest.mark.parametrize("value", ["", "b", "missing"])
def test_inline_select_writes_what_django_s_select_writes(value):
    choices = [("", "Any"), ("a", "Alpha"), ("b", 'B <&> "quoted"')]
    attrs = {"id": "id_x", "aria-invalid": "true", "required": True}
    fast = form_fields.InlineSelect(choices=choices).render("x", value, attrs)
    slow = forms.Select(choices=choices).render("x", value, attrs)
    assert _options(fast) == _options(slow)
    assert fast.startswith('<select name="x"')
    for attribute in ('id="id_x"', 'aria-invalid="true"', " required"):
        assert attribute in fast
    assert "<&>" not in fast and "B &lt;&amp;&gt; &quot;quoted&quot;" in fast
