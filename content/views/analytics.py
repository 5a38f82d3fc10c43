"""Review and analytics: the dashboard, asset reports, action lists and exports.

Marketers and admins only (`roles.can_view_analytics`); reps and partners get a
403 on every page and export here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from accounts.roles import role_required
from content import analytics_csv
from content.forms.analytics import (
    DashboardFilterForm,
    PeriodForm,
    RatingReplyForm,
    period_querystring,
)
from content.models import Asset, AssetKind, AssetStatus, Rating
from content.selectors import analytics as selectors
from content.selectors.analytics import evidence
from content.selectors.engagement import asset_page_attention
from content.services.evidence import evidence_rebuild_soon
from content.services.feedback_replies import may_answer, rating_reply_set
from content.services.library import asset_retire

analytics_required = role_required(roles.can_view_analytics)

# Columns of the dashboard table: (sort key or None, label, numeric?).
COLUMNS = [
    ("title", "Asset", False),
    (None, "Verdict", False),
    ("evidence", "Effect on winning", True),
    ("views", "Views", True),
    ("downloads", "Downloads", True),
    ("viewers", "Unique viewers", True),
    ("rating", "Rating", True),
    ("uses", "Uses", True),
    ("deals", "Deals", True),
    ("win_rate", "Win rate (n)", True),
    ("lift", "Lift", True),
    ("revenue", "Influenced revenue", True),
]
UNUSED_RETIRE_REASON = "No view, download or use in {days} days (from the unused list)."


def _querystring(request: HttpRequest, **changes: Any) -> str:
    """The current query string with some parameters replaced or removed."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


def _page(request: HttpRequest, items, *, param: str = "page", per_page: int = 25):
    return Paginator(items, per_page).get_page(request.GET.get(param))


# --- Dashboard ----------------------------------------------------------------


@require_GET
@analytics_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET)
    period = form.period()
    sort = form.chosen_sort()
    board = selectors.dashboard(
        user=request.user,
        filters=form.filters(),
        period=period,
        sort=sort,
        page_number=request.GET.get("page"),
    )
    if board.precomputed is not None and not board.precomputed.current:
        # The page says how old the figures are; the queue brings them up to date.
        evidence_rebuild_soon(version=board.overall.version)
    columns = [
        {
            "key": key,
            "label": label,
            "numeric": numeric,
            "active": key == board.sort,
            "url": "?" + _querystring(request, sort=key, page=None) if key else "",
        }
        for key, label, numeric in COLUMNS
    ]
    return render(
        request,
        "content/analytics/dashboard.html",
        {
            "form": form,
            "board": board,
            "period": period,
            "columns": columns,
            "sort_label": selectors.SORTS[board.sort],
            "definitions": selectors.definitions(),
            "min_closed_deals": selectors.min_closed_deals(),
            "chart": _top_chart(board),
            "querystring_without_page": _querystring(request, page=None),
            "export_query": _querystring(request, page=None),
            "period_query": period_querystring(period),
        },
    )


# What the bar chart above the table plots for each sort: the figure, or None
# for rows that have none to show.
_CHART_FIGURE = {
    "evidence": lambda row: (
        round(row.effect.points, 1) if row.effect.difference is not None else None
    ),
    "views": lambda row: row.all_views,
    "downloads": lambda row: row.downloads,
    "viewers": lambda row: row.unique_viewers,
    "uses": lambda row: row.usages,
    "deals": lambda row: row.deals,
    "revenue": lambda row: float(row.revenue),
    "rating": lambda row: round(row.bayesian, 2) if row.bayesian else None,
    "ratings": lambda row: row.rating_count,
    "win_rate": lambda row: (
        round(row.deal_rate.rate * 100, 1) if row.deal_rate.enough else None
    ),
    "lift": lambda row: round(row.lift, 1) if row.lift is not None else None,
}
CHART_BARS = 10


def _top_chart(board: selectors.Dashboard) -> dict[str, Any] | None:
    figure = _CHART_FIGURE.get(board.sort)
    if figure is None:
        return None
    points = [(row.asset.title, figure(row)) for row in board.rows[:CHART_BARS]]
    points = [(title, value) for title, value in points if value]
    if not points:
        return None
    label = selectors.SORTS[board.sort]
    if board.sort in ("win_rate", "lift", "evidence"):
        label += " (percent)" if board.sort == "win_rate" else " (points)"
    return {
        "label": label,
        "labels": [title for title, _ in points],
        "values": [value for _, value in points],
    }


@require_GET
@analytics_required
def export_dashboard(request: HttpRequest) -> StreamingHttpResponse:
    form = DashboardFilterForm(request.GET)
    period = form.period()
    rows = selectors.dashboard_export_rows(
        user=request.user,
        filters=form.filters(),
        period=period,
        sort=form.chosen_sort(),
    )
    header = [
        "asset id",
        "title",
        "kind",
        "status",
        "owner",
        "period start",
        "period end",
        "views",
        "of which by prospects",
        "downloads",
        "unique viewers (per day)",
        "uses",
        "deals",
        "closed deals (n)",
        "won deals",
        "win rate %",
        "lift (points)",
        "influenced revenue",
        "verdict",
        "effect (points)",
        "effect low (points)",
        "effect high (points)",
        "interval level %",
        "deals that used it (n)",
        "of which won",
        "comparison deals (n)",
        "of which won (comparison)",
        "average rating",
        "ratings",
        "bayesian rating",
        "report",
    ]
    base = request.build_absolute_uri("/")[:-1]

    def lines():
        for row in rows:
            asset = row.asset
            rate = row.deal_rate
            yield [
                asset.pk,
                asset.title,
                asset.get_kind_display(),
                asset.get_status_display(),
                asset.owner.display_name,
                period.start,
                period.end,
                row.all_views,
                row.prospect_views,
                row.downloads,
                row.unique_viewers,
                row.usages,
                row.deals,
                rate.closed,
                rate.won,
                round(rate.rate * 100, 1) if rate.enough else None,
                round(row.lift, 1) if row.lift is not None else None,
                row.revenue,
                *_effect_cells(row.effect),
                round(row.rating, 2) if row.rating is not None else None,
                row.rating_count,
                round(row.bayesian, 2) if row.bayesian is not None else None,
                base + reverse("content:asset_report", kwargs={"pk": asset.pk}),
            ]

    return analytics_csv.csv_response(
        filename=analytics_csv.dated_filename("dashboard"), header=header, rows=lines()
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _effect_cells(effect) -> list:
    """The evidence's CSV cells: no figure where there are too few deals."""
    return [
        str(effect.verdict),
        _rounded(effect.points),
        _rounded(effect.low_points),
        _rounded(effect.high_points),
        round(effect.level * 100),
        effect.used.closed,
        effect.used.won,
        effect.others.closed,
        effect.others.won,
    ]


# --- Asset report -------------------------------------------------------------


@require_GET
@analytics_required
def asset_report(request: HttpRequest, pk: int) -> HttpResponse:
    asset = selectors.asset_for_report(user=request.user, pk=pk)
    form = PeriodForm(request.GET)
    period = form.period()
    report = selectors.asset_report(user=request.user, asset=asset, period=period)
    comments = _page(
        request, selectors.asset_rating_comments(asset=asset), param="comments_page"
    )
    for rating in comments.object_list:
        # The asset is the report's: no query per comment.
        rating.asset = asset
        rating.may_answer = may_answer(user=request.user, rating=rating)
    unanswered = selectors.asset_unanswered_comments(asset=asset)
    unanswered_list = list(unanswered[: selectors.report.UNANSWERED_SHOWN + 1])
    deals = _page(request, selectors.asset_deals(asset=asset), param="deals_page")
    stage_effects = evidence.asset_stage_effects(
        asset=asset, scope=evidence.EvidenceScope(period=period)
    )
    deal_list = selectors.deals_for_rows(asset=asset, rows=deals.object_list)
    attention_visits, attention = asset_page_attention(asset=asset)
    weekly = {
        "labels": [f"{week.start:%d %b}" for week in report.weeks],
        "views": [week.views for week in report.weeks],
        "downloads": [week.downloads for week in report.weeks],
        "usages": [week.usages for week in report.weeks],
    }
    stars = {
        "labels": ["1★", "2★", "3★", "4★", "5★"],
        "counts": report.stars,
    }
    return render(
        request,
        "content/analytics/asset_report.html",
        {
            "asset": asset,
            "form": form,
            "period": period,
            "report": report,
            "row": report.figures,
            "comments": comments,
            "deals": deals,
            "deal_list": deal_list,
            "stage_effects": stage_effects,
            "unanswered": unanswered_list[: selectors.report.UNANSWERED_SHOWN],
            "more_unanswered": len(unanswered_list) > selectors.report.UNANSWERED_SHOWN,
            "reply_form": RatingReplyForm(),
            "weekly_chart": weekly,
            "stars_chart": stars,
            "definitions": selectors.definitions(),
            "min_closed_deals": selectors.min_closed_deals(),
            "period_query": period_querystring(period),
            "can_retire": _may_retire(request.user, asset),
            "attention": attention,
            "attention_visits": attention_visits,
            "attention_longest": max((p.median_seconds for p in attention), default=0),
        },
    )


@require_POST
@analytics_required
def rating_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a rating's comment from the asset report; the rep is notified."""
    rating = get_object_or_404(
        Rating.objects.select_related("asset", "user").filter(
            asset__in=Asset.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    back = reverse("content:asset_report", kwargs={"pk": rating.asset_id})
    back += f"#comment-{rating.pk}"
    if not may_answer(user=request.user, rating=rating):
        raise PermissionDenied("Only the asset's owner or an admin answers comments.")
    form = RatingReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        return redirect(back)
    try:
        rating_reply_set(
            actor=request.user, rating=rating, text=form.cleaned_data["text"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Answer saved; {rating.user.display_name} has been told."
        )
    return redirect(back)


# --- Action lists -------------------------------------------------------------


def _may_retire(user, asset: Asset) -> bool:
    """The one-click retire is for the asset's owner (and admins, who run the
    library); other marketers ask the owner."""
    if not roles.can_manage_content(user) or asset.status != AssetStatus.PUBLISHED:
        return False
    return asset.owner_id == user.pk or roles.can_manage_users(user)


@require_GET
@analytics_required
def unused(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.unused_assets(user=request.user))
    page.object_list = selectors.with_last_active(page.object_list)
    for asset in page.object_list:
        asset.may_retire = _may_retire(request.user, asset)
    return render(
        request,
        "content/analytics/unused.html",
        {
            "page_obj": page,
            "unused_days": selectors.UNUSED_DAYS,
            "retire_reason": UNUSED_RETIRE_REASON.format(days=selectors.UNUSED_DAYS),
            "querystring_without_page": _querystring(request, page=None),
        },
    )


@require_POST
@analytics_required
def unused_retire(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(Asset.objects.visible_to(request.user), pk=pk)
    if not _may_retire(request.user, asset):
        if asset.status != AssetStatus.PUBLISHED:
            messages.info(request, f"“{asset.title}” is not published any more.")
            return redirect("content:unused")
        raise PermissionDenied("Only the owner or an admin retires from this list.")
    reason = (request.POST.get("reason") or "").strip()[:2000]
    reason = reason or UNUSED_RETIRE_REASON.format(days=selectors.UNUSED_DAYS)
    try:
        asset_retire(actor=request.user, asset=asset, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"“{asset.title}” is retired. Its history stays; restore it from its "
            "page if it is needed again.",
        )
    return redirect(reverse("content:unused") + _next_query(request))


def _next_query(request: HttpRequest) -> str:
    page = request.POST.get("page")
    return "?" + urlencode({"page": page}) if page and page.isdigit() else ""


@require_GET
@analytics_required
def review_due(request: HttpRequest) -> HttpResponse:
    stale = _page(request, selectors.stale_assets(user=request.user), param="page")
    expiring = _page(
        request,
        selectors.expiring_assets(user=request.user),
        param="expiring_page",
    )
    return render(
        request,
        "content/analytics/review_due.html",
        {
            "stale": stale,
            "expiring": expiring,
            "expiring_days": selectors.EXPIRING_DAYS,
            "today": timezone.localdate(),
            "querystring_without_page": _querystring(request, page=None),
        },
    )


@require_GET
@analytics_required
def low_rated(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.low_rated_assets(user=request.user))
    return render(
        request,
        "content/analytics/low_rated.html",
        {
            "page_obj": page,
            "below": selectors.LOW_RATING_BELOW,
            "min_count": selectors.LOW_RATING_MIN_COUNT,
            "querystring_without_page": _querystring(request, page=None),
        },
    )


@require_GET
@analytics_required
def coverage(request: HttpRequest) -> HttpResponse:
    rows = selectors.coverage(user=request.user)
    period = selectors.Period.last(selectors.DEFAULT_PERIOD_DAYS)
    marks = evidence.stages_without_help(
        scope=evidence.EvidenceScope(period=period),
        assets=selectors.analytics_assets(user=request.user),
    )
    for row in rows:
        row.evidence = str(marks.get(row.stage.pk, ""))
    return render(
        request,
        "content/analytics/coverage.html",
        {
            "rows": rows,
            "kinds": AssetKind.choices,
            "gaps": sum(row.gaps for row in rows),
            "period": period,
            "flagged": sum(1 for row in rows if row.evidence),
        },
    )


@require_GET
@analytics_required
def open_requests(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.open_requests())
    return render(
        request,
        "content/analytics/requests.html",
        {
            "page_obj": page,
            "querystring_without_page": _querystring(request, page=None),
        },
    )


@require_GET
@analytics_required
def search_gaps(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    period = form.period()
    page = _page(request, selectors.search_gaps(period=period))
    stages = selectors.stages_by_id()
    for gap in page.object_list:
        gap["stage"] = stages.get(gap["stage_id"])
        params = {"title": gap["query"]}
        if gap["stage"] is not None:
            params["stage"] = gap["stage"].slug
        gap["start_url"] = reverse("content:asset_add") + "?" + urlencode(params)
    return render(
        request,
        "content/analytics/search_gaps.html",
        {
            "form": form,
            "period": period,
            "page_obj": page,
            "querystring_without_page": _querystring(request, page=None),
        },
    )


# --- Exports ------------------------------------------------------------------


def _export_period(request: HttpRequest) -> selectors.Period | None:
    """Exports cover all time unless a period is asked for."""
    if not any(request.GET.get(key) for key in ("days", "start", "end")):
        return None
    return PeriodForm(request.GET).period()


@require_GET
@analytics_required
def export_ratings(request: HttpRequest) -> StreamingHttpResponse:
    rows = selectors.ratings_for_export(
        user=request.user, period=_export_period(request)
    )
    header = [
        "rating id",
        "asset id",
        "asset",
        "kind",
        "rated by",
        "role",
        "stars",
        "comment",
        "rated at",
        "changed at",
    ]
    return analytics_csv.csv_response(
        filename=analytics_csv.dated_filename("ratings"),
        header=header,
        rows=_with_kind_labels(rows, kind_column=3),
    )


@require_GET
@analytics_required
def export_usage(request: HttpRequest) -> StreamingHttpResponse:
    rows = selectors.usages_for_export(
        user=request.user, period=_export_period(request)
    )
    header = [
        "usage id",
        "used at",
        "used by",
        "asset id",
        "asset",
        "kind",
        "version",
        "used at stage",
        "deal id",
        "deal",
        "account",
        "crm id",
        "deal stage",
        "outcome",
        "amount",
        "closed at",
        "note",
    ]
    return analytics_csv.csv_response(
        filename=analytics_csv.dated_filename("usage"),
        header=header,
        rows=_with_kind_labels(rows, kind_column=5),
    )


def _with_kind_labels(rows, *, kind_column: int):
    """Stream export rows in chunks, with the asset kind as people read it."""
    kinds = dict(AssetKind.choices)
    for row in rows.iterator(chunk_size=selectors.EXPORT_CHUNK):
        row = list(row)
        row[kind_column] = kinds.get(row[kind_column], row[kind_column])
        yield row
