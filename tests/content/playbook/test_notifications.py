"""Following, notifications, what's new and the weekly digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from content.models import DigestState, Notification, Subscription
from content.services.notifications import (
    notification_mark_read,
    notify_asset_published,
    notify_asset_updated,
    subscription_create,
    subscription_delete,
)
from tests.content.playbook.conftest import with_version
from tests.factories import (
    AssetFactory,
    NotificationFactory,
    SubscriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# Following ----------------------------------------------------------------------


def test_follow_and_unfollow_a_stage_through_the_page(rep_client, rep, library):
    url = reverse("content:follow", kwargs={"target": "stage", "pk": library.stage.pk})
    response = rep_client.post(url)
    assert response.status_code == 302
    rep_client.post(url)  # following twice keeps one subscription
    assert Subscription.objects.get().stage == library.stage
    unfollow = reverse(
        "content:unfollow", kwargs={"target": "stage", "pk": library.stage.pk}
    )
    htmx = rep_client.post(unfollow, headers={"HX-Request": "true"})
    assert b"Follow" in htmx.content and b"Following" not in htmx.content
    assert not Subscription.objects.exists()


def test_partner_cannot_follow_an_internal_asset(partner, partner_client, library):
    url = reverse(
        "content:follow", kwargs={"target": "asset", "pk": library.internal.pk}
    )
    assert partner_client.post(url).status_code == 404
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        subscription_create(user=partner, asset=library.internal)
    assert not Subscription.objects.exists()


def test_follow_a_tag_from_search(rep_client, rep, library):
    library.internal.tags.add("pricing")
    tag = Tag.objects.get(slug="pricing")
    rep_client.post(reverse("content:follow", kwargs={"target": "tag", "pk": tag.pk}))
    page = rep_client.get(reverse("content:search"), {"tag": "pricing"})
    assert page.context["is_following_tag"] is True
    assert subscription_delete(user=rep, tag=tag) is True


def test_subscription_needs_exactly_one_target(rep, library):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        subscription_create(user=rep)
    with pytest.raises(ValidationError):
        subscription_create(user=rep, stage=library.stage, asset=library.internal)


# Notifying followers ------------------------------------------------------------


def test_followers_of_stage_tag_and_asset_are_notified_once_each(
    rep, other_rep, marketer, library
):
    asset = library.internal
    asset.tags.add("pricing")
    SubscriptionFactory(user=rep, stage=library.stage)
    SubscriptionFactory(user=rep, stage=None, asset=asset)  # same person twice
    SubscriptionFactory(user=other_rep, stage=None, tag=Tag.objects.get(slug="pricing"))
    SubscriptionFactory(user=marketer, stage=library.other_stage)  # elsewhere
    assert notify_asset_published(asset=asset) == 2
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == (
        sorted([other_rep.username, rep.username])
    )
    assert Notification.objects.filter(verb="asset_published").count() == 2


def test_partners_hear_only_of_partner_assets(partner, library):
    SubscriptionFactory(user=partner, stage=library.stage)
    assert notify_asset_published(asset=library.internal) == 0
    assert notify_asset_updated(asset=library.for_partners) == 1
    assert Notification.objects.get().verb == "asset_updated"


def test_drafts_and_inactive_people_are_not_notified(rep, inactive_rep, library):
    SubscriptionFactory(user=rep, stage=library.stage)
    SubscriptionFactory(user=inactive_rep, stage=library.stage)
    assert notify_asset_published(asset=library.draft) == 0
    assert notify_asset_published(asset=library.internal) == 1


def test_library_publish_and_new_version_notify_followers(rep, marketer, library):
    """The library's services call the hooks (wired by the lead)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from content.services import library as library_services

    SubscriptionFactory(user=rep, stage=library.stage)
    asset = library_services.asset_create(
        actor=marketer,
        kind="deck",
        title="New pricing deck",
        stages=[library.stage],
        file=SimpleUploadedFile("notes.txt", b"Pricing notes for reps.\n"),
    )
    library_services.asset_publish(actor=marketer, asset=asset)
    library_services.version_upload(
        actor=marketer,
        asset=asset,
        file=SimpleUploadedFile("notes.txt", b"Pricing notes, updated.\n"),
    )
    verbs = list(Notification.objects.filter(user=rep).values_list("verb", flat=True))
    assert sorted(verbs) == ["asset_published", "asset_updated"]


# The notifications page and the nav count ---------------------------------------


def test_nav_shows_the_unread_count_and_page_marks_read(rep_client, rep, library):
    NotificationFactory(user=rep, asset=library.internal)
    NotificationFactory(user=rep, asset=library.for_partners)
    NotificationFactory(asset=library.internal)  # someone else's
    home = rep_client.get(reverse("home"))
    assert b'class="badge-count">2<' in home.content
    page = rep_client.get(reverse("content:notifications"))
    assert len(page.context["notifications"]) == 2
    first = page.context["notifications"][0]
    rep_client.post(
        reverse("content:notifications"), {"action": "read", "id": first.pk}
    )
    assert Notification.objects.filter(user=rep, read_at__isnull=True).count() == 1
    rep_client.post(reverse("content:notifications"), {"action": "read_all"})
    assert not Notification.objects.filter(user=rep, read_at__isnull=True).exists()
    assert b"badge-count" not in rep_client.get(reverse("home")).content


def test_someone_elses_notification_cannot_be_marked_read(rep, rep_client, library):
    theirs = NotificationFactory(asset=library.internal)
    response = rep_client.post(
        reverse("content:notifications"), {"action": "read", "id": theirs.pk}
    )
    assert response.status_code == 404
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        notification_mark_read(user=rep, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_digest_can_be_switched_off_and_on(rep_client, rep):
    rep_client.post(reverse("content:notifications"), {"action": "digest_off"})
    assert DigestState.objects.get(user=rep).enabled is False
    rep_client.post(reverse("content:notifications"), {"action": "digest_on"})
    assert DigestState.objects.get(user=rep).enabled is True


def test_notifications_page_runs_a_constant_number_of_queries(
    rep_client, rep, library, count_queries
):
    for _ in range(3):
        NotificationFactory(user=rep, asset=library.internal)
    SubscriptionFactory(user=rep, stage=library.stage)
    url = reverse("content:notifications")
    few = count_queries(lambda: rep_client.get(url))
    for _ in range(20):
        NotificationFactory(user=rep, asset=library.for_partners)
    SubscriptionFactory(user=rep, stage=None, asset=library.internal)
    assert count_queries(lambda: rep_client.get(url)) == few


# What's new ---------------------------------------------------------------------


def test_whats_new_lists_new_and_updated_since_last_visit_and_marks_seen(
    rep_client, rep, marketer, library
):
    now = timezone.now()
    rep.last_seen_news_at = now - timedelta(days=2)
    rep.save()
    old = AssetFactory(title="Old news", published_at=now - timedelta(days=10))
    updated = with_version(
        AssetFactory(title="Updated deck", published_at=now - timedelta(days=10)),
        number=2,
    )
    # The version factory stamps now: updated after the last visit.
    home = rep_client.get(reverse("home"))
    titles = [a.title for a in home.context["news_items"]]
    assert "Updated deck" in titles and "Old news" not in titles
    assert "Pricing objection handler" in titles  # published just now
    assert "Draft pricing battle card" not in titles
    item = next(a for a in home.context["news_items"] if a.pk == updated.pk)
    assert item.is_update is True
    feed = rep_client.get(reverse("content:whats_new"))
    assert {a.pk for a in feed.context["items"] if a.is_new} >= {updated.pk}
    assert old.pk in {a.pk for a in feed.context["items"]}  # older, not new
    rep.refresh_from_db()
    assert rep.last_seen_news_at > now
    # Home now has nothing new.
    assert rep_client.get(reverse("home")).context["news_count"] == 0


def test_whats_new_respects_visibility(partner_client, library):
    feed = partner_client.get(reverse("content:whats_new"))
    titles = {a.title for a in feed.context["items"]}
    assert titles == {"Partner pricing one-pager", "Discovery call script"}


def test_whats_new_pagination_keeps_the_since_mark(
    rep_client, rep, bulk_assets, library
):
    bulk_assets(25, library.stage)
    first = rep_client.get(reverse("content:whats_new"))
    assert "since=" in first.context["querystring_without_page"]
    seen = rep.__class__.objects.get(pk=rep.pk).last_seen_news_at
    rep_client.get(
        reverse("content:whats_new")
        + "?"
        + first.context["querystring_without_page"]
        + "&page=2"
    )
    assert rep.__class__.objects.get(pk=rep.pk).last_seen_news_at == seen


# The digest ---------------------------------------------------------------------


def test_digest_sends_whats_new_per_person_respecting_visibility(rep, partner, library):
    call_command("send_digest", verbosity=0)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {rep.email, partner.email, library.internal.owner.email}
    assert "Pricing objection handler" in by_person[rep.email].body
    partner_mail = by_person[partner.email].body
    assert "Partner pricing one-pager" in partner_mail
    assert "Pricing objection handler" not in partner_mail
    assert "Draft" not in partner_mail and "Old pricing deck" not in partner_mail
    assert DigestState.objects.get(user=rep).last_digest_at is not None


def test_digest_twice_in_a_week_sends_nothing_new(rep, library):
    call_command("send_digest", verbosity=0)
    sent = len(mail.outbox)
    call_command("send_digest", verbosity=0)
    assert len(mail.outbox) == sent
    call_command("send_digest", "--force", verbosity=0)
    # Forced, but nothing was published since: still nothing to say.
    assert len(mail.outbox) == sent


def test_digest_dry_run_sends_and_remembers_nothing(rep, library, capsys):
    call_command("send_digest", "--dry-run", "--user", rep.username)
    assert not mail.outbox
    assert not DigestState.objects.exists()
    assert "Pricing objection handler" in capsys.readouterr().out


def test_digest_skips_people_who_opted_out_or_have_no_email(rep, library):
    DigestState.objects.create(user=rep, enabled=False)
    UserFactory(username="noemail", email="")
    call_command("send_digest", verbosity=0)
    assert rep.email not in [m.to[0] for m in mail.outbox]
    assert "" not in [m.to[0] for m in mail.outbox]


def test_digest_only_covers_news_since_the_last_digest(rep, library):
    DigestState.objects.create(
        user=rep, last_digest_at=timezone.now() - timedelta(days=7)
    )
    old = timezone.now() - timedelta(days=8)
    AssetFactory(title="Before last digest", published_at=old)
    call_command("send_digest", "--user", rep.username, verbosity=0)
    body = mail.outbox[0].body
    assert "Before last digest" not in body
    assert "Pricing objection handler" in body


def test_digest_unknown_user_is_an_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("send_digest", "--user", "nobody")
