"""Deals and usage: a rep's own deals, the assets used in them, their outcomes,
and recording "used this asset in deal D at stage S" from the asset page.

Only the owner ever sees or changes a deal: everyone else gets a 404, marketers
and admins included (they see deals in aggregate, in the analytics).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.roles import role_required
from content.forms.deals import NEW_DEAL_FIELDS, DealForm, DealOutcomeForm, UsageForm
from content.forms.errors import add_service_error
from content.models import Deal, DealOutcome
from content.selectors.asset_page import (
    new_deal_stage,
    usage_stages,
)
from content.selectors.deals import (
    deal_summary,
    deal_usages,
    deals_for_owner,
    open_deals_for,
)
from content.services.deals import (
    NewDeal,
    deal_create,
    deal_set_outcome,
    deal_update,
    usage_record_in_deal_or_new,
)
from content.views.common import (
    form_service_call,
    paginate,
    posted,
    published_asset_or_404,
    querystring_without_page,
)
from content.views.library import asset_page_context
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
        saved = form_service_call(
            form, deal_update, user=request.user, deal=deal, **form.cleaned_data
        )
        if saved is not None:
            deal = saved
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
        saved = form_service_call(
            form,
            deal_set_outcome,
            user=request.user,
            deal=deal,
            outcome=form.cleaned_data["outcome"],
            amount=form.cleaned_data["amount"],
        )
        if saved is not None:
            deal = saved
            text = {
                DealOutcome.WON: f"Congratulations: “{deal.name}” is won.",
                DealOutcome.LOST: f"“{deal.name}” is marked lost.",
                DealOutcome.OPEN: f"“{deal.name}” is open again.",
            }[deal.outcome]
            messages.success(request, text)
            return redirect(deal.get_absolute_url())
    return _detail(request, deal, outcome_form=form, status=400)


@require_POST
@role_required(roles.can_use_library)
def usage_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record "used this asset in deal D at stage S", creating the deal if asked."""
    user = request.user
    asset = published_asset_or_404(user, pk)
    stages = usage_stages()
    form = UsageForm(
        request.POST,
        user=user,
        deals=open_deals_for(user=user),
        stages=stages,
        new_deal_stage=new_deal_stage(stages, asset=asset),
    )
    usage = None
    if form.is_valid():
        data = form.cleaned_data
        new_deal = NewDeal(
            name=data["new_deal_name"],
            account=data["new_deal_account"],
            crm_id=data["new_deal_crm_id"],
            amount=data["new_deal_amount"],
        )
        usage = form_service_call(
            form,
            usage_record_in_deal_or_new,
            rename=NEW_DEAL_FIELDS,
            user=user,
            asset=asset,
            stage=data["stage"],
            deal=data["deal"],
            new_deal=new_deal if data["deal"] is None else None,
            note=data["note"],
            idempotency_key=data["idempotency_key"] or None,
        )
    if request.htmx:
        overrides = {} if usage is not None else {"usage_form": form}
        context = asset_page_context(user=user, asset=asset, **overrides)
        context.update({"asset": asset, "recorded_usage": usage})
        return render(request, "content/playbook/_usage.html", context)
    if usage is None:
        return render(
            request,
            "content/playbook/usage_add.html",
            {
                "asset": asset,
                "usage_form": form,
            },
            status=400,
        )
    messages.success(
        request,
        f"Recorded: “{asset.title}” used in {usage.deal.name} at {usage.stage.name}.",
    )
    return redirect(asset.get_absolute_url() + "#your-usage")
