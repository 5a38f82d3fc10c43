"""Content requests: ask, upvote (twice counts once), triage by marketing only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from content.models import ContentRequest, ContentRequestVote, Notification
from content.services.feedback import (
    content_request_create,
    content_request_triage,
    content_request_vote,
)
from tests.factories import ContentRequestFactory

pytestmark = pytest.mark.django_db


def test_request_comes_with_the_requesters_vote(rep, library):
    request = content_request_create(
        user=rep,
        title="  Battle card   vs Acme ",
        description="They undercut us on price",
        stage=library.stage,
        kind="battle_card",
    )
    assert request.title == "Battle card vs Acme"
    assert request.vote_count == 1
    assert ContentRequestVote.objects.get().user == rep


def test_empty_title_or_unknown_kind_is_refused(rep):
    with pytest.raises(ValidationError):
        content_request_create(user=rep, title="   ")
    with pytest.raises(ValidationError):
        content_request_create(user=rep, title="X", kind="poster")
    assert not ContentRequest.objects.exists()


def test_voting_twice_counts_once_and_a_vote_can_be_taken_back(rep, other_rep, partner):
    request = ContentRequestFactory()
    content_request_vote(user=rep, request=request)
    content_request_vote(user=rep, request=request)
    content_request_vote(user=partner, request=request)
    request.refresh_from_db()
    assert request.vote_count == 2
    content_request_vote(user=rep, request=request, up=False)
    content_request_vote(user=rep, request=request, up=False)
    request.refresh_from_db()
    assert request.vote_count == 1


def test_vote_twice_through_the_page_counts_once(rep_client):
    request = ContentRequestFactory()
    url = reverse("content:request_vote", kwargs={"pk": request.pk})
    rep_client.post(url)
    rep_client.post(url)
    request.refresh_from_db()
    assert request.vote_count == 1
    htmx = rep_client.post(url, headers={"HX-Request": "true"})
    assert b"Voted" in htmx.content and b"1" in htmx.content


def test_closed_requests_take_no_votes(rep, marketer, library):
    request = ContentRequestFactory()
    content_request_triage(
        user=marketer, request=request, status="declined", reason="Out of scope"
    )
    with pytest.raises(ValidationError):
        content_request_vote(user=rep, request=request)


@pytest.mark.parametrize("role", ["rep", "partner"])
def test_triage_is_for_marketers_and_admins_only(role, users, client_for):
    request = ContentRequestFactory()
    with pytest.raises(PermissionDenied):
        content_request_triage(user=users[role], request=request, status="planned")
    url = reverse("content:request_triage", kwargs={"pk": request.pk})
    assert client_for(users[role]).get(url).status_code == 403
    assert client_for(users[role]).post(url, {"status": "planned"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "open"


@pytest.mark.parametrize("role", ["marketer", "admin"])
def test_marketers_and_admins_triage_and_requester_and_voters_hear(
    role, users, rep, other_rep, library
):
    request = content_request_create(user=rep, title="Acme battle card")
    content_request_vote(user=other_rep, request=request)
    content_request_triage(user=users[role], request=request, status="planned")
    request.refresh_from_db()
    assert request.status == "planned" and request.triaged_by == users[role]
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        rep.username,
        other_rep.username,
    }


def test_done_needs_a_published_asset_and_links_it(rep, marketer, library):
    request = content_request_create(user=rep, title="Pricing objection")
    with pytest.raises(ValidationError):
        content_request_triage(user=marketer, request=request, status="done")
    with pytest.raises(ValidationError):
        content_request_triage(
            user=marketer, request=request, status="done", fulfilled_by=library.draft
        )
    content_request_triage(
        user=marketer, request=request, status="done", fulfilled_by=library.internal
    )
    note = Notification.objects.get(user=rep)
    assert note.asset == library.internal and note.verb == "request_done"


def test_partner_voter_is_told_but_not_linked_to_an_internal_asset(
    rep, partner, marketer, library
):
    request = content_request_create(user=rep, title="Pricing objection")
    content_request_vote(user=partner, request=request)
    content_request_triage(
        user=marketer, request=request, status="done", fulfilled_by=library.internal
    )
    assert Notification.objects.get(user=partner).asset is None
    assert Notification.objects.get(user=rep).asset == library.internal


def test_decline_needs_a_reason(rep, marketer):
    request = content_request_create(user=rep, title="A poster")
    with pytest.raises(ValidationError):
        content_request_triage(user=marketer, request=request, status="declined")
    content_request_triage(
        user=marketer, request=request, status="declined", reason="Not for sales"
    )
    request.refresh_from_db()
    assert request.decline_reason == "Not for sales"
    assert "Not for sales" in Notification.objects.get(user=rep).message


def test_triage_page_fulfils_with_a_suggested_or_typed_asset(
    marketer_client, rep, library
):
    request = content_request_create(
        user=rep, title="Pricing", stage=library.stage, kind="objection_handler"
    )
    url = reverse("content:request_triage", kwargs={"pk": request.pk})
    page = marketer_client.get(url)
    assert library.internal in page.context["suggestions"]
    missing = marketer_client.post(url, {"status": "done"})
    assert missing.status_code == 400
    assert b"Say which asset fulfils this request." in missing.content
    typed = marketer_client.post(
        url,
        {"status": "done", "asset_ref": f"http://x/assets/{library.internal.pk}/"},
    )
    assert typed.status_code == 302
    request.refresh_from_db()
    assert request.fulfilled_by == library.internal


def test_triage_page_refuses_unpublished_or_unknown_assets(
    marketer_client, rep, library
):
    request = content_request_create(user=rep, title="Pricing")
    url = reverse("content:request_triage", kwargs={"pk": request.pk})
    for ref, error in [
        (str(library.draft.pk), b"Publish the asset first."),
        ("999999", b"There is no asset with that number."),
        ("not a link", b"Paste the asset"),
    ]:
        response = marketer_client.post(url, {"status": "done", "asset_ref": ref})
        assert response.status_code == 400 and error in response.content
    declined = marketer_client.post(url, {"status": "declined"})
    assert b"Tell the requester why" in declined.content
    request.refresh_from_db()
    assert request.status == "open"


def test_request_form_prefills_from_a_failed_search(rep_client, library):
    response = rep_client.get(
        reverse("content:request_add"),
        {"title": "acme battle card", "stage": library.stage.slug, "kind": "deck"},
    )
    form = response.context["form"]
    assert form.initial["title"] == "acme battle card"
    assert form.initial["stage"] == library.stage
    assert form.initial["kind"] == "deck"


def test_similar_open_requests_are_offered_before_a_duplicate(rep_client, other_rep):
    content_request_create(user=other_rep, title="Battle card against Acme")
    url = reverse("content:request_add")
    first = rep_client.post(url, {"title": "Acme battle card please"})
    assert first.status_code == 200
    assert [r.title for r in first.context["similar"]] == ["Battle card against Acme"]
    assert ContentRequest.objects.count() == 1
    second = rep_client.post(
        url, {"title": "Acme battle card please", "confirm_new": "on"}
    )
    assert second.status_code == 302
    assert ContentRequest.objects.count() == 2


def test_request_form_errors_are_shown(rep_client):
    response = rep_client.post(
        reverse("content:request_add"), {"title": "", "kind": "poster"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "kind"}
    assert not ContentRequest.objects.exists()


def test_request_list_tabs_votes_and_mine(rep_client, rep, other_rep, marketer):
    mine = content_request_create(user=rep, title="Mine")
    theirs = content_request_create(user=other_rep, title="Theirs")
    done = content_request_create(user=other_rep, title="Done one")
    content_request_triage(user=marketer, request=done, status="planned")
    response = rep_client.get(reverse("content:request_list"))
    listed = {r.title: r.has_voted for r in response.context["requests"]}
    assert listed == {"Mine": True, "Theirs": False, "Done one": False}
    only_mine = rep_client.get(reverse("content:request_list"), {"mine": "1"})
    assert [r.pk for r in only_mine.context["requests"]] == [mine.pk]
    planned = rep_client.get(reverse("content:request_list"), {"tab": "planned"})
    assert [r.title for r in planned.context["requests"]] == ["Done one"]
    assert theirs.pk not in [r.pk for r in planned.context["requests"]]


def test_request_list_runs_a_constant_number_of_queries(
    rep_client, other_rep, count_queries
):
    for i in range(3):
        content_request_create(user=other_rep, title=f"Request {i}")
    few = count_queries(lambda: rep_client.get(reverse("content:request_list")))
    for i in range(15):
        content_request_create(user=other_rep, title=f"More {i}")
    assert count_queries(lambda: rep_client.get(reverse("content:request_list"))) == few


def test_partners_do_not_see_internal_assets_named_on_done_requests(
    partner_client, rep_client, rep, marketer, library
):
    request = content_request_create(user=rep, title="Pricing objection")
    content_request_triage(
        user=marketer, request=request, status="done", fulfilled_by=library.internal
    )
    url = reverse("content:request_list") + "?tab=done"
    assert b"Pricing objection handler" in rep_client.get(url).content
    assert b"Pricing objection handler" not in partner_client.get(url).content


@pytest.mark.parametrize("value", ["disc\x00overy", "a b", "../x", "%00"])
def test_a_stage_in_the_query_that_is_not_a_slug_names_no_stage(rep, client, value):
    """PostgreSQL refuses a NUL byte in a comparison: such a value never reaches
    the database, on the request list or the new request form."""
    client.force_login(rep)
    for name in ("content:request_list", "content:request_add"):
        response = client.get(reverse(name), {"stage": value})
        assert response.status_code == 200
