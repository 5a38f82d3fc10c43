"""Reads of prospect visits: the share page's pages, the deal's visits, and the
asset report's page attention."""

from dataclasses import dataclass, field
from statistics import median

from django.db.models import Prefetch

from content.models import (
    Asset,
    Deal,
    ShareLink,
    ShareLinkItem,
    ShareVisit,
    ShareVisitPage,
    VersionPage,
)


def share_item_pages(*, items: list[ShareLinkItem]) -> dict[int, list[VersionPage]]:
    """Item pk -> the page images of its current version, in one query."""
    by_version: dict[int, list[VersionPage]] = {}
    version_ids = [item.asset.current_version_id for item in items]
    for page in (
        VersionPage.objects.filter(version_id__in=version_ids)
        .only("pk", "version_id", "number", "image", "width", "height", "simplified")
        .order_by("version_id", "number")
    ):
        by_version.setdefault(page.version_id, []).append(page)
    return {
        item.pk: by_version.get(item.asset.current_version_id, []) for item in items
    }


def share_item_page(*, item: ShareLinkItem, number: int) -> VersionPage | None:
    return VersionPage.objects.filter(
        version_id=item.asset.current_version_id, number=number
    ).first()


@dataclass
class VisitBar:
    item_title: str
    number: int
    seconds: float


@dataclass
class VisitRow:
    visit: ShareVisit
    bars: list[VisitBar] = field(default_factory=list)
    # The longest page's seconds: every bar of the visit is drawn against it.
    longest: float = 0.0
    several_documents: bool = False


def _visit_rows(visits) -> list[VisitRow]:
    rows = []
    for visit in visits.prefetch_related(
        Prefetch(
            "pages",
            queryset=ShareVisitPage.objects.select_related("item__asset").order_by(
                "item__position", "item_id", "number"
            ),
        )
    ):
        pages = list(visit.pages.all())
        rows.append(
            VisitRow(
                visit=visit,
                bars=[
                    VisitBar(
                        item_title=p.item.asset.title,
                        number=p.number,
                        seconds=round(p.seconds, 1),
                    )
                    for p in pages
                ],
                longest=max((p.seconds for p in pages), default=0.0),
                several_documents=len({p.item_id for p in pages}) > 1,
            )
        )
    return rows


def deal_visits(*, user, deal: Deal, limit: int = 20) -> list[VisitRow]:
    """The latest prospect visits of `deal`'s links, each with its time per page.

    Only the deal's owner sees them; two queries whatever the number of visits.
    """
    if deal.owner_id != user.pk:
        return []
    return _visit_rows(
        ShareVisit.objects.filter(share__deal=deal)
        .select_related("share")
        .order_by("-started_at", "-id")[:limit]
    )


def share_visits(*, share: ShareLink, limit: int = 50) -> list[VisitRow]:
    """The latest visits of one link (its creator's page); two queries."""
    return _visit_rows(
        ShareVisit.objects.filter(share=share)
        .select_related("share")
        .order_by("-started_at", "-id")[:limit]
    )


@dataclass
class PageAttention:
    number: int
    median_seconds: float
    # Share of the asset's visits that reached the page, in percent.
    reached_percent: int
    visits: int


def asset_page_attention(*, asset: Asset) -> tuple[int, list[PageAttention]]:
    """Across all prospect visits of `asset` (any link, its current version's
    page count): the median seconds on each page among the visits that saw it,
    and the share of visits that reached it. Returns (visits, pages)."""
    rows = list(
        ShareVisitPage.objects.filter(item__asset=asset, seconds__gt=0).values_list(
            "visit_id", "number", "seconds"
        )
    )
    visit_ids = {visit_id for visit_id, _, _ in rows}
    if not visit_ids:
        return 0, []
    page_count = asset.current_version.page_count if asset.current_version else 0
    page_count = max(page_count, max(number for _, number, _ in rows))
    seconds_by_page: dict[int, list[float]] = {}
    deepest: dict[int, int] = {}
    for visit_id, number, seconds in rows:
        seconds_by_page.setdefault(number, []).append(seconds)
        deepest[visit_id] = max(deepest.get(visit_id, 0), number)
    total = len(visit_ids)
    pages = []
    for number in range(1, page_count + 1):
        seen = seconds_by_page.get(number, [])
        reached = sum(1 for depth in deepest.values() if depth >= number)
        pages.append(
            PageAttention(
                number=number,
                median_seconds=round(median(seen), 1) if seen else 0.0,
                reached_percent=round(100 * reached / total),
                visits=len(seen),
            )
        )
    return total, pages
