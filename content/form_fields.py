"""Model choice fields that answer "not a valid choice" for any key, however large.

Django hands a submitted pk straight to the database; SQLite's driver raises
OverflowError for integers beyond 64 bits (a 500). These fields refuse such keys
with the field's usual message first. Every form in `content` uses them.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

_LOWEST, _HIGHEST = -(2**63), 2**63 - 1


def _fits_in_64_bits(value: Any) -> bool:
    try:
        number = int(str(value).strip())
    except ValueError:
        return True  # not a number at all: Django's own check reports it
    return _LOWEST <= number <= _HIGHEST


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if (
            value not in self.empty_values
            and self.to_field_name is None
            and not _fits_in_64_bits(value)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for key in value:
                if not _fits_in_64_bits(key):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": key},
                    )
        return super()._check_values(value)
