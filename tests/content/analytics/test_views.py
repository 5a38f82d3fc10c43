"""The analytics pages through the test client: roles, content, actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import ActivityVerb, AssetActivity, AssetStatus, SearchLog
from content.services.events import daily_stats_add
from tests.factories import AssetFactory, ContentRequestFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("content:dashboard", {}),
    ("content:unused", {}),
    ("content:stale", {}),
    ("content:low_rated", {}),
    ("content:coverage", {}),
    ("content:analytics_requests", {}),
    ("content:search_gaps", {}),
    ("content:export_dashboard", {}),
    ("content:export_ratings", {}),
    ("content:export_usage", {}),
]


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_reps_and_partners_get_403_on_every_page_and_export(
    world, rep_client, partner_client, name, kwargs
):
    url = reverse(name, kwargs=kwargs)
    assert rep_client.get(url).status_code == 403
    assert partner_client.get(url).status_code == 403


def test_reps_and_partners_get_403_on_reports_and_retire(
    world, rep_client, partner_client
):
    report = reverse("content:asset_report", args=[world.deck.pk])
    retire = reverse("content:unused_retire", args=[world.old.pk])
    for client in (rep_client, partner_client):
        assert client.get(report).status_code == 403
        assert client.post(retire).status_code == 403
    world.old.refresh_from_db()
    assert world.old.status == AssetStatus.PUBLISHED


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_marketers_and_admins_open_every_page(
    world, marketer_client, admin_client_, name, kwargs
):
    url = reverse(name, kwargs=kwargs)
    assert marketer_client.get(url).status_code == 200
    assert admin_client_.get(url).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("content:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_navigation_links_to_analytics_for_marketers_only(
    world, marketer_client, rep_client
):
    dashboard = reverse("content:dashboard")
    assert dashboard in marketer_client.get(reverse("home")).content.decode()
    assert dashboard not in rep_client.get(reverse("home")).content.decode()


# --- Dashboard ----------------------------------------------------------------


def test_dashboard_shows_totals_rows_and_definitions(rated, admin_client_):
    response = admin_client_.get(
        reverse("content:dashboard"), {"days": 90, "sort": "revenue"}
    )
    html = response.content.decode()
    board = response.context["board"]
    assert board.totals.published == 3
    assert [row.asset.title for row in board.rows][0] == "Platform deck"
    assert "3,000" in html  # the deck's influenced revenue
    assert "not enough data" in html  # n=3 < 5
    assert "How these figures are defined" in html
    assert "Influenced revenue" in html and "Adoption" in html
    assert reverse("content:asset_report", args=[rated.deck.pk]) in html
    assert 'type="application/json"' in html  # chart data, no inline script
    assert "<script>" not in html


def test_dashboard_shows_win_rate_and_lift_from_the_minimum_on(
    world, admin_client_, settings
):
    settings.WINGMAN_MIN_CLOSED_DEALS = 3
    html = admin_client_.get(reverse("content:dashboard")).content.decode()
    assert "67%" in html  # the deck: 2 won of 3
    assert "(n=3)" in html
    assert "+24 pts" in html  # 66.7% - 42.9%


def test_dashboard_columns_sort_and_keep_the_filters(world, admin_client_):
    response = admin_client_.get(
        reverse("content:dashboard"), {"sort": "title", "stage": "demo", "days": 30}
    )
    assert response.context["board"].sort == "title"
    titles = [row.asset.title for row in response.context["board"].rows]
    assert titles == ["Acme battle card", "Old one-pager"]
    html = response.content.decode()
    assert "stage=demo" in html and "sort=views" in html


def test_dashboard_date_range(world, admin_client_):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=16)
    response = admin_client_.get(
        reverse("content:dashboard"),
        {"days": "custom", "start": start.isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start, period.end) == (start, today)


@pytest.mark.parametrize(
    "params,field",
    [
        ({"days": "custom", "start": "2024-05-10", "end": "2024-05-01"}, "end"),
        ({"days": "custom", "start": "not a date", "end": "2024-05-01"}, "start"),
        ({"days": "custom"}, "start"),
        ({"days": "custom", "start": "2000-01-01", "end": "2024-01-01"}, "start"),
        ({"days": "7"}, "days"),
        ({"days": "custom", "start": "2024-01-01", "end": "2999-01-01"}, "end"),
    ],
)
def test_bad_periods_show_an_error_and_fall_back_to_90_days(
    world, admin_client_, params, field
):
    response = admin_client_.get(reverse("content:dashboard"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["period"].days == 90
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "no-such-stage"},
        {"kind": "spaceship"},
        {"owner": "abc"},
        {"tag": "nope"},
        {"sort": "'; DROP TABLE"},
        {"page": "999"},
        {"page": "x"},
        {"status": "deleted"},
    ],
)
def test_bad_filters_never_break_the_dashboard(world, admin_client_, params):
    response = admin_client_.get(reverse("content:dashboard"), params)
    assert response.status_code == 200


def test_empty_library_shows_a_helpful_empty_state(db, admin_client_):
    html = admin_client_.get(reverse("content:dashboard")).content.decode()
    assert "No assets match these filters" in html


# --- Asset report -------------------------------------------------------------


def test_asset_report_shows_figures_comments_deals_versions_and_charts(
    rated, admin_client_
):
    daily_stats_add(asset_id=rated.deck.pk, counts={"views": 3, "unique_viewers": 2})
    response = admin_client_.get(
        reverse("content:asset_report", args=[rated.deck.pk]), {"days": 90}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Won us Acme" in html and rated.riley.display_name in html
    for deal in ("d1", "d2", "d3", "d5", "d6"):
        assert rated.deals[deal].name in html
    assert "Won" in html and "Lost" in html and "Open" in html
    assert "v1" in html
    context = response.context
    assert sum(context["weekly_chart"]["views"]) == 3
    assert sum(context["weekly_chart"]["usages"]) == 5
    assert context["stars_chart"]["counts"] == [0, 0, 0, 0, 2]
    assert 'id="weekly-chart" type="application/json"' in html
    assert "chart-4.6.1.umd.min.js" in html


def test_asset_report_of_a_missing_asset_is_404(db, admin_client_):
    url = reverse("content:asset_report", args=[999999])
    assert admin_client_.get(url).status_code == 404


def test_asset_report_escapes_comments(rated, admin_client_):
    html = admin_client_.get(
        reverse("content:asset_report", args=[rated.card.pk])
    ).content.decode()
    assert "=HYPERLINK(1)" in html  # shown as text, it is only a spreadsheet risk


# --- Unused and one-click retire -----------------------------------------------


def test_unused_list_offers_retire_to_the_owner_only(
    world, marketer_client, client_for
):
    url = reverse("content:unused")
    retire = reverse("content:unused_retire", args=[world.old.pk])
    html = marketer_client.get(url).content.decode()
    assert "Old one-pager" in html and retire in html and "data-confirm" in html
    other = client_for(world.other_marketer).get(url).content.decode()
    assert "Old one-pager" in other and retire not in other


def test_owner_retires_from_the_unused_list_through_the_library_service(
    world, marketer_client
):
    retire = reverse("content:unused_retire", args=[world.old.pk])
    response = marketer_client.post(retire, {"page": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("content:unused") + "?page=1"
    world.old.refresh_from_db()
    assert world.old.status == AssetStatus.RETIRED
    assert "90 days" in world.old.retired_reason
    assert AssetActivity.objects.filter(
        asset=world.old, verb=ActivityVerb.RETIRED, actor=world.marketer
    ).exists()
    assert "is retired" in response.content.decode()
    assert world.old not in response.context["page_obj"].object_list


def test_another_marketer_cannot_retire_someone_elses_asset(world, client_for):
    retire = reverse("content:unused_retire", args=[world.old.pk])
    assert client_for(world.other_marketer).post(retire).status_code == 403
    world.old.refresh_from_db()
    assert world.old.status == AssetStatus.PUBLISHED


def test_admin_may_retire_any_unused_asset(world, admin_client_):
    retire = reverse("content:unused_retire", args=[world.old.pk])
    assert admin_client_.post(retire).status_code == 302
    world.old.refresh_from_db()
    assert world.old.status == AssetStatus.RETIRED


def test_retiring_twice_says_so_and_changes_nothing(world, marketer_client):
    retire = reverse("content:unused_retire", args=[world.retired.pk])
    response = marketer_client.post(retire, follow=True)
    assert "not published any more" in response.content.decode()


def test_retire_needs_a_post(world, marketer_client):
    retire = reverse("content:unused_retire", args=[world.old.pk])
    assert marketer_client.get(retire).status_code == 405


# --- The other lists ------------------------------------------------------------


def test_review_due_lists_stale_and_expiring(db, marketer, marketer_client):
    today = timezone.localdate()
    AssetFactory(title="Late", review_by=today - datetime.timedelta(days=3))
    AssetFactory(title="Soon", review_by=today + datetime.timedelta(days=3))
    AssetFactory(title="Fine", review_by=today + datetime.timedelta(days=60))
    response = marketer_client.get(reverse("content:stale"))
    assert [a.title for a in response.context["stale"]] == ["Late"]
    assert [a.title for a in response.context["expiring"]] == ["Soon"]
    assert "Fine" not in response.content.decode()


def test_low_rated_page_shows_comments(rated, marketer_client):
    html = marketer_client.get(reverse("content:low_rated")).content.decode()
    assert "Acme battle card" in html and "Out of date" in html
    assert "Platform deck" not in html


def test_coverage_page_links_gaps_to_a_new_asset(world, marketer_client):
    html = marketer_client.get(reverse("content:coverage")).content.decode()
    add = reverse("content:asset_add")
    assert f"{add}?stage=demo&amp;kind=deck" in html
    assert 'class="num gap"' in html


def test_requests_page_lists_open_requests_by_votes(world, marketer_client):
    ContentRequestFactory(title="ROI calculator", vote_count=4, stage=world.demo)
    ContentRequestFactory(title="Security FAQ", vote_count=9)
    response = marketer_client.get(reverse("content:analytics_requests"))
    assert [r.title for r in response.context["page_obj"]] == [
        "Security FAQ",
        "ROI calculator",
    ]
    assert "title=ROI%20calculator&amp;stage=demo" in response.content.decode()


def test_search_gaps_page_links_to_start_the_missing_asset(world, marketer_client):
    SearchLog.objects.create(
        query="SOC 2 report",
        normalized_query="soc 2 report",
        user=world.riley,
        stage=world.discovery,
        results_count=0,
    )
    response = marketer_client.get(reverse("content:search_gaps"))
    html = response.content.decode()
    assert "SOC 2 report" in html
    add = reverse("content:asset_add")
    assert f"{add}?title=SOC+2+report&amp;stage=discovery" in html
