"""The benchmark's search rows: keyword-only against hybrid search on the
100,000-asset library (issue 16), in the same run, interleaved.

Two measurements, each repeated REPEATS times, keyword and hybrid in turn:

1. in process (a child with the database's settings), the whole search page's
   selector (`search_page`: ranking, the any-word query, the visibility filter
   over the candidates, the page's rows, tiles and excerpts) for each of the
   evaluation set's queries as the rep, with the ranking cache bypassed: what
   a search nobody asked in the last minute costs. p50 and p99 of each mode;
2. over HTTP, gunicorn (2 sync workers) with WINGMAN_SEARCH_HYBRID on or off,
   wrk on the search page for SEARCH_TERM and for a rep's question: the steady
   state, where repeated searches come from the ranking cache; and each
   worker's resident memory after it (VmRSS), whose difference is the memory
   hybrid search adds to a worker (model, mapped index pages, tail scan).

    .venv/bin/python tests/bench/run_bench.py --search-only [--db ...]
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from harness import PYTHON, ROOT, SEARCH_TERM, Server, log, manage, wrk

REPEATS = 3
HTTP_QUERIES = (SEARCH_TERM, "customer worried about security compliance")
MODES = ("keyword", "hybrid")
SESSION = (
    "from django.test import Client; from accounts.models import User;"
    "c = Client(); c.force_login(User.objects.get(username='rep'));"
    "print(c.cookies['sessionid'].value)"
)


def search_rows(db: str, env: dict[str, str], args) -> dict:
    cookie = "sessionid=" + manage(env, "shell", "-c", SESSION).stdout.split()[-1]
    runs: list[dict] = []
    for repeat in range(1, REPEATS + 1):
        for mode in MODES:
            mode_env = {**env, "WINGMAN_SEARCH_HYBRID": str(mode == "hybrid").lower()}
            log(f"   search, {mode} ({repeat}/{REPEATS}): in process")
            run = {"repeat": repeat, "mode": mode, **_in_process(mode_env, mode)}
            run["load"] = os.getloadavg()[0]
            server = Server(mode_env)
            try:
                for query in HTTP_QUERIES:
                    url = f"{server.base}/search/?q={quote(query)}"
                    log(f"   wrk {args.duration}s: search, {mode}: {query}")
                    wrk(url, cookie, 2)
                    run.setdefault("wrk", {})[query] = wrk(url, cookie, args.duration)
                run["worker_rss_mb"] = max(_rss_mb(server).values())
            finally:
                server.stop()
            runs.append(run)
    return {"db": db, "runs": runs, "summary": _summary(runs)}


def _rss_mb(server: Server) -> dict[int, float]:
    sizes = {}
    for pid in server.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes[pid] = int(match.group(1)) / 1024
    return sizes


def _in_process(env: dict[str, str], mode: str) -> dict:
    out = subprocess.run(  # noqa: S603 - our interpreter, this script
        [PYTHON, __file__, "--child", mode], cwd=ROOT, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the in-process search measurement failed ({mode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict]) -> dict:
    """Per mode, the range over the repeats of each figure; and the ratios."""
    summary: dict = {}
    for mode in MODES:
        mine = [run for run in runs if run["mode"] == mode]
        row = {
            "inproc_p50_ms": _span(r["p50_ms"] for r in mine),
            "inproc_p99_ms": _span(r["p99_ms"] for r in mine),
            "worker_rss_mb": _span(r["worker_rss_mb"] for r in mine),
            "load": _span(r["load"] for r in mine),
        }
        for query in HTTP_QUERIES:
            p50s = [r["wrk"][query]["p50_ms"] for r in mine]
            p99s = [r["wrk"][query]["p99_ms"] for r in mine]
            # Repeats in which no request finished (no latency to report).
            none = sum(1 for r in mine if not r["wrk"][query]["requests"])
            row[f"wrk {query}"] = {
                "p50_ms": _span(p50s),
                "p99_ms": _span(p99s),
                "none_finished": none,
            }
        summary[mode] = row
    pairs = list(zip(runs[0::2], runs[1::2], strict=True))
    summary["p50_ratio"] = sorted(
        round(hybrid["p50_ms"] / keyword["p50_ms"], 2) for keyword, hybrid in pairs
    )
    summary["rss_added_mb"] = sorted(
        round(hybrid["worker_rss_mb"] - keyword["worker_rss_mb"], 1)
        for keyword, hybrid in pairs
    )
    return summary


def markdown(result: dict) -> list[str]:
    s = result["summary"]
    lines = [
        "",
        f"Search at 100,000 assets ({REPEATS} interleaved repeats, ranges): "
        f"in process, the search page's selector over the evaluation set's "
        f"{s.get('queries', 63)} queries with the ranking cache bypassed; "
        "wrk: the page at 8 connections (repeats come from the ranking cache).",
        "",
        "| search | in-process p50 ms | p99 ms | wrk p50 ms (topic / question) "
        "| worker RSS MB | load |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for mode in MODES:
        row = s[mode]
        wrk_p50 = " / ".join(_wrk_cell(row[f"wrk {q}"]) for q in HTTP_QUERIES)
        lines.append(
            f"| {mode} | {_range(row['inproc_p50_ms'])} "
            f"| {_range(row['inproc_p99_ms'])} | {wrk_p50} "
            f"| {_range(row['worker_rss_mb'], 0)} | {_range(row['load'])} |"
        )
    lines.append(
        f"\nHybrid p50 / keyword p50, each repeat: {s['p50_ratio']} (target 1.5); "
        f"memory hybrid adds to a worker: {s['rss_added_mb']} MB (target 300)."
    )
    return lines


def _span(values) -> list[float] | None:
    values = [v for v in values if v is not None]
    return [min(values), max(values)] if values else None


def _range(pair: list[float] | None, digits: int = 1) -> str:
    if pair is None:
        return "—"
    low, high = (f"{value:,.{digits}f}" for value in pair)
    return low if low == high else f"{low}–{high}"


def _wrk_cell(figures: dict) -> str:
    """The p50 range, and how many repeats finished no request at all (wrk
    then has no latency: not a 0 ms one)."""
    cell = _range(figures["p50_ms"])
    missing = figures.get("none_finished", 0)
    return f"{cell} ({missing} of {REPEATS} runs: none finished)" if missing else cell


# -- the child: the search page's selector, in process -------------------------


class _NoRankingCache:
    """The ranking cache, bypassed: every search ranks again."""

    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs) -> None:
        return None


def child(mode: str) -> None:
    import resource

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from content.selectors import search_page as page_module

    page_module.cache = _NoRankingCache()
    rep = User.objects.get(username="rep")
    queries = [
        q["query"]
        for q in json.loads((ROOT / "tests/search_eval/queries.json").read_text())
    ]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Warm: the model, the index, the tiles of the first pages.
    for query in queries:
        page_module.search_page(user=rep, filters={"query": query}, page=1, per_page=20)
    warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    took = []
    for _ in range(2):
        for query in queries:
            started = time.perf_counter()
            page_module.search_page(
                user=rep, filters={"query": query}, page=1, per_page=20
            )
            took.append((time.perf_counter() - started) * 1000)
    took.sort()
    print(json.dumps({  # noqa: T201 - the parent reads it
        "queries": len(queries), "p50_ms": round(statistics.median(took), 2),
        "p99_ms": round(took[int(len(took) * 0.99)], 2),
        "peak_rss_growth_mb": round(warm - base, 1),
    }))  # fmt: skip


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    child(sys.argv[2])
