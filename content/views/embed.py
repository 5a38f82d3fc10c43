"""The CRM panel: a compact deal workspace under /embed/, framed by a CRM.

Framing is allowed only for WINGMAN_EMBED_FRAME_ORIGINS, and the cookies set
under /embed/ work in a third-party frame (enablement.middleware.EmbedMiddleware).
/embed/ is outside the site-wide login redirect, whose login page refuses to be
framed: these views send anonymous users to the framed login page themselves.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts import roles
from accounts.forms import LoginForm
from content import form_fields
from content.forms.errors import add_service_error
from content.models import Stage
from content.selectors.deals import deals_for_owner
from content.services.deals import deal_create
from content.views.plays import workspace_context


def embed_login_required(view: Callable[..., HttpResponse]) -> Callable[..., Any]:
    """Anonymous: to the framed login; signed in without the library: 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("embed:login"))
        if not roles.can_use_library(request.user):
            return render(request, "content/plays/embed_denied.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


class EmbedLoginView(auth_views.LoginView):
    """The site's login, framed. Signed in already: on to the panel asked for,
    or a short note (never a redirect out of /embed/, which the frame refuses)."""

    template_name = "content/plays/embed_login.html"
    authentication_form = LoginForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any):
        if request.user.is_authenticated:
            target = self.get_redirect_url()
            if target.startswith("/embed/") and target != request.path:
                return redirect(target)
            return render(request, "content/plays/embed_signed_in.html")
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        # Only back into /embed/: any other page refuses to be framed.
        target = self.get_redirect_url()
        return target if target.startswith("/embed/") else reverse("embed:signed_in")


class EmbedDealForm(forms.Form):
    name = forms.CharField(label="Deal name", max_length=200)
    account = forms.CharField(max_length=200)
    stage = form_fields.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True), label="Stage"
    )


@require_GET
@embed_login_required
def signed_in(request: HttpRequest) -> HttpResponse:
    return render(request, "content/plays/embed_signed_in.html")


@require_GET
@embed_login_required
def deal_panel(request: HttpRequest, crm_id: str) -> HttpResponse:
    deal = (
        deals_for_owner(user=request.user)
        .select_related("stage", "industry")
        .filter(crm_id=crm_id)
        .first()
    )
    if deal is None:
        return render(
            request,
            "content/plays/embed_create.html",
            {"crm_id": crm_id, "form": EmbedDealForm()},
        )
    context = {"deal": deal, "embed": True, **workspace_context(request, deal)}
    return render(request, "content/plays/embed_panel.html", context)


@require_http_methods(["POST"])
@embed_login_required
def deal_panel_create(request: HttpRequest, crm_id: str) -> HttpResponse:
    """Create the rep's deal for this CRM record, then show its panel."""
    form = EmbedDealForm(request.POST)
    if form.is_valid():
        try:
            deal_create(user=request.user, crm_id=crm_id, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("embed:deal", crm_id=crm_id)
    return render(
        request,
        "content/plays/embed_create.html",
        {"crm_id": crm_id, "form": form},
        status=400,
    )
