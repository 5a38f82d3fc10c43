"""The dashboard's first load at full size, cold cache (issue 15's target:
under 500 ms on SQLite and PostgreSQL at 100,000 assets).

Reuses the 100,000-asset databases `run_bench.py` builds (seed_scale at its
"large" size; run `make bench` once, or `run_bench.py --db both`), applies new
migrations, works the evidence out ahead (`evidence_rebuild`, timed: the
queue's job) and then times, interleaved, `--repeats` times each:

- worked out ahead: the page as it runs with the rows of `AssetEvidence`;
- judged on the page: the same page without them (how it ran before);

and with `--filters`, the same for the page filtered by a stage and by a
competitor (the first of each), which read rows of their own.

Every load starts with the cache cleared. The first load of the process also
compiles the templates (a worker does it once): it is shown, and the range
after it too. Prints each time, the range and
the load average.

    .venv/bin/python tests/bench/dashboard_first_load.py [--db sqlite|postgres]
        [--repeats 3] [--skip-live] [--no-rebuild] [--filters]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

PYTHON = sys.executable


def child(args) -> dict:
    import time

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import Role, User
    from content.models import Asset, Stage
    from content.selectors.analytics import board, evidence
    from content.services.evidence import evidence_rebuild

    result: dict = {"assets": Asset.objects.count()}
    if not args.no_rebuild:
        started = time.monotonic()
        result["rebuild_rows"] = evidence_rebuild()
        result["rebuild_s"] = round(time.monotonic() - started, 1)
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    client = Client()
    client.force_login(admin)
    url = reverse("content:dashboard") + "?days=90"
    urls = {"": url}
    if args.filters:
        stage = Stage.objects.filter(is_active=True).order_by("order", "name").first()
        urls[f" stage={stage.slug}"] = f"{url}&stage={stage.slug}"
        name = evidence.competitors()[0]
        urls[f" competitor={name}"] = f"{url}&competitor={name.replace(' ', '+')}"
    real = board.precomputed_for
    modes = {"ahead": real, "on the page": lambda **kwargs: None}
    if args.skip_live:
        modes.pop("on the page")
    times: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        for view, address in urls.items():
            for mode, finder in modes.items():
                board.precomputed_for = finder
                cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(address)
                    elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.status_code
                times.setdefault(mode + view, []).append(elapsed)
                result[f"queries {mode + view}"] = len(queries)
                as_of = b"evidence-as-of" in response.content
                result[f"as of shown {mode + view}"] = as_of
    board.precomputed_for = real
    result["ms"] = {mode: [round(t) for t in ts] for mode, ts in times.items()}
    return result


def main() -> None:
    import harness as run_bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--filters", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))  # noqa: T201 - the child's answer
        return
    env = run_bench.db_env(args.db, "large")
    run_bench.manage(env, "migrate", "--noinput")
    run_bench.manage(env, "collectstatic", "--noinput", "-v0")
    command = [PYTHON, __file__, "--child", "--repeats", str(args.repeats)]
    command += ["--skip-live"] * args.skip_live + ["--no-rebuild"] * args.no_rebuild
    command += ["--filters"] * args.filters
    out = subprocess.run(  # noqa: S603 - our interpreter, our script
        command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    load = open("/proc/loadavg").read().split()[:3]  # noqa: PTH123, SIM115
    print(f"Dashboard first load, 90 days, cache cleared, {args.db}: "  # noqa: T201
          f"{result['assets']:,} assets (load average {' '.join(load)})")  # fmt: skip
    if "rebuild_s" in result:
        print(f"  evidence worked out ahead: {result['rebuild_rows']:,} rows "  # noqa: T201
              f"in {result['rebuild_s']} s (the queue's job)")  # fmt: skip
    for mode, ms in result["ms"].items():
        later = f"; {min(ms[1:])}-{max(ms[1:])} after the first" if len(ms) > 1 else ""
        each = ", ".join(map(str, ms))
        print(f"  {mode:>12}: {min(ms)}-{max(ms)} ms ({each}{later}), "  # noqa: T201
              f"{result[f'queries {mode}']} queries, "
              f"'as of' shown: {result[f'as of shown {mode}']}")  # fmt: skip


if __name__ == "__main__":
    main()
