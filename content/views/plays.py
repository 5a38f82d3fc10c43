"""Plays and the deal workspace: marketing edits a stage's play; reps see it on
the stage page and work from it on the deal page (record a use, move the deal)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.roles import role_required
from content.forms.errors import add_service_error
from content.forms.plays import DealContextForm, PlayForm, PlayItemFormSet
from content.models import Asset, Deal, Stage
from content.selectors.plays import play_for_editing, play_for_stage, play_history
from content.selectors.recommendations import deal_workspace
from content.services.deals import deal_update, usage_record
from content.services.plays import play_save
from content.views.common import form_service_call

LAYOUTS = ("tiles", "list")
LAYOUT_SESSION_KEY = "stage_layout"


def stage_page_context(request: HttpRequest, stage: Stage) -> dict:
    """What the stage page adds for plays: the play, and the shelf's layout
    (tiles or a dense list), remembered in the session once chosen."""
    layout = request.GET.get("layout", "")
    if layout in LAYOUTS:
        if request.session.get(LAYOUT_SESSION_KEY) != layout:
            request.session[LAYOUT_SESSION_KEY] = layout
    else:
        layout = request.session.get(LAYOUT_SESSION_KEY, "tiles")
        if layout not in LAYOUTS:
            layout = "tiles"
    return {
        "play": play_for_stage(user=request.user, stage=stage),
        "layout": layout,
        "can_edit_play": roles.can_manage_stages(request.user),
    }


@require_http_methods(["GET", "POST"])
@role_required(roles.can_manage_stages)
def play_edit(request: HttpRequest, slug: str) -> HttpResponse:
    stage = get_object_or_404(Stage, slug=slug)
    play = play_for_editing(stage=stage)
    initial_items = [
        {
            "asset": item.asset,
            "when_to_use": item.when_to_use,
            "talk_track": item.talk_track,
            "ORDER": n,
        }
        for n, item in enumerate(play.items.all() if play else [], start=1)
    ]
    data = request.POST if request.method == "POST" else None
    form = PlayForm(data, initial={"key_questions": play.key_questions if play else ""})
    formset = PlayItemFormSet(data, initial=initial_items, stage=stage, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            play_save(
                user=request.user,
                stage=stage,
                key_questions=form.cleaned_data["key_questions"],
                items=formset.items(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The play for {stage.name} is saved.")
            return redirect(stage.get_absolute_url())
    invalid = request.method == "POST"
    return render(
        request,
        "content/plays/edit.html",
        {
            "stage": stage,
            "form": form,
            "formset": formset,
            "history": play_history(play=play),
        },
        status=400 if invalid else 200,
    )


def _own_deal_or_404(user, pk: int) -> Deal:
    return get_object_or_404(
        Deal.objects.owned_by(user).select_related("stage", "industry"), pk=pk
    )


def workspace_context(request: HttpRequest, deal: Deal, context_form=None) -> dict:
    """The deal page's workspace: the play, recommendations, the context form."""
    return {
        "workspace": deal_workspace(user=request.user, deal=deal),
        "context_form": context_form
        or DealContextForm(
            user=request.user,
            current_competitor=deal.competitor,
            initial={
                "stage": deal.stage_id,
                "competitor": deal.competitor,
                "industry": deal.industry_id,
            },
        ),
    }


def _workspace_response(request, deal, *, status=200, context_form=None, embed=False):
    template = (
        "content/plays/_embed_workspace.html"
        if embed
        else "content/plays/_workspace.html"
    )
    context = {"deal": deal, **workspace_context(request, deal, context_form)}
    return render(request, template, context, status=status)


@require_POST
@role_required(roles.can_use_library)
def workspace_use(request: HttpRequest, pk: int, asset_pk: int) -> HttpResponse:
    """One click: record that a recommended asset was used in the deal, now."""
    deal = _own_deal_or_404(request.user, pk)
    asset = get_object_or_404(Asset.objects.visible_to(request.user), pk=asset_pk)
    try:
        usage_record(user=request.user, deal=deal, asset=asset, stage=deal.stage)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        text = " ".join(error.messages)
        if request.htmx:
            messages.error(request, text)
            return _workspace_response(request, deal, status=400)
        messages.error(request, text)
        return redirect(_back(request, deal))
    if request.htmx:
        return _workspace_response(
            request, deal, embed=request.POST.get("embed") == "1"
        )
    messages.success(request, f"Recorded “{asset.title}” in “{deal.name}”.")
    return redirect(_back(request, deal))


def _back(request: HttpRequest, deal: Deal) -> str:
    if request.POST.get("embed") == "1" and deal.crm_id:
        return reverse("embed:deal", kwargs={"crm_id": deal.crm_id})
    return deal.get_absolute_url()


@require_POST
@role_required(roles.can_use_library)
def deal_context(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the deal to another stage, set its competitor and industry."""
    deal = _own_deal_or_404(request.user, pk)
    form = DealContextForm(
        request.POST, user=request.user, current_competitor=deal.competitor
    )
    if form.is_valid():
        saved = form_service_call(
            form, deal_update, user=request.user, deal=deal, **form.cleaned_data
        )
        if saved is not None:
            deal = saved
            messages.success(request, f"“{deal.name}” is at {deal.stage.name}.")
            return redirect(_back(request, deal))
    from content.views.deals import _detail

    return _detail(request, deal, status=400, context_form=form)
