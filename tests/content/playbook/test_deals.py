"""Deals and usage: own deals only, outcomes, amounts, exact counters."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from content.models import DailyAssetStat, Deal, DealOutcome, Usage
from content.services.deals import (
    deal_create,
    deal_set_outcome,
    deal_update,
    usage_record,
)
from tests.content.playbook.conftest import with_version
from tests.factories import DealFactory, UsageFactory, VersionFactory

pytestmark = pytest.mark.django_db


def deal_url(deal, name="content:deal"):
    return reverse(name, kwargs={"pk": deal.pk})


def usage_url(asset):
    return reverse("content:usage_add", kwargs={"pk": asset.pk})


# Deals --------------------------------------------------------------------------


def test_rep_creates_a_deal_with_amount_and_crm_id(rep, library):
    deal = deal_create(
        user=rep,
        name=" Globex ",
        account="Globex",
        crm_id="006A",
        amount="25000.50",
        stage=library.stage,
    )
    assert (deal.name, deal.owner, deal.amount) == ("Globex", rep, Decimal("25000.50"))
    assert deal.outcome == DealOutcome.OPEN


@pytest.mark.parametrize(
    "amount,message",
    [
        ("-1", "An amount cannot be negative."),
        (Decimal("-0.01"), "An amount cannot be negative."),
        ("abc", "Enter an amount as a number."),
        ("NaN", "Enter an amount as a number."),
        ("Infinity", "Enter an amount as a number."),
        ("1.234", "Use at most two decimal places."),
        ("1e20", "That amount is too large."),
        (True, "Enter an amount as a number."),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(rep, library, amount, message):
    with pytest.raises(ValidationError) as error:
        deal_create(user=rep, name="X", account="Y", amount=amount, stage=library.stage)
    assert error.value.message_dict == {"amount": [message]}
    assert not Deal.objects.exists()


def test_crm_id_is_unique_per_owner_only(rep, other_rep, library):
    deal_create(user=rep, name="A", account="A", crm_id="006", stage=library.stage)
    deal_create(
        user=other_rep, name="B", account="B", crm_id="006", stage=library.stage
    )
    with pytest.raises(ValidationError) as error:
        deal_create(user=rep, name="C", account="C", crm_id="006", stage=library.stage)
    assert "crm_id" in error.value.message_dict


def test_owner_updates_a_deal_others_cannot(rep, other_rep, marketer, open_deal):
    updated = deal_update(user=rep, deal=open_deal, name="Globex 2", amount="5")
    assert (updated.name, updated.amount) == ("Globex 2", Decimal("5.00"))
    for intruder in (other_rep, marketer):
        with pytest.raises(PermissionDenied):
            deal_update(user=intruder, deal=open_deal, name="Hijacked")
    assert Deal.objects.get().name == "Globex 2"


def test_deal_update_refuses_unknown_fields(rep, open_deal):
    with pytest.raises(TypeError):
        deal_update(user=rep, deal=open_deal, owner=rep)


def test_outcome_won_with_final_amount_then_reopen(rep, open_deal):
    won = deal_set_outcome(user=rep, deal=open_deal, outcome="won", amount="42000")
    assert won.outcome == DealOutcome.WON and won.amount == Decimal("42000.00")
    assert won.closed_at is not None
    reopened = deal_set_outcome(user=rep, deal=open_deal, outcome="open")
    assert reopened.closed_at is None and reopened.amount == Decimal("42000.00")


def test_outcome_on_someone_elses_deal_is_refused(other_rep, marketer, open_deal):
    for intruder in (other_rep, marketer):
        with pytest.raises(PermissionDenied):
            deal_set_outcome(user=intruder, deal=open_deal, outcome="won")
    assert Deal.objects.get().outcome == DealOutcome.OPEN


@pytest.mark.parametrize("amount", ["-5", "lots"])
def test_outcome_with_bad_amount_changes_nothing(rep, open_deal, amount):
    with pytest.raises(ValidationError):
        deal_set_outcome(user=rep, deal=open_deal, outcome="won", amount=amount)
    open_deal.refresh_from_db()
    assert open_deal.outcome == DealOutcome.OPEN and open_deal.closed_at is None


def test_unknown_outcome_is_refused(rep, open_deal):
    with pytest.raises(ValidationError):
        deal_set_outcome(user=rep, deal=open_deal, outcome="maybe")


# Usage --------------------------------------------------------------------------


def test_usage_is_recorded_against_the_current_version(rep, library, open_deal):
    old_version = library.internal.current_version
    with_version(library.internal, number=2)
    usage = usage_record(
        user=rep,
        deal=open_deal,
        asset=library.internal,
        stage=library.stage,
        note="Sent after the pricing call",
    )
    assert usage.version == library.internal.current_version != old_version
    assert (usage.user, usage.stage, usage.note) == (
        rep,
        library.stage,
        "Sent after the pricing call",
    )


def test_usage_keeps_usage_and_distinct_deal_counters(rep, library, open_deal):
    second = DealFactory(owner=rep, stage=library.stage)
    for deal in (open_deal, open_deal, second):
        usage_record(user=rep, deal=deal, asset=library.internal, stage=library.stage)
    library.internal.refresh_from_db()
    assert library.internal.usage_count == 3
    assert library.internal.deal_count == 2
    today = DailyAssetStat.objects.get(asset=library.internal, day=timezone.localdate())
    assert today.usages == 3


def test_rep_cannot_record_usage_on_another_reps_deal(rep, library, other_deal):
    with pytest.raises(PermissionDenied):
        usage_record(
            user=rep, deal=other_deal, asset=library.internal, stage=library.stage
        )
    assert not Usage.objects.exists()
    library.internal.refresh_from_db()
    assert library.internal.usage_count == 0


def test_partner_records_usage_only_of_partner_assets(partner, library):
    deal = DealFactory(owner=partner, stage=library.stage)
    usage_record(
        user=partner, deal=deal, asset=library.for_partners, stage=library.stage
    )
    with pytest.raises(PermissionDenied):
        usage_record(user=partner, deal=deal, asset=library.internal, stage=deal.stage)
    assert Usage.objects.count() == 1


def test_drafts_and_retired_assets_cannot_be_recorded(marketer, rep, library):
    deal = DealFactory(owner=marketer, stage=library.stage)
    with pytest.raises(ValidationError):
        usage_record(user=marketer, deal=deal, asset=library.draft, stage=deal.stage)
    rep_deal = DealFactory(owner=rep, stage=library.stage)
    with pytest.raises(PermissionDenied):
        usage_record(user=rep, deal=rep_deal, asset=library.retired, stage=deal.stage)
    assert not Usage.objects.exists()


def test_usage_on_a_closed_deal_is_refused(rep, library):
    deal = DealFactory(owner=rep, stage=library.stage, won=True)
    with pytest.raises(ValidationError):
        usage_record(user=rep, deal=deal, asset=library.internal, stage=deal.stage)


def test_idempotency_key_returns_the_first_usage_on_retry(rep, library, open_deal):
    kwargs = dict(user=rep, deal=open_deal, asset=library.internal, stage=library.stage)
    first = usage_record(**kwargs, idempotency_key="crm-123")
    again = usage_record(**kwargs, idempotency_key="crm-123")
    assert first.pk == again.pk
    library.internal.refresh_from_db()
    assert library.internal.usage_count == 1
    other = DealFactory(owner=rep, stage=library.stage)
    with pytest.raises(ValidationError):
        usage_record(
            user=rep,
            deal=other,
            asset=library.internal,
            stage=library.stage,
            idempotency_key="crm-123",
        )


# Pages --------------------------------------------------------------------------


def test_rep_records_usage_in_a_new_deal_from_the_asset_page(rep_client, rep, library):
    response = rep_client.post(
        usage_url(library.internal),
        {
            "new_deal_name": "Acme negotiation",
            "new_deal_account": "Acme Corp",
            "new_deal_crm_id": "006XYZ",
            "new_deal_amount": "120000",
            "stage": library.stage.pk,
            "note": "Handled the discount objection",
            "idempotency_key": "form-1",
        },
    )
    assert response.status_code == 302
    deal = Deal.objects.get()
    assert (deal.owner, deal.name, deal.amount) == (
        rep,
        "Acme negotiation",
        Decimal("120000.00"),
    )
    assert Usage.objects.get().deal == deal
    # A double click posts the same form again: still one usage, one deal.
    rep_client.post(
        usage_url(library.internal),
        {"deal": deal.pk, "stage": library.stage.pk, "idempotency_key": "form-1"},
    )
    assert Usage.objects.count() == 1


def test_usage_with_htmx_swaps_the_panel_in_place(rep_client, library, open_deal):
    response = rep_client.post(
        usage_url(library.internal),
        {"deal": open_deal.pk, "stage": library.stage.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b'id="usage-panel"' in response.content
    assert b"Recorded in" in response.content and b"Globex renewal" in response.content


@pytest.mark.parametrize(
    "data,field_error",
    [
        (
            {"new_deal_name": "X", "new_deal_account": "Y", "new_deal_amount": "-1"},
            b"An amount cannot be negative.",
        ),
        (
            {"new_deal_name": "X", "new_deal_account": "Y", "new_deal_amount": "abc"},
            b"Enter an amount as a number",
        ),
        ({"new_deal_account": "Y"}, b"Name the new deal."),
        ({"new_deal_name": "X"}, b"Which account is the deal with?"),
    ],
)
def test_bad_usage_input_shows_errors_and_writes_nothing(
    rep_client, library, data, field_error
):
    response = rep_client.post(
        usage_url(library.internal), {**data, "stage": library.stage.pk}
    )
    assert response.status_code == 400
    assert field_error in response.content
    assert not Deal.objects.exists() and not Usage.objects.exists()


def test_a_failed_usage_leaves_no_half_created_deal(rep_client, library, monkeypatch):
    from content.services import deals as views

    def refuse(**kwargs):
        raise ValidationError("Only published assets can be recorded in a deal.")

    monkeypatch.setattr(views, "usage_record", refuse)
    response = rep_client.post(
        usage_url(library.internal),
        {"new_deal_name": "X", "new_deal_account": "Y", "stage": library.stage.pk},
    )
    assert response.status_code == 400
    assert not Deal.objects.exists()


def test_posting_another_reps_deal_is_an_invalid_choice(
    rep_client, library, other_deal
):
    response = rep_client.post(
        usage_url(library.internal), {"deal": other_deal.pk, "stage": library.stage.pk}
    )
    assert response.status_code == 400
    assert not Usage.objects.exists()


def test_my_deals_lists_only_own_deals_with_assets_used(
    rep_client, rep, library, open_deal, other_deal
):
    UsageFactory(deal=open_deal, asset=library.internal)
    UsageFactory(deal=other_deal, asset=library.for_partners)
    response = rep_client.get(reverse("content:deal_list"))
    assert list(response.context["deals"]) == [open_deal]
    html = response.content.decode()
    assert "Pricing objection handler" in html
    assert "Initech expansion" not in html


def test_my_deals_filters_by_outcome_and_summarises(rep_client, rep, library):
    DealFactory(owner=rep, stage=library.stage, won=True, amount=Decimal("100"))
    DealFactory(owner=rep, stage=library.stage, lost=True)
    DealFactory(owner=rep, stage=library.stage)
    response = rep_client.get(reverse("content:deal_list"), {"outcome": "won"})
    assert [d.outcome for d in response.context["deals"]] == ["won"]
    summary = response.context["summary"]
    assert (summary["open"], summary["won"], summary["lost"]) == (1, 1, 1)
    assert summary["won_amount"] == Decimal("100")


def test_deal_list_runs_a_constant_number_of_queries(
    rep_client, rep, library, count_queries
):
    def add_deals(n):
        for _ in range(n):
            deal = DealFactory(owner=rep, stage=library.stage)
            UsageFactory(deal=deal, asset=library.internal)
            UsageFactory(deal=deal, asset=library.for_partners)

    add_deals(2)
    few = count_queries(lambda: rep_client.get(reverse("content:deal_list")))
    add_deals(15)
    assert count_queries(lambda: rep_client.get(reverse("content:deal_list"))) == few


@pytest.mark.parametrize("name", ["content:deal", "content:deal_edit"])
def test_other_reps_deal_is_404_for_everyone_but_its_owner(
    name, client_for, other_rep, rep, marketer, admin_user, partner, other_deal
):
    assert client_for(other_rep).get(deal_url(other_deal, name)).status_code == 200
    for user in (rep, marketer, admin_user, partner):
        assert client_for(user).get(deal_url(other_deal, name)).status_code == 404


def test_rep_marks_own_deal_won_with_final_amount(rep_client, open_deal):
    response = rep_client.post(
        deal_url(open_deal, "content:deal_outcome"),
        {"outcome": "won", "amount": "99000"},
    )
    assert response.status_code == 302
    open_deal.refresh_from_db()
    assert open_deal.outcome == "won" and open_deal.amount == Decimal("99000.00")


@pytest.mark.parametrize(
    "amount,error", [("-10", b"cannot be negative"), ("ten", b"as a number")]
)
def test_outcome_form_rejects_bad_amounts_next_to_the_field(
    rep_client, open_deal, amount, error
):
    response = rep_client.post(
        deal_url(open_deal, "content:deal_outcome"),
        {"outcome": "won", "amount": amount},
    )
    assert response.status_code == 400
    assert error in response.content
    open_deal.refresh_from_db()
    assert open_deal.outcome == "open"


def test_outcome_on_another_reps_deal_is_404_and_changes_nothing(
    rep_client, other_deal
):
    response = rep_client.post(
        deal_url(other_deal, "content:deal_outcome"), {"outcome": "won"}
    )
    assert response.status_code == 404
    other_deal.refresh_from_db()
    assert other_deal.outcome == "open"


def test_edit_deal_page_saves_and_validates(rep_client, open_deal, library):
    url = deal_url(open_deal, "content:deal_edit")
    bad = rep_client.post(
        url,
        {"name": "N", "account": "A", "amount": "-3", "stage": library.stage.pk},
    )
    assert bad.status_code == 400 and b"cannot be negative" in bad.content
    ok = rep_client.post(
        url,
        {"name": "New name", "account": "A", "amount": "3", "stage": library.stage.pk},
    )
    assert ok.status_code == 302
    open_deal.refresh_from_db()
    assert open_deal.name == "New name"


def test_new_deal_page_creates_a_deal_for_the_user(rep_client, rep, library):
    response = rep_client.post(
        reverse("content:deal_add"),
        {"name": "Umbrella", "account": "Umbrella", "stage": library.stage.pk},
    )
    assert response.status_code == 302
    assert Deal.objects.get().owner == rep


def test_new_deal_page_ignores_an_offsite_next(rep_client, library):
    response = rep_client.post(
        reverse("content:deal_add"),
        {
            "name": "Umbrella",
            "account": "Umbrella",
            "stage": library.stage.pk,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == Deal.objects.get().get_absolute_url()


def test_deal_page_shows_usages_with_versions(rep_client, library, open_deal):
    version = VersionFactory(asset=library.internal, number=7)
    UsageFactory(deal=open_deal, asset=library.internal, version=version)
    html = rep_client.get(deal_url(open_deal)).content.decode()
    assert "Pricing objection handler" in html and "v7" in html
