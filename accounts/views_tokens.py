"""Personal API tokens on the profile page: create (key shown once) and revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ApiToken
from accounts.roles import can_use_library, role_required
from accounts.services_tokens import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=80,
        help_text="What will use it, e.g. “CRM sync” or “my laptop”.",
    )


def _profile_tokens_url() -> str:
    return reverse("accounts:profile") + "#api-tokens"


@role_required(can_use_library)
@require_http_methods(["GET", "POST"])
def token_add(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, auto_id="token_%s")
    if request.method == "POST" and form.is_valid():
        try:
            token, raw_key = api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # The key is shown on this response and kept nowhere: the database
            # has a hash, and a redirect would have parked the key in the
            # session until the next page view (or for the session's life).
            messages.success(request, f"API token “{token.name}” created.")
            response = render(
                request,
                "accounts/profile.html",
                {"new_api_key": {"token": token.pk, "key": raw_key}},
                status=201,
            )
            response["Cache-Control"] = "private, no-store"
            return response
    return render(
        request,
        "accounts/tokens/token_add.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@role_required(can_use_library)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    api_token_revoke(user=request.user, token=token)
    messages.success(
        request, f"API token “{token.name}” revoked: requests with it now get 401."
    )
    return redirect(_profile_tokens_url())
