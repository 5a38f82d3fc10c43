"""The Bayesian rating has one home (content.rating): its Python and SQL forms agree."""

import pytest

from content.models import Asset
from content.rating import (
    BAYES_PRIOR_WEIGHT,
    bayesian_average,
    bayesian_rating,
    bayesian_score,
)
from tests.factories import AssetFactory


@pytest.mark.django_db
@pytest.mark.parametrize(("total", "count"), [(0, 0), (5, 1), (7, 3), (400, 100)])
def test_python_and_sql_forms_of_the_rating_agree(total, count):
    asset = AssetFactory(rating_total=total, rating_count=count)
    in_sql = (
        Asset.objects.filter(pk=asset.pk)
        .annotate(score=bayesian_rating(mean=3.4))
        .values_list("score", flat=True)
        .get()
    )
    assert in_sql == pytest.approx(bayesian_score(total=total, count=count, mean=3.4))


def test_one_rating_is_pulled_towards_the_mean():
    assert bayesian_score(total=5, count=1, mean=3.0) == pytest.approx(
        (BAYES_PRIOR_WEIGHT * 3.0 + 5) / (BAYES_PRIOR_WEIGHT + 1)
    )


def test_a_report_shows_nothing_for_an_unrated_asset():
    assert bayesian_average(total=0, count=0, prior_mean=3.0) is None
    assert bayesian_average(total=4, count=1, prior_mean=4.0) == pytest.approx(4.0)
