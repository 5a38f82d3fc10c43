"""The playbook's demo data: lived-in, consistent, idempotent."""

from django.db.models import Count, Sum

from content.models import (
    Asset,
    ContentRequest,
    DailyAssetStat,
    Deal,
    Notification,
    Rating,
    SearchLog,
    Usage,
)


def test_demo_has_deals_usage_ratings_events_and_requests(demo_site):
    deals = Deal.objects.all()
    assert deals.count() >= 30
    assert set(deals.values_list("owner__username", flat=True)) == {
        "rep",
        "rep2",
        "rep3",
        "rep4",
        "partner",
    }
    outcomes = dict(deals.values_list("outcome").annotate(n=Count("pk")))
    assert outcomes.get("won", 0) >= 5 and outcomes.get("lost", 0) >= 3
    assert outcomes.get("open", 0) >= 5
    assert Usage.objects.count() >= 40
    # Partners only ever used partner assets.
    assert not Usage.objects.filter(
        user__username="partner", asset__audience="internal"
    ).exists()
    assert Rating.objects.exclude(comment="").count() >= 20
    assert Rating.objects.values("user").distinct().count() >= 4
    assert ContentRequest.objects.filter(status="open").count() >= 4
    assert SearchLog.objects.exists()
    assert Notification.objects.filter(user__username="rep").exists()
    # Counters and daily figures agree with the raw rows.
    for asset in Asset.objects.filter(usage_count__gt=0)[:10]:
        assert asset.usage_count == Usage.objects.filter(asset=asset).count()
        assert asset.deal_count == (
            Usage.objects.filter(asset=asset).values("deal").distinct().count()
        )
        ratings = Rating.objects.filter(asset=asset).aggregate(
            n=Count("pk"), total=Sum("stars")
        )
        assert asset.rating_count == ratings["n"]
        assert asset.rating_total == (ratings["total"] or 0)
    stats = DailyAssetStat.objects.aggregate(
        usages=Sum("usages"),
        views=Sum("views"),
        prospect_views=Sum("prospect_views"),
        downloads=Sum("downloads"),
    )
    assert stats["usages"] == Usage.objects.count()
    # Asset.view_count counts prospects' views too (see content.services.events).
    assert (
        stats["views"] + stats["prospect_views"]
        == (Asset.objects.aggregate(v=Sum("view_count"))["v"])
    )
    assert stats["downloads"] == Asset.objects.aggregate(d=Sum("download_count"))["d"]
    assert DailyAssetStat.objects.values("day").distinct().count() > 60
