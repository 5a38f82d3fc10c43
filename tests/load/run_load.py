"""Load test (`make loadtest`): 50 people for 60 s against gunicorn, then a count.

For each database (SQLite; PostgreSQL too when DATABASE_URL is set, or --db):
builds a fresh 1,000-asset library (seed_scale), serves it with gunicorn (2 sync
workers), runs locust headless (tests/load/locustfile.py: browse, search, rate,
record usage, download), then checks in the database that there was no 5xx and
that every write which answered success is there exactly once: each usage by its
idempotency key, each person's last rating of an asset, and each acknowledged
view and download as one event. A script that prints figures, not a CI test.
"""

import argparse
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import engagement  # noqa: E402 - the engagement scenario (tests/load/engagement.py)
import run_bench  # noqa: E402 - the benchmark's database and server helpers

ROOT = run_bench.ROOT
RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable


def fresh_database(db: str) -> dict[str, str]:
    # Always a fresh library: the run writes to it. 70 users: 50 distinct reps.
    run_bench.SIZES["load"] = ["--scale-small", "--users", "70"]
    return run_bench.ensure_database(db, "load", reseed=True)


def child(mode: str, env: dict[str, str], *paths: str) -> str:
    out = subprocess.run(  # noqa: S603 - our interpreter, this script
        [PYTHON, __file__, f"--{mode}", *paths],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def make_plan(plan_path: str) -> None:
    """Child: sessions, ids and the event counts before the run."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils.crypto import get_random_string

    from content.models import (
        Asset,
        AssetEvent,
        AssetStatus,
        Audience,
        Deal,
        DealOutcome,
        Stage,
    )

    reps = get_user_model().objects.filter(role="rep", is_active=True).order_by("pk")
    published = Asset.objects.filter(status=AssetStatus.PUBLISHED)
    internal = list(published.values_list("pk", flat=True)[:300])
    downloads = [
        {"asset": pk, "version": version}
        for pk, version in published.filter(audience=Audience.INTERNAL).values_list(
            "pk", "current_version"
        )[:50]
    ]
    people = []
    for user in reps:
        client = Client()
        client.force_login(user)
        deals = Deal.objects.filter(owner=user, outcome=DealOutcome.OPEN)
        events = AssetEvent.objects.filter(user=user)
        people.append(
            {
                "id": user.pk,
                "session": client.cookies["sessionid"].value,
                "deals": list(deals.values_list("pk", flat=True)[:20]),
                "assets": internal,
                "downloads": downloads,
                "views_before": events.filter(kind="view").count(),
                "downloads_before": events.filter(kind="download").count(),
            }
        )
    plan = {
        "people": people,
        "csrf_token": get_random_string(32),
        "stages": list(Stage.objects.values("id", "slug")),
        "search_terms": ["security", "pricing", "renewal", "battle card", "Globex"],
    }
    Path(plan_path).write_text(json.dumps(plan))


def verify(plan_path: str, acks_path: str) -> None:
    """Child: every acknowledged write is in the database exactly once."""
    import django

    django.setup()
    from django.db.models import Count

    from content.models import Asset, AssetEvent, Rating, Usage

    plan = json.loads(Path(plan_path).read_text())
    acks = json.loads(Path(acks_path).read_text())
    report = {
        "5xx": [a for a in acks if a["kind"] == "5xx"],
        "missing": [],
        "dupes": [],
    }
    kinds = {}
    for ack in acks:
        kinds[ack["kind"]] = kinds.get(ack["kind"], 0) + 1
    report["acknowledged"] = kinds
    keys = [a["key"] for a in acks if a["kind"] == "usage"]
    found = dict(
        Usage.objects.filter(idempotency_key__in=keys)
        .values_list("idempotency_key")
        .annotate(n=Count("pk"))
    )
    for key in keys:
        if found.get(key, 0) == 0:
            report["missing"].append(("usage", key))
        elif found[key] > 1:
            report["dupes"].append(("usage", key, found[key]))
    last = {}
    for ack in sorted(
        (a for a in acks if a["kind"] == "rating"), key=lambda a: a["seq"]
    ):
        last[ack["user"], ack["asset"]] = ack["stars"]
    for (user, asset), stars in last.items():
        rows = list(Rating.objects.filter(user_id=user, asset_id=asset))
        if len(rows) != 1 or rows[0].stars != stars:
            report["missing"].append(("rating", user, asset, stars, len(rows)))
    for person in plan["people"]:
        events = AssetEvent.objects.filter(user_id=person["id"])
        for kind in ("view", "download"):
            acked = sum(
                1 for a in acks if a["kind"] == kind and a["user"] == person["id"]
            )
            delta = events.filter(kind=kind).count() - person[f"{kind}s_before"]
            if delta < acked:
                report["missing"].append((kind, person["id"], acked, delta))
            elif delta > acked:
                # A request that succeeded but timed out on the client side would
                # be here; with no client timeouts, it means a double write.
                report["dupes"].append((kind, person["id"], acked, delta))
    touched = {a["asset"] for a in acks if "asset" in a}
    for asset in Asset.objects.filter(pk__in=touched).annotate(
        n_ratings=Count("ratings", distinct=True),
        n_usages=Count("usages", distinct=True),
    ):
        if asset.rating_count != asset.n_ratings or asset.usage_count != asset.n_usages:
            report["missing"].append(("counter", asset.pk))
    print(json.dumps(report))  # noqa: T201


def locust_stats(prefix: str) -> dict:
    with Path(f"{prefix}_stats.csv").open() as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
        "by_page": {
            name: {"requests": int(r["Request Count"]), "p99_ms": float(r["99%"])}
            for name, r in rows.items()
            if name != "Aggregated"
        },
    }


def run(db: str, args) -> dict:
    env = fresh_database(db)
    work = Path(tempfile.mkdtemp(prefix="wingman-load-"))
    plan, acks, prefix = work / "plan.json", work / "acks.json", work / "locust"
    child("plan", env, str(plan))
    server = run_bench.Server(env)
    try:
        run_bench.log(f"== {db}: locust, {args.users} users for {args.seconds} s")
        locust = str(Path(PYTHON).with_name("locust"))
        subprocess.run(  # noqa: S603
            [locust, "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "-u", str(args.users), "-r", str(args.users),
             "-t", f"{args.seconds}s", "--host", server.base, "--only-summary",
             "--csv", str(prefix), "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOAD_PLAN": str(plan), "LOAD_ACKS": str(acks)},
            check=False, timeout=args.seconds + 120,
        )  # fmt: skip
    finally:
        server.stop()
    checked = json.loads(child("verify", env, str(plan), str(acks)).strip())
    result = {"db": db, "users": args.users, "seconds": args.seconds}
    result.update(locust=locust_stats(str(prefix)), **checked)
    shutil.rmtree(work, ignore_errors=True)
    return result


def summary(result: dict) -> str:
    stats = result["locust"]
    writes = ", ".join(f"{n:,} {k}s" for k, n in sorted(result["acknowledged"].items()))
    ok = not result["5xx"] and not result["missing"] and not result["dupes"]
    return (
        f"Load test on **{result['db']}**: {result['users']} users for "
        f"{result['seconds']} s against gunicorn (2 sync workers): "
        f"{stats['requests']:,} requests ({stats['rps']} req/s, p50 "
        f"{stats['p50_ms']:.0f} ms, p99 {stats['p99_ms']:.0f} ms), "
        f"{stats['failures']} failed, {len(result['5xx'])} 5xx. Acknowledged "
        f"writes: {writes}; missing {len(result['missing'])}, duplicated "
        f"{len(result['dupes'])}. {'PASS' if ok else 'FAIL'}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--scenario",
        choices=["library", "engagement"],
        default="library",
        help="engagement: 200 prospects' heartbeats and 5 reps (engagement.py)",
    )
    parser.add_argument(
        "--baseline", type=int, default=20, help="engagement: seconds of reps alone"
    )
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--verify", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--engage-plan", help=argparse.SUPPRESS)
    parser.add_argument("--engage-verify", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan:
        return make_plan(args.plan)
    if args.verify:
        return verify(*args.verify)
    if args.engage_plan:
        return engagement.make_plan(args.engage_plan)
    if args.engage_verify:
        return engagement.verify(*args.engage_verify)
    dbs = {
        "sqlite": ["sqlite"],
        "postgres": ["postgres"],
        "both": ["sqlite", "postgres"],
    }
    chosen = dbs[args.db or ("both" if os.environ.get("DATABASE_URL") else "sqlite")]
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed = False
    for db in chosen:
        today = datetime.date.today().isoformat()
        if args.scenario == "engagement":
            result = engagement.run(
                db,
                args,
                child=child,
                fresh_database=fresh_database,
                locust_stats=locust_stats,
            )
            name, text = f"engagement-{db}", engagement.summary(result)
        else:
            result = run(db, args)
            name, text = db, summary(result)
        (RESULTS / f"{name}-{today}.json").write_text(
            json.dumps(result, indent=2) + "\n"
        )
        (RESULTS / f"latest-{name}.md").write_text(text)
        print(text)  # noqa: T201
        failed = failed or "FAIL" in text
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
