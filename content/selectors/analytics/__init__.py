"""Analytics reads: every figure of the review dashboard, the asset report and the
action lists, aggregated in the database with a constant number of queries.

Where each figure comes from, so that pages stay fast on a large library:
- views, downloads, unique viewers and uses over a period: the `DailyAssetStat`
  rollup (one row per asset per day, kept current by the event and usage
  services), never the raw event table;
- ratings: the counters on `Asset` (`rating_count`, `rating_total`);
- deal figures: the usage and deal tables, restricted to the assets on the page,
  or, when sorting by a deal figure, driven by the deals closed in the period.

Sorting by a period figure ranks, in one grouped query, only the assets that have
that figure in the period; the others follow in title order. The definitions are
in `DEFINITIONS` and shown on the dashboard.
"""

from content.selectors.analytics.base import (
    DEFAULT_PERIOD_DAYS,
    DEFAULT_SORT,
    DEFINITIONS,
    EXPIRING_DAYS,
    EXPORT_CHUNK,
    LOW_RATING_BELOW,
    LOW_RATING_MIN_COUNT,
    MAX_PERIOD_DAYS,
    PAGE_SIZE,
    PERIOD_CHOICES,
    SORTS,
    UNUSED_DAYS,
    Adoption,
    AssetFigures,
    AssetFilters,
    Period,
    Totals,
    WinRate,
    analytics_assets,
    bayesian_average,
    definitions,
    lift,
    min_closed_deals,
)
from content.selectors.analytics.board import (
    Dashboard,
    dashboard,
    dashboard_export_rows,
)
from content.selectors.analytics.figures import (
    adoption,
    asset_figures,
    deal_stats,
    deals_used_in,
    library_totals,
    overall_win_rate,
    period_stats,
)
from content.selectors.analytics.lists import (
    LOW_RATED_COMMENTS,
    CoverageRow,
    coverage,
    expiring_assets,
    low_rated_assets,
    open_requests,
    ratings_for_export,
    search_gaps,
    stages_by_id,
    stale_assets,
    unused_assets,
    usages_for_export,
    with_last_active,
)
from content.selectors.analytics.ranking import RankedAssets, sorted_assets
from content.selectors.analytics.report import (
    AssetReport,
    VersionFigures,
    WeekFigures,
    asset_deals,
    asset_for_report,
    asset_rating_comments,
    asset_report,
    asset_star_counts,
    asset_unanswered_comments,
    asset_version_figures,
    asset_weeks,
    deals_for_rows,
)

__all__ = [
    "DEFINITIONS",
    "SORTS",
    "Adoption",
    "AssetFigures",
    "AssetFilters",
    "AssetReport",
    "CoverageRow",
    "DEFAULT_PERIOD_DAYS",
    "DEFAULT_SORT",
    "Dashboard",
    "EXPIRING_DAYS",
    "EXPORT_CHUNK",
    "LOW_RATED_COMMENTS",
    "LOW_RATING_BELOW",
    "LOW_RATING_MIN_COUNT",
    "MAX_PERIOD_DAYS",
    "PAGE_SIZE",
    "PERIOD_CHOICES",
    "Period",
    "RankedAssets",
    "Totals",
    "UNUSED_DAYS",
    "VersionFigures",
    "WeekFigures",
    "WinRate",
    "adoption",
    "analytics_assets",
    "asset_deals",
    "deals_for_rows",
    "asset_figures",
    "asset_for_report",
    "asset_rating_comments",
    "asset_report",
    "asset_star_counts",
    "asset_unanswered_comments",
    "asset_version_figures",
    "asset_weeks",
    "bayesian_average",
    "coverage",
    "dashboard",
    "dashboard_export_rows",
    "deal_stats",
    "deals_used_in",
    "definitions",
    "expiring_assets",
    "library_totals",
    "lift",
    "low_rated_assets",
    "min_closed_deals",
    "open_requests",
    "overall_win_rate",
    "period_stats",
    "ratings_for_export",
    "search_gaps",
    "sorted_assets",
    "stages_by_id",
    "stale_assets",
    "unused_assets",
    "with_last_active",
    "usages_for_export",
]
