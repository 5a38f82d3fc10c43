import pytest

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
