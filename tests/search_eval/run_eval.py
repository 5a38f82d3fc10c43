"""`make searcheval`: hit@1, hit@5 and MRR of keyword-only and hybrid search
over the demo library, and the queries each gets wrong.

Uses DATABASE_URL when it is set (a seeded demo); otherwise its own SQLite file
(var/searcheval.sqlite3), migrated and seeded on first use. The user is the
demo rep: published assets, internal and partner ones.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = Path(__file__).with_name("queries.json")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'searcheval.sqlite3'}"
    # Its own cache: rankings are cached, and a shared one may be behind.
    os.environ["WINGMAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="searcheval-cache-")
    # Slide images do not change the text: skip LibreOffice.
    os.environ.setdefault("WINGMAN_JOB_OFFICE_CONVERSION", "false")
    import django

    django.setup()
    from django.core.management import call_command

    from content.models import Asset

    call_command("migrate", verbosity=0)
    if not Asset.objects.exists():
        sys.stdout.write("Seeding the demo library (once)...\n")
        call_command("seed_demo", verbosity=0)


def rank_of(ids: list[int], wanted: set[int]) -> int:
    for position, pk in enumerate(ids, start=1):
        if pk in wanted:
            return position
    return 0


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    setup()
    from accounts.models import User
    from content.models import Asset
    from content.selectors.search_page import search_results

    user = User.objects.get(username="rep")
    titles = dict(Asset.objects.values_list("pk", "title"))
    by_title = {title: pk for pk, title in titles.items()}
    queries = json.loads(QUERIES.read_text())
    figures = {}
    ranks: dict[str, list[int]] = {}
    for mode in ("keyword", "hybrid"):
        found, took = [], []
        for item in queries:
            wanted = {by_title[title] for title in item["want"]}
            started = time.perf_counter()
            results = search_results(
                user=user, query=item["query"], hybrid=mode == "hybrid"
            )
            ids = results._load().ids
            took.append(time.perf_counter() - started)
            found.append(rank_of(ids, wanted))
        ranks[mode] = found
        n = len(found)
        figures[mode] = {
            "hit@1": sum(r == 1 for r in found) / n,
            "hit@5": sum(1 <= r <= 5 for r in found) / n,
            "MRR": sum(1 / r for r in found if r) / n,
            "p50 ms": sorted(took)[n // 2] * 1000,
        }
    out(f"\n{len(queries)} queries, user 'rep', demo library\n")
    out(f"{'':10}{'hit@1':>8}{'hit@5':>8}{'MRR':>8}{'p50 ms':>9}")
    for mode, row in figures.items():
        out(
            f"{mode:10}{row['hit@1']:8.3f}{row['hit@5']:8.3f}{row['MRR']:8.3f}"
            f"{row['p50 ms']:9.1f}"
        )
    kept = [
        i for i, r in enumerate(ranks["keyword"]) if r == 1 and ranks["hybrid"][i] == 1
    ]
    first = sum(r == 1 for r in ranks["keyword"])
    out(
        f"\nKeyword's first-ranked hits that hybrid also ranks first: "
        f"{len(kept)} of {first}" + (f" ({len(kept) / first:.0%})" if first else "")
    )
    gain = figures["hybrid"]["MRR"] - figures["keyword"]["MRR"]
    out(f"MRR gain of hybrid over keyword: {gain:+.3f}")
    for mode in ("keyword", "hybrid"):
        misses = [
            (item, r) for item, r in zip(queries, ranks[mode], strict=True) if r != 1
        ]
        out(f"\n{mode}: {len(misses)} not ranked first")
        for item, r in misses:
            where = f"rank {r}" if r else "not found"
            out(f"  [{item['kind']}] {item['query']!r}: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
