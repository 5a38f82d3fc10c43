"""Closing the loop: the owner (or an admin) answers a rating's comment in
place, the rep is told, the answer shows under the comment, and the asset
report lists what is still unanswered."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from content.models import Notification, NotificationVerb, RatingReply
from content.services.feedback_replies import rating_reply_set
from tests.factories import AssetFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(marketer):
    rep = UserFactory(username="rita", role=Role.REP, first_name="Rita")
    asset = AssetFactory(title="Pricing deck", owner=marketer)
    return RatingFactory(asset=asset, user=rep, stars=2, comment="Prices are old.")


def test_the_owner_answers_and_the_rep_is_notified(comment, marketer):
    reply = rating_reply_set(actor=marketer, rating=comment, text="  Fixed in v3. ")
    assert reply.text == "Fixed in v3."
    note = Notification.objects.get(user=comment.user)
    assert note.verb == NotificationVerb.RATING_ANSWERED
    assert note.asset == comment.asset
    assert "answered your comment on Pricing deck" in note.message


def test_answering_again_rewrites_the_one_answer(comment, marketer, admin_user):
    rating_reply_set(actor=marketer, rating=comment, text="First")
    rating_reply_set(actor=admin_user, rating=comment, text="Second")
    reply = RatingReply.objects.get(rating=comment)
    assert (reply.text, reply.author) == ("Second", admin_user)
    assert Notification.objects.filter(user=comment.user).count() == 2


@pytest.mark.parametrize("who", ["other_marketer", "rep", "partner"])
def test_only_the_owner_or_an_admin_answers(comment, who):
    role = {"other_marketer": Role.MARKETER, "rep": Role.REP, "partner": Role.PARTNER}
    actor = UserFactory(role=role[who])
    with pytest.raises(PermissionDenied):
        rating_reply_set(actor=actor, rating=comment, text="No")
    assert not RatingReply.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, None])
def test_bad_answers_write_nothing(comment, marketer, text):
    with pytest.raises(ValidationError):
        rating_reply_set(actor=marketer, rating=comment, text=text)
    assert not RatingReply.objects.exists()
    assert not Notification.objects.exists()


def test_a_rating_without_a_comment_cannot_be_answered(marketer):
    rating = RatingFactory(asset=AssetFactory(owner=marketer), comment="")
    with pytest.raises(PermissionDenied):
        rating_reply_set(actor=marketer, rating=rating, text="Thanks")


def test_answering_from_the_report_shows_the_answer_under_the_comment(
    comment, marketer, client_for
):
    client = client_for(marketer)
    report = reverse("content:asset_report", args=[comment.asset.pk])
    before = client.get(report)
    assert "Comments not yet answered" in before.content.decode()
    assert list(before.context["unanswered"]) == [comment]
    response = client.post(
        reverse("content:rating_answer", args=[comment.pk]),
        {"text": "Fixed in v3, thanks Rita."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{report}#comment-{comment.pk}"
    after = client.get(report)
    html = after.content.decode()
    assert "Fixed in v3, thanks Rita." in html
    assert list(after.context["unanswered"]) == []
    assert "Every comment has an answer." in html
    assert Notification.objects.filter(user=comment.user).count() == 1


@pytest.mark.parametrize("text", ["", "x" * 2001])
def test_a_bad_answer_from_the_report_says_why_and_writes_nothing(
    comment, marketer, client_for, text
):
    client = client_for(marketer)
    response = client.post(
        reverse("content:rating_answer", args=[comment.pk]), {"text": text}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("answer" in m.lower() or "characters" in m for m in messages)
    assert not RatingReply.objects.exists()


def test_another_marketer_gets_403_and_no_form(comment, client_for):
    other = UserFactory(role=Role.MARKETER)
    client = client_for(other)
    response = client.post(
        reverse("content:rating_answer", args=[comment.pk]), {"text": "Hi"}
    )
    assert response.status_code == 403
    report = client.get(reverse("content:asset_report", args=[comment.asset.pk]))
    assert reverse("content:rating_answer", args=[comment.pk]) not in (
        report.content.decode()
    )


def test_report_query_count_does_not_grow_with_answered_comments(
    comment, marketer, client_for, django_assert_max_num_queries
):
    client = client_for(marketer)
    url = reverse("content:asset_report", args=[comment.asset.pk])
    client.get(url)
    for i in range(6):
        rating = RatingFactory(asset=comment.asset, comment=f"c{i}")
        rating_reply_set(actor=marketer, rating=rating, text=f"a{i}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        RatingFactory(asset=comment.asset, comment=f"more{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
