"""The one way a service's ValidationError comes back onto a form."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(
    form: forms.Form,
    error: ValidationError,
    *,
    rename: Mapping[str, str | None] | None = None,
) -> None:
    """Put a service's ValidationError next to the matching field, else on top.

    `rename` maps a service argument's name to the form's field for it (None: on
    top), for forms whose fields are named differently from the service's
    arguments (`expires_at` -> `expires_on`, `name` -> `new_deal_name`).
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    rename = rename or {}
    for field, errors in error.error_dict.items():
        target = rename.get(field, field)
        target = target if target in form.fields else None
        for item in errors:
            form.add_error(target, item)
