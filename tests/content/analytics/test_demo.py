"""After `seed_demo` every analytics figure and list has something to show."""

from django.urls import reverse

from accounts.models import User
from content.models import AssetLastActivity, DailyAssetStat
from content.selectors import analytics as a


def test_the_demo_makes_every_figure_and_list_meaningful(demo_site, client):
    admin = User.objects.get(username="admin")
    year = a.Period.last(365)
    board = a.dashboard(user=admin, filters=a.AssetFilters(), period=year)
    assert board.rows[0].revenue > 0  # used in won deals
    assert any(row.lift is not None for row in board.rows)  # enough closed deals
    assert any(row.unique_viewers for row in board.rows)
    assert board.adoption.reps_using > 0
    totals = board.totals
    assert totals.unused and totals.stale and totals.low_rated
    assert list(a.search_gaps(period=a.Period.last(90)))
    assert a.open_requests().exists()
    assert any(row.gaps for row in a.coverage(user=admin))
    # The rollups agree with the raw rows they come from.
    assert AssetLastActivity.objects.count() == (
        DailyAssetStat.objects.values("asset").distinct().count()
    )
    client.force_login(admin)
    for name in ("content:dashboard", "content:unused", "content:low_rated"):
        assert client.get(reverse(name)).status_code == 200
    report = client.get(reverse("content:asset_report", args=[board.rows[0].asset.pk]))
    assert report.status_code == 200
    assert sum(report.context["weekly_chart"]["views"]) > 0
