"""The reps' playbook: stage pages, search, rating, recording usage, what's new."""

from datetime import UTC, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from accounts.roles import role_required
from content.caching.tiles import with_tiles
from content.forms_playbook import (
    RatingForm,
    SearchForm,
    UsageForm,
    add_service_error,
)
from content.models import Asset
from content.selectors.asset_page import (
    asset_page_context,
    new_deal_stage,
    usage_stages,
)
from content.selectors.playbook import (
    is_following,
    news_since,
    open_deals_for,
    stage_assets,
    stage_kind_counts,
    stages_for_nav,
    whats_new,
)
from content.selectors.search import SORTS, search_results
from content.services.deals import deal_create, usage_record
from content.services.feedback import rating_set, search_log_record
from content.services.notifications import news_mark_seen
from content.views.plays import stage_page_context

STAGE_PAGE_SIZE = 24
SEARCH_PAGE_SIZE = 20
NEWS_PAGE_SIZE = 20
NEWS_WINDOW_DAYS = 90
STAGE_SORTS = {key: SORTS[key] for key in ("rating", "most_used", "newest")}


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def paginate(
    request: HttpRequest, object_list, per_page: int, count: int | None = None
):
    paginator = Paginator(object_list, per_page)
    if count is not None:
        # The page already knows the total (e.g. from per-kind counts): no COUNT(*).
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def posted(request: HttpRequest):
    """The POST data when the request is a POST (even an empty one), else None."""
    return request.POST if request.method == "POST" else None


def _published_asset_or_404(user, pk: int) -> Asset:
    asset = get_object_or_404(Asset.objects.visible_to(user), pk=pk)
    if not asset.is_published:
        raise Http404("Only published assets can be rated or used in deals.")
    return asset


# Stage pages --------------------------------------------------------------------


@require_GET
@role_required(roles.can_use_library)
def stage_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A stage's goal and its published assets, grouped by kind, paginated."""
    user = request.user
    stages = stages_for_nav(user=user)
    stage = next((s for s in stages if s.slug == slug), None)
    if stage is None:
        raise Http404("No such stage.")
    kind_counts = stage_kind_counts(user=user, stage=stage)
    kind = request.GET.get("kind", "")
    if kind and kind not in {row["kind"] for row in kind_counts}:
        kind = ""
    sort = request.GET.get("sort", "rating")
    if sort not in STAGE_SORTS:
        sort = "rating"
    total = sum(row["count"] for row in kind_counts if not kind or row["kind"] == kind)
    page_obj = paginate(
        request,
        stage_assets(user=user, stage=stage, kind=kind or None, sort=sort),
        STAGE_PAGE_SIZE,
        count=total,
    )
    position = stages.index(stage)
    return render(
        request,
        "content/playbook/stage.html",
        {
            "stage": stage,
            "stages": stages,
            "previous_stage": stages[position - 1] if position > 0 else None,
            "next_stage": stages[position + 1] if position + 1 < len(stages) else None,
            "kind_counts": kind_counts,
            "kind": kind,
            "sort": sort,
            "sorts": STAGE_SORTS,
            "total": total,
            "all_total": sum(row["count"] for row in kind_counts),
            "page_obj": page_obj,
            "assets": with_tiles(page_obj.object_list),
            "is_following_stage": is_following(user=user, stage=stage),
            "querystring_without_page": querystring_without_page(request),
            **stage_page_context(request, stage),
        },
    )


# Search -------------------------------------------------------------------------


@require_GET
@role_required(roles.can_use_library)
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search with filters; the URL carries the whole state."""
    user = request.user
    form = SearchForm(request.GET or None, user=user)
    if form.is_bound:
        form.is_valid()  # invalid filters are shown and ignored, valid ones apply
    filters = form.filters()
    results = search_results(user=user, **filters)
    page_obj = paginate(request, results, SEARCH_PAGE_SIZE)
    query = " ".join(filters["query"].split())
    if query and page_obj.paginator.count == 0 and page_obj.number == 1:
        search_log_record(
            user=user, query=query, stage=filters["stage"], results_count=0
        )
    request_params = {"title": query}
    if filters["stage"] is not None:
        request_params["stage"] = filters["stage"].slug
    if filters["kind"]:
        request_params["kind"] = filters["kind"]
    return render(
        request,
        "content/playbook/search.html",
        {
            "form": form,
            "query": query,
            "filters": filters,
            "has_filters": any(
                filters[k] for k in ("stage", "kind", "tag", "competitor", "audience")
            ),
            "page_obj": page_obj,
            "results": results,
            "assets": with_tiles(page_obj.object_list),
            "is_following_tag": bool(filters["tag"])
            and is_following(user=user, tag=filters["tag"]),
            "request_url": reverse("content:request_add")
            + "?"
            + urlencode(request_params),
            "querystring_without_page": querystring_without_page(request),
        },
    )


# Rating -------------------------------------------------------------------------


@require_POST
@role_required(roles.can_use_library)
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the user's rating: in place with htmx, or a plain POST and redirect."""
    asset = _published_asset_or_404(request.user, pk)
    form = RatingForm(request.POST)
    rating = None
    if form.is_valid():
        try:
            rating = rating_set(
                user=request.user,
                asset=asset,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            raise Http404 from error
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


# Usage --------------------------------------------------------------------------


@require_POST
@role_required(roles.can_use_library)
def usage_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record "used this asset in deal D at stage S", creating the deal if asked."""
    user = request.user
    asset = _published_asset_or_404(user, pk)
    stages = usage_stages(asset=asset)
    form = UsageForm(
        request.POST,
        user=user,
        deals=open_deals_for(user=user),
        stages=stages,
        new_deal_stage=new_deal_stage(stages),
    )
    usage = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            # A new deal and its first usage land together or not at all.
            with transaction.atomic():
                deal = data["deal"]
                if deal is None:
                    deal = deal_create(
                        user=user,
                        name=data["new_deal_name"],
                        account=data["new_deal_account"],
                        crm_id=data["new_deal_crm_id"],
                        amount=data["new_deal_amount"],
                        stage=data["stage"],
                    )
                usage = usage_record(
                    user=user,
                    deal=deal,
                    asset=asset,
                    stage=data["stage"],
                    note=data["note"],
                    idempotency_key=data["idempotency_key"] or None,
                )
        except ValidationError as error:
            _add_usage_error(form, error)
        except PermissionDenied as error:
            raise Http404 from error
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


def _add_usage_error(form: UsageForm, error: ValidationError) -> None:
    # Errors about the new deal's fields belong next to those fields.
    if hasattr(error, "error_dict"):
        renamed = {
            {
                "name": "new_deal_name",
                "account": "new_deal_account",
                "crm_id": "new_deal_crm_id",
                "amount": "new_deal_amount",
            }.get(field, field): errors
            for field, errors in error.error_dict.items()
        }
        error = ValidationError(renamed)
    add_service_error(form, error)


# What's new ---------------------------------------------------------------------


# A `since` before this is not a last visit: it would only list the whole library.
NEWS_SINCE_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def _parse_since(value: str | None) -> datetime | None:
    """`?since=` as an aware UTC datetime, or None when it is not a usable one.

    Parsed and converted in one place, so an offset at the edge of the calendar
    (0001-01-01T00:00:00+14:00 is in year 0 in UTC) is refused here rather than
    overflowing in the database layer. Outside 2000..now means "no since".
    """
    if not value or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not NEWS_SINCE_EARLIEST <= parsed <= timezone.now():
        return None
    return parsed


@require_GET
@role_required(roles.can_use_library)
def whats_new_feed(request: HttpRequest) -> HttpResponse:
    """Everything published or updated lately; what is new since the last visit
    is marked. Opening the feed counts as having seen it."""
    user = request.user
    since = _parse_since(request.GET.get("since")) or news_since(user=user)
    window_start = min(since, timezone.now() - timedelta(days=NEWS_WINDOW_DAYS))
    items = whats_new(user=user, since=window_start, new_since=since)
    page_obj = paginate(request, items, NEWS_PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    params["since"] = since.isoformat()
    response = render(
        request,
        "content/playbook/whats_new.html",
        {
            "since": since,
            "first_visit": user.last_seen_news_at is None,
            "window_days": NEWS_WINDOW_DAYS,
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "querystring_without_page": params.urlencode(),
        },
    )
    if "since" not in request.GET:
        news_mark_seen(user=user)
    return response
