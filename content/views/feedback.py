"""Feedback: a rep's rating of an asset, and content requests (ask for what is
missing, vote, and marketing triages)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.roles import role_required
from content.forms.errors import add_service_error
from content.forms.feedback import ContentRequestForm, RatingForm, TriageForm
from content.models import AssetKind, ContentRequest
from content.selectors.feedback import (
    REQUEST_TABS,
    content_requests,
    similar_open_requests,
    triage_suggestions,
)
from content.selectors.stages import stage_from_query
from content.services.feedback import (
    content_request_create,
    content_request_triage,
    content_request_vote,
    rating_set,
)
from content.views.common import (
    form_service_call,
    paginate,
    posted,
    published_asset_or_404,
    querystring_without_page,
)
from content.views.redirects import safe_next

REQUEST_PAGE_SIZE = 20
TAB_LABELS = {
    "open": "Open",
    "planned": "Planned",
    "done": "Done",
    "declined": "Declined",
}


@role_required(roles.can_use_library)
def request_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "open")
    if tab not in REQUEST_TABS:
        tab = "open"
    mine = request.GET.get("mine") == "1"
    stage = stage_from_query(request.GET.get("stage"))
    page_obj = paginate(
        request,
        content_requests(user=request.user, tab=tab, stage=stage, mine=mine),
        REQUEST_PAGE_SIZE,
    )
    return render(
        request,
        "content/requests/list.html",
        {
            "tab": tab,
            "tabs": TAB_LABELS,
            "tab_label": TAB_LABELS[tab],
            "mine": mine,
            "stage": stage,
            "page_obj": page_obj,
            "requests": page_obj.object_list,
            "can_triage": roles.can_triage_requests(request.user),
            "querystring_without_page": querystring_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(roles.can_use_library)
def request_add(request: HttpRequest) -> HttpResponse:
    similar = []
    if request.method == "POST":
        form = ContentRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            similar = (
                []
                if data["confirm_new"]
                else similar_open_requests(title=data["title"])
            )
            if not similar:
                try:
                    content_request = content_request_create(
                        user=request.user,
                        title=data["title"],
                        description=data["description"],
                        stage=data["stage"],
                        kind=data["kind"],
                    )
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(
                        request,
                        f"Request sent: “{content_request.title}”. You will be "
                        "notified when marketing decides.",
                    )
                    return redirect(reverse("content:request_list") + "?mine=1")
            else:
                # Show the look-alikes once; submitting again creates it anyway.
                form = ContentRequestForm({**request.POST.dict(), "confirm_new": "on"})
                form.is_valid()
    else:
        initial = {"title": request.GET.get("title", "")[:200]}
        stage = stage_from_query(request.GET.get("stage"), active_only=True)
        if stage is not None:
            initial["stage"] = stage
        if request.GET.get("kind") in AssetKind.values:
            initial["kind"] = request.GET["kind"]
        form = ContentRequestForm(initial=initial)
    return render(
        request,
        "content/requests/form.html",
        {"form": form, "similar": similar},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(roles.can_use_library)
def request_vote(request: HttpRequest, pk: int) -> HttpResponse:
    content_request = get_object_or_404(ContentRequest, pk=pk)
    up = request.POST.get("vote", "up") != "down"
    error = None
    try:
        content_request = content_request_vote(
            user=request.user, request=content_request, up=up
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        content_request.has_voted = content_request.votes.filter(
            user=request.user
        ).exists()
        return render(
            request,
            "content/requests/_vote.html",
            {"req": content_request, "vote_error": error},
        )
    if error:
        messages.error(request, error)
    elif up:
        messages.success(request, f"Your vote for “{content_request.title}” counts.")
    else:
        messages.info(request, f"Vote taken back from “{content_request.title}”.")
    return redirect(safe_next(request, reverse("content:request_list")))


@require_http_methods(["GET", "POST"])
@role_required(roles.can_triage_requests)
def request_triage(request: HttpRequest, pk: int) -> HttpResponse:
    content_request = get_object_or_404(
        ContentRequest.objects.select_related("stage", "requester", "fulfilled_by"),
        pk=pk,
    )
    suggestions = triage_suggestions(user=request.user, request=content_request)
    initial = {
        "status": content_request.status
        if content_request.status != "open"
        else "planned",
        "reason": content_request.decline_reason,
    }
    if content_request.fulfilled_by_id:
        initial["asset_ref"] = str(content_request.fulfilled_by_id)
    form = TriageForm(posted(request), initial=initial, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content_request = content_request_triage(
                user=request.user,
                request=content_request,
                status=data["status"],
                fulfilled_by=data["fulfilled_by"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"“{content_request.title}” is now "
                f"{content_request.get_status_display().lower()}; "
                "the requester and voters are notified.",
            )
            return redirect(reverse("content:request_list"))
    return render(
        request,
        "content/requests/triage.html",
        {"req": content_request, "form": form, "suggestions": suggestions},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(roles.can_use_library)
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the user's rating: in place with htmx, or a plain POST and redirect."""
    asset = published_asset_or_404(request.user, pk)
    form = RatingForm(request.POST)
    rating = None
    if form.is_valid():
        rating = form_service_call(
            form,
            rating_set,
            user=request.user,
            asset=asset,
            stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"],
        )
    if request.htmx:
        context = {
            "asset": asset,
            "my_rating": rating,
            "rating_form": form,
            "rating_saved": rating is not None,
        }
        if rating is None:
            # Show the rating that is still stored next to the errors.
            context["my_rating"] = asset.ratings.filter(user=request.user).first()
        return render(request, "content/playbook/_rating.html", context)
    if rating is None:
        return render(
            request,
            "content/playbook/rate.html",
            {"asset": asset, "rating_form": form},
            status=400,
        )
    messages.success(request, f"Thanks: you rated “{asset.title}” {rating.stars}/5.")
    return redirect(asset.get_absolute_url() + "#your-rating")
