import pytest
from django.urls import reverse

from content.models import AssetEvent, AssetKind, EventKind
from content.services import library as services
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.factories import AssetFactory, UsageFactory, VersionFactory

pytestmark = pytest.mark.django_db


def _url(asset):
    return reverse("content:asset", kwargs={"pk": asset.pk})


@pytest.fixture
def card(marketer, stages, run_tasks):
    with run_tasks():
        asset = _card(marketer, stages)
    services.asset_publish(actor=marketer, asset=asset)
    asset.refresh_from_db()
    return asset


def _card(marketer, stages):
    return services.asset_create(
        actor=marketer,
        kind=AssetKind.BATTLE_CARD,
        title="Rivalry Inc battle card",
        summary="How to beat Rivalry Inc on price and time to value.",
        stages=stages[:2],
        tags=["competitive"],
        competitor="Rivalry Inc",
        their_strengths="Big brand\n- Cheap entry tier",
        their_weaknesses="No SSO below enterprise",
        landmines="Ask how they price API calls",
        how_we_win="Live in 30 days",
        proof_points="Acme cut reporting time 50%",
        file=upload("rivalry.pdf", builders.pdf_bytes("Rivalry Inc")),
    )


def test_a_rep_reads_a_published_battle_card_as_a_compact_card(rep_client, card):
    response = rep_client.get(_url(card))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Battle card vs" in html
    for text in (
        "Rivalry Inc",
        "Cheap entry tier",
        "No SSO",
        "price API calls",
        "Live in 30 days",
        "Acme cut",
    ):
        assert text in html
    assert "<li>Cheap entry tier</li>" in html  # one point per line, bullet stripped
    assert reverse("content:download", kwargs={"pk": card.current_version.pk}) in html
    # Its pages in the page viewer (the thumbnail shows on tiles).
    version = card.current_version
    assert reverse("content:page", args=[card.pk, version.pk, 1]) in html
    # Marketer-only controls and history stay hidden.
    assert reverse("content:asset_edit", kwargs={"pk": card.pk}) not in html
    assert "History" not in html


def test_opening_the_page_records_a_view(rep, rep_client, card):
    rep_client.get(_url(card))
    event = AssetEvent.objects.get()
    assert event.kind == EventKind.VIEW
    assert event.user == rep
    assert event.version == card.current_version
    card.refresh_from_db()
    assert card.view_count == 1


def test_an_objection_handler_shows_objection_and_response(rep_client, marketer, stage):
    asset = services.asset_create(
        actor=marketer,
        kind=AssetKind.OBJECTION_HANDLER,
        title="Too expensive",
        stages=[stage],
        objection="You cost twice what Rivalry Inc does.",
        response="Compare the total cost of ownership over three years.",
        when_to_use="Proposal, when procurement joins.",
        proof_points="Acme saved $120k",
    )
    services.asset_publish(actor=marketer, asset=asset)
    html = rep_client.get(_url(asset)).content.decode()
    assert "You cost twice what Rivalry Inc does." in html
    assert "Our response" in html and "total cost of ownership" in html
    assert "When to use it" in html


def test_reps_get_404_for_drafts(rep_client, marketer, stage):
    asset = AssetFactory(owner=marketer, stages=[stage], draft=True)
    assert rep_client.get(_url(asset)).status_code == 404
    assert not AssetEvent.objects.exists()


def test_item13_a_rep_opening_a_retired_asset_is_pointed_at_its_replacement(
    rep_client, marketer, stage
):
    new = AssetFactory(owner=marketer, stages=[stage], title="New pricing deck")
    old = AssetFactory(owner=marketer, stages=[stage], title="Old pricing deck")
    old.current_version = VersionFactory(asset=old, number=1)
    old.save(update_fields=["current_version"])
    services.asset_retire(
        actor=marketer, asset=old, reason="Prices changed in May", replaced_by=new
    )
    old.refresh_from_db()
    response = rep_client.get(_url(old))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Old pricing deck" in html and "retired" in html
    assert "Prices changed in May" in html
    assert old.retired_at.strftime("%b") in html
    assert f'class="button" href="{_url(new)}"' in html
    # Its file stays private: no link to it, and the download is refused.
    download = reverse("content:download", kwargs={"pk": old.current_version_id})
    assert download not in html
    assert rep_client.get(download).status_code == 404
    assert not AssetEvent.objects.exists()


def test_item13_retired_notice_without_replacement_or_hidden_replacement(
    partner_client, rep_client, marketer, stage
):
    internal_new = AssetFactory(owner=marketer, stages=[stage], title="Internal new")
    old = AssetFactory(
        owner=marketer, stages=[stage], title="Partner sheet", for_partners=True
    )
    services.asset_retire(
        actor=marketer, asset=old, reason="Outdated", replaced_by=internal_new
    )
    # The partner may see the retired sheet, but not its internal replacement.
    html = partner_client.get(_url(old)).content.decode()
    assert "Outdated" in html and _url(internal_new) not in html
    assert "Nothing replaces it" in html
    assert _url(internal_new) in rep_client.get(_url(old)).content.decode()


def test_item13_partners_get_404_for_retired_internal_assets(
    partner_client, marketer, stage
):
    old = AssetFactory(owner=marketer, stages=[stage], retired=True)
    assert partner_client.get(_url(old)).status_code == 404


def test_partners_only_see_partner_assets(partner_client, marketer, stage):
    internal = AssetFactory(owner=marketer, stages=[stage])
    shared = AssetFactory(owner=marketer, stages=[stage], for_partners=True)
    assert partner_client.get(_url(internal)).status_code == 404
    assert partner_client.get(_url(shared)).status_code == 200


def test_a_marketer_sees_a_draft_with_what_is_missing_to_publish(
    marketer_client, marketer, stage
):
    draft = services.asset_create(
        actor=marketer, kind=AssetKind.DECK, title="WIP deck", stages=[stage]
    )
    html = marketer_client.get(_url(draft)).content.decode()
    assert "not ready to publish" in html
    assert "Upload the deck&#x27;s file." in html
    assert reverse("content:asset_publish", kwargs={"pk": draft.pk}) in html
    assert "History" in html and "created" in html


def test_a_retired_asset_points_marketers_at_its_replacement(
    marketer_client, marketer, stage
):
    new = AssetFactory(owner=marketer, stages=[stage], title="New pricing deck")
    old = AssetFactory(owner=marketer, stages=[stage], title="Old pricing deck")
    services.asset_retire(
        actor=marketer, asset=old, reason="Prices changed", replaced_by=new
    )
    html = marketer_client.get(_url(old)).content.decode()
    assert "Retired" in html and "Prices changed" in html
    assert _url(new) in html
    assert reverse("content:asset_restore", kwargs={"pk": old.pk}) in html


def test_reps_see_the_current_file_and_marketers_every_version(
    rep_client, marketer_client, marketer, stage
):
    asset = AssetFactory(owner=marketer, stages=[stage])
    old = VersionFactory(asset=asset, number=1, original_name="v1-notes.txt")
    new = VersionFactory(asset=asset, number=2, original_name="v2-notes.txt")
    asset.current_version = new
    asset.save()
    UsageFactory(asset=asset, version=old)
    rep_html = rep_client.get(_url(asset)).content.decode()
    assert "v2-notes.txt" in rep_html and "v1-notes.txt" not in rep_html
    marketer_html = marketer_client.get(_url(asset)).content.decode()
    assert "v2-notes.txt" in marketer_html and "v1-notes.txt" in marketer_html
    assert "Used in deals" in marketer_html


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ["rep", "marketer"])
def test_the_asset_page_runs_a_constant_number_of_queries(
    request, client_for, marketer, stages, role, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(role))
    small = AssetFactory(owner=marketer, stages=stages[:1])
    small.current_version = VersionFactory(asset=small, number=1)
    small.save()
    big = AssetFactory(owner=marketer, stages=stages)
    for number in range(1, 6):
        big.current_version = VersionFactory(asset=big, number=number)
        UsageFactory(asset=big, version=big.current_version)
    big.save()
    big.tags.add("a", "b", "c")
    for asset in (small, big):  # warm caches (content types) and today's stat rows
        client.get(_url(asset))
    assert _count_queries(client, _url(small)) == _count_queries(client, _url(big))
    with django_assert_max_num_queries(30):
        client.get(_url(big))
