"""The one id-paging base: a list for Django's Paginator that holds ids, not rows.

Big lists (a stage's assets, a search's matches, the analytics ranking) work
out which ids a page shows, maybe from a cache, and only then fetch that page's
rows, through the user's visibility again. A subclass says how many there are
(`__len__`) and how to compute a page's ids (`fresh_ids`); the base caches the
ids per page under `key` (none when the key is empty), fetches the rows
(`rows`, by default `assets_in_order`: visibility asked again) and, should
cached ids name an asset the user may no longer see, computes the page again
and re-caches it, so a page refills rather than coming up short.

Hooks for lists that keep their ids differently: override `page_ids` (where a
page's ids come from, and whether they are fresh), `recomputed_ids` (how they
are computed again when a cached page comes up short) and `rows` (how ids become
rows, e.g. through a filtered queryset instead of `assets_in_order`).

The lists on it: a stage's assets (`KindGroupedAssets`, ids cached per page),
a search's matches (`SearchResults`: the whole ranking is cached, so it keeps
its own `page_ids`) and the analytics ranking (`RankedAssets`: ranked ids,
then the unranked rest by title, in one query by `rows`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.paginator import Page, Paginator

if TYPE_CHECKING:
    from content.models import Asset


def page_of(
    object_list, per_page: int, page: str | None, *, count: int | None = None
) -> Page:
    """Page `page` (as the URL gives it) of `object_list`; the one paginator."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        # The caller already knows the total (e.g. from per-kind counts): no COUNT(*).
        paginator.count = count
    return paginator.get_page(page)


class IdPages:
    def __init__(self, *, user, key: str = "", seconds: int = 60) -> None:
        self.user = user
        self.key = key
        self.seconds = seconds

    def __len__(self) -> int:
        raise NotImplementedError

    def count(self) -> int:
        return len(self)

    def fresh_ids(self, start: int, stop: int) -> list[int]:
        """The ids at positions start..stop, computed from the database."""
        raise NotImplementedError

    def page_ids(self, start: int, stop: int) -> tuple[list[int], bool]:
        """The page's ids and whether they were just computed (not cached)."""
        key = f"{self.key}:{start}:{stop}"
        ids = cache.get(key) if self.key else None
        if ids is not None:
            return ids, False
        return self.recomputed_ids(start, stop), True

    def recomputed_ids(self, start: int, stop: int) -> list[int]:
        """The page's ids computed now (and re-cached): a hook for lists that
        cache something else than a page's ids."""
        ids = self.fresh_ids(start, stop)
        if self.key:
            cache.set(f"{self.key}:{start}:{stop}", ids, self.seconds)
        return ids

    def rows(self, ids: list[int], start: int, stop: int) -> list[Asset]:
        """The page's rows: the ids' assets, the user's visibility asked again.
        (`start`, `stop`: for a list whose pages hold more than ids.)"""
        from content.selectors.search import assets_in_order

        return assets_in_order(ids, user=self.user)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        ids, fresh = self.page_ids(start, stop)
        rows = self.rows(ids, start, stop)
        if len(rows) < len(ids) and not fresh:
            # The cached ids were behind the library: compute the page again.
            rows = self.rows(self.recomputed_ids(start, stop), start, stop)
        return rows
