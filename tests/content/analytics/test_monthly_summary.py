"""The monthly summary: what each marketer gets, from the command and the queue."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role
from content.selectors.analytics.summary import monthly_summary
from content.services.feedback import rating_set
from content.services.feedback_replies import rating_reply_set
from tests.content.analytics.evidence_data import Deals
from tests.factories import AssetFactory, StageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(marketer, settings):
    settings.WINGMAN_EVIDENCE_MIN_DEALS = 10
    marketer.email = "mia@example.com"
    marketer.save()
    demo = StageFactory(name="Demo", slug="demo", order=1)
    helper = AssetFactory(title="Demo script", owner=marketer, stages=[demo])
    weak = AssetFactory(title="Old brochure", owner=marketer, stages=[demo])
    deals = Deals()
    deals.add(10, won=True, at=demo, used=[(helper, demo)])
    deals.add(2, won=False, at=demo, used=[(helper, demo)])
    deals.add(5, won=True, at=demo)
    deals.add(15, won=False, at=demo)
    reps = [UserFactory(role=Role.REP) for _ in range(3)]
    for rep in reps:
        rating_set(user=rep, asset=weak, stars=1, comment=f"Outdated ({rep.pk})")
    rating_reply_set(actor=marketer, rating=weak.ratings.first(), text="On it.")
    other = UserFactory(role=Role.MARKETER, email="max@example.com")
    AssetFactory(title="Nothing happens", owner=other)
    return {"helper": helper, "weak": weak, "marketer": marketer}


def test_summary_lists_verdicts_newly_low_rated_and_unanswered(library):
    summary = monthly_summary(user=library["marketer"])
    helps = [asset for asset, _ in summary.verdicts["helps"]]
    assert helps == [library["helper"]]
    assert summary.newly_low_rated == [library["weak"]]
    assert summary.unanswered_total == 2  # one of the three was answered
    assert {r.asset for r in summary.unanswered} == {library["weak"]}


def test_dry_run_prints_and_sends_nothing(library):
    out = StringIO()
    call_command("send_monthly_summary", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "--- to mia@example.com" in text
    assert "Demo script: +" in text
    assert "NEWLY LOW-RATED" in text and "Old brochure" in text
    assert "COMMENTS WAITING FOR YOUR ANSWER (2)" in text
    assert "Would send 1 monthly summary; 1 with nothing to say." in text
    assert mail.outbox == []


def test_sends_one_email_per_marketer_with_something_to_say(library):
    call_command("send_monthly_summary", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["mia@example.com"]]
    assert "1 helping win, 2 comments to answer" in mail.outbox[0].subject


def test_unknown_user_is_a_clear_error(library):
    with pytest.raises(CommandError, match="No active marketer"):
        call_command("send_monthly_summary", "--user", "nobody", stdout=StringIO())


def test_enqueue_refuses_dry_run(library):
    with pytest.raises(CommandError):
        call_command("send_monthly_summary", "--enqueue", "--dry-run")


def test_runs_from_the_task_queue(library, settings):
    from content import tasks

    result = tasks.send_monthly_summary.call()
    assert "Sent 1 monthly summary" in result
    assert len(mail.outbox) == 1
