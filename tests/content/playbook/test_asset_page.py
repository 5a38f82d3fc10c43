"""The playbook's part of the asset page: rating, usage, follow, related, replaced."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from content.models import Rating
from content.views.library import asset_page_context
from tests.factories import (
    AssetFactory,
    DealFactory,
    RatingFactory,
    SubscriptionFactory,
    UsageFactory,
)

pytestmark = pytest.mark.django_db


def asset_url(asset):
    return reverse("content:asset", kwargs={"pk": asset.pk})


def test_rep_sees_rating_usage_and_follow_on_a_published_asset(
    rep_client, library, open_deal
):
    html = rep_client.get(asset_url(library.internal)).content.decode()
    assert 'id="rating-panel"' in html
    assert reverse("content:rate", kwargs={"pk": library.internal.pk}) in html
    assert reverse("content:usage_add", kwargs={"pk": library.internal.pk}) in html
    assert "Globex renewal" in html  # the rep's open deal is offered
    assert "/follow/asset/" in html


def test_context_has_own_rating_usages_and_subscription(rep, library, open_deal):
    RatingFactory(asset=library.internal, user=rep, stars=2, comment="Too long")
    UsageFactory(deal=open_deal, asset=library.internal)
    SubscriptionFactory(user=rep, stage=None, asset=library.internal)
    context = asset_page_context(user=rep, asset=library.internal)
    assert context["my_rating"].stars == 2
    assert context["rating_form"].initial == {"stars": 2, "comment": "Too long"}
    assert [u.deal for u in context["my_usages"]] == [open_deal]
    assert context["is_following_asset"] is True
    assert [deal.pk for deal in context["open_deals"]] == [open_deal.pk]
    # The usage form offers the most recent open deal at its own current stage;
    # a new deal would start at the stage the asset is mapped to.
    assert context["usage_form"].initial["deal"] == open_deal.pk
    assert "stage" not in context["usage_form"].initial
    assert context["usage_form"].new_deal_stage == library.stage


def test_other_reps_deals_are_never_offered(rep, other_rep, library, other_deal):
    context = asset_page_context(user=rep, asset=library.internal)
    assert context["open_deals"] == []
    choices = [str(v) for v, _ in context["usage_form"].fields["deal"].choices]
    assert str(other_deal.pk) not in choices


def test_related_assets_are_published_same_stage_and_visible(partner, rep, library):
    extra = AssetFactory(title="Partner ROI sheet", stages=[library.stage])
    extra.audience = "partners"
    extra.save()
    rep_related = asset_page_context(user=rep, asset=library.for_partners)
    assert {a.title for a in rep_related["related_assets"]} == {
        "Pricing objection handler",
        "Partner ROI sheet",
    }
    partner_related = asset_page_context(user=partner, asset=library.for_partners)
    assert {a.title for a in partner_related["related_assets"]} == {"Partner ROI sheet"}


def test_retired_asset_shows_its_replacement_and_no_rating_form(marketer, library, rep):
    library.retired.replaced_by = library.internal
    library.retired.save()
    context = asset_page_context(user=marketer, asset=library.retired)
    assert context["replacement"] == library.internal
    assert "rating_form" not in context and "usage_form" not in context


def test_retired_replacement_hidden_when_user_cannot_see_it(partner, library):
    library.retired.replaced_by = library.internal  # internal only
    library.retired.save()
    context = asset_page_context(user=partner, asset=library.retired)
    assert context["replacement"] is None


def test_partner_records_usage_from_a_partner_asset_page(
    partner, partner_client, library
):
    DealFactory(owner=partner, stage=library.stage, name="Reseller deal")
    html = partner_client.get(asset_url(library.for_partners)).content.decode()
    assert "Reseller deal" in html


def _render(user, asset):
    request = RequestFactory().get("/")
    request.user = user
    context = {"asset": asset, "request": request, "user": user}
    context.update(asset_page_context(user=user, asset=asset))
    return render_to_string("content/_asset_playbook.html", context, request=request)


def test_asset_page_extras_run_a_constant_number_of_queries(
    rep, library, bulk_assets, count_queries, django_assert_max_num_queries
):
    for i in range(3):
        DealFactory(owner=rep, stage=library.stage, name=f"Deal {i}")
    bulk_assets(5, library.stage)
    _render(rep, library.internal)  # warm the cached library mean
    few = count_queries(lambda: _render(rep, library.internal))
    bulk_assets(35, library.stage)
    for i in range(10):
        deal = DealFactory(owner=rep, stage=library.stage, name=f"More {i}")
        UsageFactory(deal=deal, asset=library.internal)
    RatingFactory(asset=library.internal, user=rep)
    _render(rep, library.internal)  # the stage menu, cached again after the change
    with django_assert_max_num_queries(few):
        html = _render(rep, library.internal)
    assert "More 9" in html
    assert few <= 7


def test_asset_page_runs_a_constant_number_of_queries(
    rep_client, rep, library, bulk_assets, count_queries
):
    bulk_assets(5, library.stage)
    rep_client.get(asset_url(library.internal))
    few = count_queries(lambda: rep_client.get(asset_url(library.internal)))
    bulk_assets(35, library.stage)
    for i in range(10):
        deal = DealFactory(owner=rep, stage=library.stage, name=f"More {i}")
        UsageFactory(deal=deal, asset=library.internal)
    rep_client.get(asset_url(library.internal))  # caches refilled after the change
    many = count_queries(lambda: rep_client.get(asset_url(library.internal)))
    assert many == few


def test_rating_is_not_offered_for_a_draft_even_to_marketers(marketer, library):
    context = asset_page_context(user=marketer, asset=library.draft)
    assert "rating_form" not in context
    assert not Rating.objects.exists()
