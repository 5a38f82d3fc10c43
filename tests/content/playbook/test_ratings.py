"""Ratings: one per person per asset, changeable, exact counters, clear errors."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections
from django.urls import reverse

from content.models import Asset, Rating
from content.services import feedback
from content.services.feedback import rating_set
from tests.factories import RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def rate_url(asset):
    return reverse("content:rate", kwargs={"pk": asset.pk})


def counters(asset):
    asset.refresh_from_db()
    return asset.rating_count, asset.rating_total


def test_rating_is_created_then_changed_not_duplicated(rep, library):
    first = rating_set(user=rep, asset=library.internal, stars=3, comment="ok")
    second = rating_set(user=rep, asset=library.internal, stars=5, comment=" great ")
    assert first.pk == second.pk
    assert Rating.objects.get().stars == 5
    assert Rating.objects.get().comment == "great"
    assert counters(library.internal) == (1, 5)


def test_counters_stay_exact_across_people(rep, other_rep, partner, library):
    rating_set(user=rep, asset=library.for_partners, stars=4)
    rating_set(user=other_rep, asset=library.for_partners, stars=2)
    rating_set(user=partner, asset=library.for_partners, stars=5)
    rating_set(user=rep, asset=library.for_partners, stars=1)
    assert counters(library.for_partners) == (3, 8)
    assert library.for_partners.average_rating == pytest.approx(8 / 3)


@pytest.mark.parametrize("stars", [0, 6, -1, "abc", "", None, "4.5", 3.5, True, "10"])
def test_bad_star_values_are_refused_and_change_nothing(rep, library, stars):
    rating_set(user=rep, asset=library.internal, stars=4, comment="kept")
    with pytest.raises(ValidationError) as error:
        rating_set(user=rep, asset=library.internal, stars=stars, comment="lost")
    assert error.value.message_dict == {"stars": ["Choose from 1 to 5 stars."]}
    rating = Rating.objects.get()
    assert (rating.stars, rating.comment) == (4, "kept")
    assert counters(library.internal) == (1, 4)


def test_star_strings_from_forms_are_accepted(rep, library):
    assert rating_set(user=rep, asset=library.internal, stars="5").stars == 5


def test_partner_cannot_rate_an_internal_asset(partner, library):
    with pytest.raises(PermissionDenied):
        rating_set(user=partner, asset=library.internal, stars=5)
    assert not Rating.objects.exists()


def test_drafts_and_retired_assets_cannot_be_rated(marketer, rep, library):
    with pytest.raises(ValidationError):
        rating_set(user=marketer, asset=library.draft, stars=5)
    with pytest.raises(PermissionDenied):
        rating_set(user=rep, asset=library.retired, stars=5)
    assert not Rating.objects.exists()


def test_comment_over_2000_characters_is_refused(rep, library):
    with pytest.raises(ValidationError) as error:
        rating_set(user=rep, asset=library.internal, stars=3, comment="x" * 2001)
    assert "comment" in error.value.message_dict
    assert not Rating.objects.exists()
    assert counters(library.internal) == (0, 0)


def test_a_lost_race_to_create_updates_the_winners_row(rep, library, monkeypatch):
    """Two first ratings of the same person: the loser's insert hits the unique
    constraint and becomes an update; one row, exact counters."""
    RatingFactory(asset=library.internal, user=rep, stars=2)
    Asset.objects.filter(pk=library.internal.pk).update(rating_count=1, rating_total=2)
    real_filter = Rating.objects.filter
    calls = {"n": 0}

    class Nothing:
        def first(self):
            return None

    def racing_filter(*args, **kwargs):
        # The first lookup misses the row the other request just inserted.
        calls["n"] += 1
        if calls["n"] == 1:
            return Nothing()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Rating.objects, "filter", racing_filter)
    rating = rating_set(user=rep, asset=library.internal, stars=5)
    monkeypatch.undo()
    assert Rating.objects.filter(asset=library.internal).count() == 1
    assert rating.stars == 5
    assert Rating.objects.get().stars == 5
    assert counters(library.internal) == (1, 5)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
)
def test_two_simultaneous_ratings_by_the_same_person_leave_one(marketer):
    from tests.content.playbook.conftest import with_version
    from tests.factories import AssetFactory, StageFactory

    stage = StageFactory(name="Demo", slug="demo")
    asset = with_version(AssetFactory(owner=marketer, stages=[stage]))
    raters = [UserFactory(username=f"racer{i}") for i in range(3)]
    barrier = threading.Barrier(6)
    errors = []

    def rate(user, stars):
        try:
            barrier.wait(timeout=10)
            rating_set(user=user, asset=asset, stars=stars)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            # Every alias this thread opened, or the test database outlives the run.
            connections.close_all()

    threads = [
        threading.Thread(target=rate, args=(user, stars))
        for user in raters
        for stars in (2, 4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert Rating.objects.filter(asset=asset).count() == 3
    asset.refresh_from_db()
    totals = sum(Rating.objects.filter(asset=asset).values_list("stars", flat=True))
    assert (asset.rating_count, asset.rating_total) == (3, totals)


# Through the page ---------------------------------------------------------------


def test_rating_without_javascript_redirects_back_with_a_message(rep_client, library):
    response = rep_client.post(
        rate_url(library.internal), {"stars": "4", "comment": "Handy"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("content:asset", kwargs={"pk": library.internal.pk})
    )
    assert Rating.objects.get().comment == "Handy"


def test_rating_with_htmx_returns_the_widget_in_place(rep_client, library):
    response = rep_client.post(
        rate_url(library.internal), {"stars": "5"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b'id="rating-panel"' in response.content
    assert b"Saved: 5 out of 5" in response.content
    assert b"<html" not in response.content


@pytest.mark.parametrize(
    "data", [{"stars": "0"}, {"stars": "6"}, {"stars": "five"}, {}, {"stars": ""}]
)
def test_bad_rating_posts_show_a_clear_error_and_change_nothing(
    rep_client, rep, library, data
):
    RatingFactory(asset=library.internal, user=rep, stars=3)
    response = rep_client.post(rate_url(library.internal), data)
    assert response.status_code == 400
    assert b"Choose from 1 to 5 stars." in response.content
    assert Rating.objects.get().stars == 3
    htmx = rep_client.post(
        rate_url(library.internal), data, headers={"HX-Request": "true"}
    )
    assert b"Choose from 1 to 5 stars." in htmx.content
    assert b"You rated this 3 out of 5" in htmx.content
    assert Rating.objects.get().stars == 3


def test_partner_gets_404_rating_an_internal_asset(partner_client, library):
    response = partner_client.post(rate_url(library.internal), {"stars": "5"})
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_rating_requires_post(rep_client, library):
    assert rep_client.get(rate_url(library.internal)).status_code == 405


def test_service_module_exposes_the_contract():
    import inspect

    params = inspect.signature(feedback.rating_set).parameters
    assert list(params) == ["user", "asset", "stars", "comment"]
    assert all(p.kind is p.KEYWORD_ONLY for p in params.values())


def test_integrity_error_is_not_swallowed_for_other_reasons(rep, library, monkeypatch):
    def broken_save(*args, **kwargs):
        raise IntegrityError("disk on fire")

    monkeypatch.setattr(Rating, "save", broken_save)
    with pytest.raises(IntegrityError):
        rating_set(user=rep, asset=library.internal, stars=3)
