"""The reps' playbook (their reading surface): stage pages, search, what's new."""

from datetime import UTC, datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts import roles
from accounts.roles import role_required
from content.caching.tiles import with_tiles
from content.forms.playbook import SearchForm
from content.selectors.notifications import is_following
from content.selectors.playbook import (
    news_since,
    stage_page,
    whats_new,
)
from content.selectors.search_page import search_page
from content.services.feedback import search_log_record
from content.services.notifications import news_mark_seen
from content.views.common import paginate, querystring_without_page
from content.views.plays import stage_page_context

SEARCH_PAGE_SIZE = 20
NEWS_PAGE_SIZE = 20
NEWS_WINDOW_DAYS = 90


# Stage pages --------------------------------------------------------------------


@require_GET
@role_required(roles.can_use_library)
def stage_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A stage's goal and its published assets, grouped by kind, paginated."""
    context = stage_page(
        user=request.user,
        slug=slug,
        kind=request.GET.get("kind", ""),
        sort=request.GET.get("sort", "rating"),
        page=request.GET.get("page"),
    )
    if context is None:
        raise Http404("No such stage.")
    context["assets"] = with_tiles(context["page_obj"].object_list)
    context["querystring_without_page"] = querystring_without_page(request)
    context.update(stage_page_context(request, context["stage"]))
    return render(request, "content/playbook/stage.html", context)


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
    found = search_page(
        user=user,
        filters=filters,
        page=request.GET.get("page"),
        per_page=SEARCH_PAGE_SIZE,
    )
    query, page_obj = found.query, found.page_obj
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
            "results": found.results,
            "assets": found.assets,
            "suggestion": found.suggestion,
            "is_following_tag": bool(filters["tag"])
            and is_following(user=user, tag=filters["tag"]),
            "request_url": reverse("content:request_add")
            + "?"
            + urlencode(request_params),
            "querystring_without_page": querystring_without_page(request),
        },
    )


# Rating -------------------------------------------------------------------------


# Usage --------------------------------------------------------------------------


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
