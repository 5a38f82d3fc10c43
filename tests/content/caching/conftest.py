"""Two gunicorn workers, each with its own cache, in one test process.

`worker("a")` points the default cache at a location of its own for the time of
the `with` block: requests and services run inside it read and write that
worker's cache only, as two processes on per-process caches would. The caches
keep their contents between blocks, so a test can warm worker B, change the
library through worker A, and read through worker B's stale cache again.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.core.cache import cache
from django.test import override_settings

WORKERS = ("a", "b")


@contextmanager
def worker(name: str) -> Iterator[None]:
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"wingman-worker-{name}",
            }
        }
    ):
        yield


@pytest.fixture
def workers() -> Iterator[Callable[[str], AbstractContextManager[None]]]:
    """`with workers("a"): ...` runs the block on worker a's own cache."""
    for name in WORKERS:
        with worker(name):
            cache.clear()
    yield worker
    for name in WORKERS:
        with worker(name):
            cache.clear()


@pytest.fixture
def bulk_assets(marketer):
    """`bulk_assets(n, stage)`: n published internal assets about pricing."""
    from tests.factories import AssetFactory

    def make(n: int, stage) -> list:
        return [
            AssetFactory(
                owner=marketer,
                stages=[stage],
                title=f"Bulk asset {i} about pricing",
                search_text=f"Bulk asset {i} about pricing",
                rating_count=i % 4,
                rating_total=(i % 4) * 4,
            )
            for i in range(n)
        ]

    return make
