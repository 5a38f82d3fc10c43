"""The Bayesian rating: the one home of the formula, in Python and in SQL.

    score = (C * m + rating_total) / (C + rating_count)

C (`BAYES_PRIOR_WEIGHT`) ratings' worth of the library mean m pull a small
sample towards the middle, so one 5-star rating does not top the library. The
rating services store it in `Asset.rating_score` (the Python form, one asset at
a time); `refresh_rating_scores` re-bases every asset with the SQL form when the
library mean moves; analytics shows it per asset. Change both forms together:
tests check they agree.
"""

from django.core.cache import cache
from django.db.models import ExpressionWrapper, FloatField, Sum, Value
from django.db.models.functions import Cast

from content.caching import keys
from content.models import Asset, AssetStatus

BAYES_PRIOR_WEIGHT = 5
# The prior before anything is rated.
DEFAULT_MEAN_RATING = 3.0


def library_mean_rating(*, fresh: bool = False) -> float:
    """Mean stars over every published asset's ratings (cached for a few minutes).

    The prior of the Bayesian average moves slowly, so a short cache saves a scan
    of the whole library on every rating; `fresh` recomputes it.
    """
    mean = None if fresh else cache.get(keys.MEAN_RATING_KEY)
    if mean is None:
        totals = Asset.objects.filter(status=AssetStatus.PUBLISHED).aggregate(
            stars=Sum("rating_total"), count=Sum("rating_count")
        )
        mean = (
            totals["stars"] / totals["count"]
            if totals["count"]
            else DEFAULT_MEAN_RATING
        )
        cache.set(keys.MEAN_RATING_KEY, mean, keys.MEAN_RATING.seconds)
    return float(mean)


def bayesian_score(
    *, total: int, count: int, mean: float, weight: int = BAYES_PRIOR_WEIGHT
) -> float:
    """The formula in Python, for one asset: the prior mean when unrated."""
    return (weight * mean + total) / (weight + count)


def bayesian_average(
    *, total: int, count: int, prior_mean: float, weight: int = BAYES_PRIOR_WEIGHT
) -> float | None:
    """The same score for a report: None (nothing to show) when unrated."""
    if not count:
        return None
    return bayesian_score(total=total, count=count, mean=prior_mean, weight=weight)


def bayesian_rating(
    *, mean: float | None = None, prior_weight: int = BAYES_PRIOR_WEIGHT
) -> ExpressionWrapper:
    """The formula in SQL, over `rating_total` and `rating_count` of each row.

    Lists sort by the stored `Asset.rating_score` instead; this expression is
    what `rating_scores_refresh` (refresh_rating_scores) writes into it.
    """
    mean = library_mean_rating() if mean is None else mean
    # Double precision, not numeric: PostgreSQL sorts tens of thousands of
    # numeric quotients about ten times slower.
    return ExpressionWrapper(
        (
            Value(float(prior_weight * mean), output_field=FloatField())
            + Cast("rating_total", FloatField())
        )
        / (
            Value(float(prior_weight), output_field=FloatField())
            + Cast("rating_count", FloatField())
        ),
        output_field=FloatField(),
    )
