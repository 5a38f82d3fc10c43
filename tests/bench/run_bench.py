"""Wingman's performance benchmark: `make bench` (a script that prints figures).

For each database (SQLite always; PostgreSQL when DATABASE_URL is set, or --db):
1. builds two seeded databases once (seed_scale: 100,000 assets and the 1,000-asset
   baseline) and reuses them while the models stay the same; on PostgreSQL they
   are named after DATABASE_URL's database: <name>_large and <name>_small;
2. serves each with gunicorn (2 sync workers, as in production on 2 cores) and
   measures every page with wrk at 8 connections for a fixed time, after a 2 s
   warm-up run that is discarded: requests/s, p50, p99, and the ratio of
   throughput to the framework floor of the same run;
3. measures every page in-process with Django's test client (median of 3
   interleaved rounds), and counts its SQL queries (CaptureQueriesContext);
4. checks the CSV export streams with flat worker memory and that a 100 MB upload
   does not grow the worker by more than 30 MB;
5. with the task worker (db_worker) running beside gunicorn, measures the rep's
   asset page on the quiet site and again while a marketer uploads the hostile
   DOCX (23 KB, 15 MiB unpacked) and the 300-page PDF (tests/content/tasks/
   hostile.py): p50/p99, non-2xx answers, each upload's time and its job's outcome;
6. writes tests/bench/results/<db>-<date>.json and latest-<db>.md.

The floor is /healthz: a trivial view behind the very same middleware stack, asked
without a session (so it touches no database). Pages that do not exist yet are
reported as "missing".

    .venv/bin/python tests/bench/run_bench.py [--db sqlite|postgres|both]
        [--duration 10] [--requests 1000] [--reseed] [--profile stage]
        [--small-only]   # the 1,000-asset database only, printed, nothing written
        [--search-only]  # keyword against hybrid search only (search_rows.py)
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# The sibling modules, also when this file is loaded by path (tests, run_load).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402 - after the path; re-exported for run_load
    PYTHON,
    RESULTS,
    ROOT,
    SIZES,
    Server,
    db_env,
    ensure_database,
    log,
    wrk,
)
from pages import in_process  # noqa: E402
from report import hostile_markdown, markdown, report  # noqa: E402
from search_rows import markdown as search_markdown  # noqa: E402
from search_rows import search_rows  # noqa: E402
from uploads import hostile_uploads, upload_memory  # noqa: E402

__all__ = ["ROOT", "SIZES", "Server", "db_env", "ensure_database", "log", "main"]

# -- the run ------------------------------------------------------------------


def measure(db: str, size: str, env: dict[str, str], args) -> dict:
    log(f"== {db}, {size}: in-process measurement")
    child = [PYTHON, __file__, "--child", "--requests", str(args.requests),
             "--page-seconds", str(args.page_seconds)]  # fmt: skip
    if size == "small":
        child += ["--only", "asset page" if args.small_only else "stage page"]
    if args.profile and size == "large":
        child += ["--profile", args.profile]
    out = subprocess.run(  # noqa: S603
        child, cwd=ROOT, env={**env, "BENCH_DB": db}, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        # The child's traceback is the only clue to what broke: show it.
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the in-process measurement failed ({out.returncode})")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    server = Server(env)
    try:
        for entry in data["pages"]:
            if entry["status"] != 200:
                continue
            log(f"   wrk {args.duration}s at 8 connections: {entry['page']}")
            is_export = entry["page"].startswith("CSV")
            if not is_export:
                # Discarded: each worker's first requests fill its caches (kind
                # counts, tiles, rankings); the measured run is the steady state.
                wrk(server.base + entry["url"], data["cookies"][entry["role"]], 2)
            before = server.peak_rss_mb() if is_export else None
            # A full export takes seconds: a longer run and timeout, fewer samples.
            entry["wrk"] = wrk(
                server.base + entry["url"],
                data["cookies"][entry["role"]],
                max(args.duration, 20) if is_export else args.duration,
                timeout=60 if is_export else 10,
            )
            if is_export:
                after = server.peak_rss_mb()
                entry["worker_peak_mb_before"] = round(max(before.values()), 1)
                entry["worker_peak_mb_after"] = round(max(after.values()), 1)
        if size == "large":
            data["upload"] = upload_memory(server, env)
        if size == "large" or args.small_only:
            data["hostile"] = hostile_uploads(server, env, data, args)
    finally:
        server.stop()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None)
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds/page")
    parser.add_argument("--requests", type=int, default=1000, help="in-process/page")
    parser.add_argument(
        "--page-seconds", type=float, default=30, help="in-process budget per page"
    )
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--profile", default=None, help="pyinstrument a page: stage")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", help=argparse.SUPPRESS)
    parser.add_argument(
        "--small-only",
        action="store_true",
        help="only the 1,000-asset database, with the hostile-upload row; prints "
        "the figures and writes no result file (a quick check of the code paths)",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the keyword and hybrid search rows on the 100,000-asset "
        "database (tests/bench/search_rows.py)",
    )
    args = parser.parse_args()
    if args.child:
        in_process(args)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    dbs = {
        "sqlite": ["sqlite"],
        "postgres": ["postgres"],
        "both": ["sqlite", "postgres"],
    }
    chosen = dbs[args.db or ("both" if os.environ.get("DATABASE_URL") else "sqlite")]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for db in chosen:  # one database at a time: the machine has 2 cores
        if args.small_only:
            small = measure(
                db, "small", ensure_database(db, "small", args.reseed), args
            )
            print(json.dumps(small.get("hostile"), indent=2))  # noqa: T201
            print("\n".join(hostile_markdown(small.get("hostile"))))  # noqa: T201
            continue
        large_env = ensure_database(db, "large", args.reseed)
        today = datetime.date.today().isoformat()
        if args.search_only:
            found = search_rows(db, large_env, args)
            name = f"search-{db}-{today}.json"
            (RESULTS / name).write_text(json.dumps(found, indent=2) + "\n")
            table = "\n".join(search_markdown(found)) + "\n"
            (RESULTS / f"latest-search-{db}.md").write_text(table)
            print(table)  # noqa: T201
            continue
        small_env = ensure_database(db, "small", args.reseed)
        large = measure(db, "large", large_env, args)
        small = measure(db, "small", small_env, args)
        result = report(db, large, small, args)
        result["search"] = search_rows(db, large_env, args)
        (RESULTS / f"{db}-{today}.json").write_text(json.dumps(result, indent=2) + "\n")
        table = markdown(result) + "\n".join(search_markdown(result["search"])) + "\n"
        (RESULTS / f"latest-{db}.md").write_text(table)
        print(table)  # noqa: T201


if __name__ == "__main__":
    main()
