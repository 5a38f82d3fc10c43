"""In-process timing of keyword-only vs hybrid ranking on DATABASE_URL's library
(a seed_scale or demo database, embedded with `reindex_search`), and the memory
the model and the vector index add to a worker.

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 python tests/search_eval/bench.py

Rankings are computed directly (no cache), as rep: the eval's queries, each run
ROUNDS times; p50 and p99 per mode.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
    os.environ["WINGMAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="searchbench-")
    import django

    django.setup()
    from accounts.models import User
    from content.models import Asset, SearchChunk
    from content.selectors.search import search_assets
    from content.selectors.search_page import hybrid_ranking, keyword_ranking
    from content.semantic.encoders import get_encoder
    from content.semantic.index import current_index

    user = User.objects.filter(role="rep", is_active=True).order_by("pk").first()
    queries = [
        q["query"]
        for q in json.loads(ROOT.joinpath("tests/search_eval/queries.json").read_text())
    ]
    base = rss_mb()
    get_encoder()
    model = rss_mb()
    index = current_index()
    loaded = rss_mb()
    out(
        f"{Asset.objects.count():,} assets, {SearchChunk.objects.count():,} chunks; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    out(
        f"memory: model +{model - base:.0f} MB, index +{loaded - model:.0f} MB "
        f"({index.nbytes / 1e6:.0f} MB of vectors)"
    )
    timings: dict[str, list[float]] = {"keyword": [], "hybrid": []}
    for _ in range(ROUNDS):
        for query in queries:
            started = time.perf_counter()
            keyword_ranking(search_assets(user=user, query=query))
            timings["keyword"].append(time.perf_counter() - started)
            started = time.perf_counter()
            hybrid_ranking(user=user, query=query)
            timings["hybrid"].append(time.perf_counter() - started)
    for mode, took in timings.items():
        took.sort()
        p50 = took[len(took) // 2] * 1000
        p99 = took[min(len(took) - 1, int(len(took) * 0.99))] * 1000
        out(f"{mode:8} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")
    ratio = (
        sorted(timings["hybrid"])[len(queries) * ROUNDS // 2]
        / sorted(timings["keyword"])[len(queries) * ROUNDS // 2]
    )
    out(f"hybrid p50 / keyword p50: {ratio:.2f}; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
