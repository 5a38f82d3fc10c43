"""Form fields and widgets shared by the content forms.

Model choice fields that answer "not a valid choice" for any key, however large.

Django hands a submitted pk straight to the database; SQLite's driver raises
OverflowError for integers beyond 64 bits (a 500). These fields refuse such keys
with the field's usual message first. Every form in `content` uses them.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

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


class InlineSelect(forms.Select):
    """A <select> written in Python: Django renders a template per <option>,
    which made the search page's filter menus (dozens of tags and competitors)
    a quarter of the page's time. Same markup and attributes, no optgroups."""

    def render(self, name: str, value: Any, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            options,
        )
