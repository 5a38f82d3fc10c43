"""My deals: a rep's own deals, the assets used in them, and their outcomes.

Only the owner ever sees or changes a deal: everyone else gets a 404, marketers
and admins included (they see deals in aggregate, in the analytics).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.roles import role_required
from content.forms_playbook import DealForm, DealOutcomeForm, add_service_error
from content.models import Deal, DealOutcome
from content.selectors.playbook import deal_summary, deal_usages, deals_for_owner
from content.services.deals import deal_create, deal_set_outcome, deal_update
from content.views.playbook import paginate, posted, querystring_without_page
from content.views.plays import workspace_context
from content.views.redirects import safe_next

DEAL_PAGE_SIZE = 20
OUTCOME_TABS = {"": "All", "open": "Open", "won": "Won", "lost": "Lost"}


def _own_deal_or_404(user, pk: int) -> Deal:
    return get_object_or_404(
        Deal.objects.owned_by(user).select_related("stage", "industry"), pk=pk
    )


@role_required(roles.can_use_library)
def deal_list(request: HttpRequest) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    if outcome not in OUTCOME_TABS:
        outcome = ""
    page_obj = paginate(
        request,
        deals_for_owner(user=request.user, outcome=outcome or None),
        DEAL_PAGE_SIZE,
    )
    return render(
        request,
        "content/deals/list.html",
        {
            "outcome": outcome,
            "tabs": OUTCOME_TABS,
            "summary": deal_summary(user=request.user),
            "page_obj": page_obj,
            "deals": page_obj.object_list,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(roles.can_use_library)
def deal_add(request: HttpRequest) -> HttpResponse:
    form = DealForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            deal = deal_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Deal “{deal.name}” created.")
            return redirect(safe_next(request, deal.get_absolute_url()))
    return render(
        request,
        "content/deals/form.html",
        {"form": form, "deal": None, "next": safe_next(request)},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, deal: Deal, outcome_form=None, status=200, context_form=None
):
    return render(
        request,
        "content/deals/detail.html",
        {
            "deal": deal,
            "usages": deal_usages(deal=deal),
            "outcome_form": outcome_form or DealOutcomeForm(),
            "outcomes": DealOutcome,
            **workspace_context(request, deal, context_form),
        },
        status=status,
    )


@role_required(roles.can_use_library)
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _own_deal_or_404(request.user, pk))


@require_http_methods(["GET", "POST"])
@role_required(roles.can_use_library)
def deal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _own_deal_or_404(request.user, pk)
    initial = {
        "name": deal.name,
        "account": deal.account,
        "crm_id": deal.crm_id,
        "amount": deal.amount,
        "stage": deal.stage_id,
    }
    form = DealForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deal = deal_update(user=request.user, deal=deal, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, "Deal saved.")
            return redirect(deal.get_absolute_url())
    return render(
        request,
        "content/deals/form.html",
        {"form": form, "deal": deal},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(roles.can_use_library)
def deal_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _own_deal_or_404(request.user, pk)
    form = DealOutcomeForm(request.POST)
    if form.is_valid():
        try:
            deal = deal_set_outcome(
                user=request.user,
                deal=deal,
                outcome=form.cleaned_data["outcome"],
                amount=form.cleaned_data["amount"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            text = {
                DealOutcome.WON: f"Congratulations: “{deal.name}” is won.",
                DealOutcome.LOST: f"“{deal.name}” is marked lost.",
                DealOutcome.OPEN: f"“{deal.name}” is open again.",
            }[deal.outcome]
            messages.success(request, text)
            return redirect(deal.get_absolute_url())
    return _detail(request, deal, outcome_form=form, status=400)
