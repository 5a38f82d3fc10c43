"""Does the evidence find what seed_scale planted? (`make bench-evidence`)

Builds (once, reused while the models and the seeding code stay the same) a
SQLite database with seed_scale at the size asked for, then judges every asset
over the last 365 days, as the dashboard does, and scores the verdicts against
the planted truth (content/scale/evidence.py):

- precision: the share of "helps" verdicts that are planted helpers;
- recall: the share of planted helpers found ("helps");
- false helps: the share of assets with no planted effect (and enough deals
  for a verdict) that show "helps"; the nominal rate of a 90 % interval is 5 %
  on this side;

and the same three for today's naive lift (the asset's deals against every
closed deal, with the same interval and minimum), where the stage bias shows.
It also times the dashboard's first load in-process (cache cleared), sorted by
the evidence.

    .venv/bin/python tests/bench/evidence_eval.py [--assets 10000 --deals 60000
        --usages 300000] [--seed 42] [--reseed] [--full]

Other seeds give other libraries with the same rules: the spread of the
figures over a few seeds is the honest reading, not one seed's.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "bench" / ".data"
PYTHON = sys.executable
FULL = {"assets": 100_000, "deals": 200_000, "usages": 1_000_000}
DEFAULT = {"assets": 10_000, "deals": 60_000, "usages": 300_000}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # noqa: T201 - a script's progress


def env_for(path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="enablement.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SQLITE_PATH=str(path),
        MEDIA_ROOT=str(DATA / "media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def fingerprint(sizes: dict[str, int]) -> str:
    digest = hashlib.sha256(json.dumps(sizes, sort_keys=True).encode())
    for path in [
        *sorted((ROOT / "content" / "models").glob("*.py")),
        ROOT / "content" / "scale" / "library.py",
        ROOT / "content" / "scale" / "activity.py",
        ROOT / "content" / "scale" / "evidence.py",
    ]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_database(
    sizes: dict[str, int], reseed: bool, seed: int = 42
) -> dict[str, str]:
    tag = f"{sizes['assets']}-{sizes['deals']}-{sizes['usages']}"
    if seed != 42:
        tag += f"-seed{seed}"
    path = DATA / f"evidence-{tag}.sqlite3"
    marker = path.with_suffix(".json")
    env = env_for(path)
    mark = fingerprint({**sizes, "seed": seed})
    if not reseed and marker.exists() and json.loads(marker.read_text()) == mark:
        return env
    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    log(f"== building {path.name} (seed_scale {sizes})")
    subprocess.run(  # noqa: S603 - our interpreter, our script
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
        check=True,
    )  # fmt: skip
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [
            PYTHON, "manage.py", "seed_scale",
            "--assets", str(sizes["assets"]), "--deals", str(sizes["deals"]),
            "--usages", str(sizes["usages"]),
            "--ratings", str(sizes["assets"] * 2), "--views", str(sizes["assets"] * 5),
            "--seed", str(seed),
        ],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    log(f"   seeded in {time.monotonic() - started:.0f} s")
    marker.write_text(json.dumps(mark))
    return env


def evaluate() -> dict:
    """Child mode: score the verdicts, time the dashboard; print JSON."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import Role, User
    from content.models import Asset, AssetStatus, Deal, DealOutcome, Usage
    from content.scale.evidence import truth_path
    from content.selectors.analytics import Period, evidence
    from content.selectors.analytics.evidence_stats import Side, Verdict, compare

    truth = {int(k): v for k, v in json.loads(truth_path().read_text()).items()}
    period = Period.last(365)
    scope = evidence.EvidenceScope(period=period)
    judged = Asset.objects.exclude(status=AssetStatus.DRAFT)
    started = time.monotonic()
    effects = evidence.effects(scope, among=judged)
    seconds = time.monotonic() - started
    level, min_deals = evidence.evidence_level(), evidence.evidence_min_deals()

    # Today's lift: the asset's closed deals against every closed deal.
    closed = Deal.objects.filter(
        period.q("closed_at"), outcome__in=[DealOutcome.WON, DealOutcome.LOST]
    )
    everyone = Side(closed.filter(outcome=DealOutcome.WON).count(), closed.count())
    pairs = (
        Usage.objects.filter(deal__in=closed)
        .values_list("asset_id", "deal_id", "deal__outcome")
        .distinct()
    )
    naive_counts: dict[int, list[int]] = {}
    for asset_id, _, outcome in pairs.iterator(chunk_size=20000):
        won_closed = naive_counts.setdefault(asset_id, [0, 0])
        won_closed[0] += outcome == DealOutcome.WON
        won_closed[1] += 1
    naive = {
        pk: compare(Side(w, n), everyone, level=level, min_deals=min_deals).verdict
        for pk, (w, n) in naive_counts.items()
    }
    verdicts = {pk: effect.verdict for pk, effect in effects.items()}
    # The same, one asset at a time: what the library-wide correction takes back.
    positions = evidence.stage_positions()
    base = evidence.reach(scope, positions)
    one_by_one = {
        pk: evidence.effect_of(counts, base).verdict
        for pk, counts in evidence.asset_counts(scope, positions, among=judged).items()
    }

    def score(found: dict[int, Verdict]) -> dict:
        helpers = {pk for pk, v in truth.items() if v > 0}
        nulls = {pk for pk, v in truth.items() if v == 0}
        helps = {pk for pk, v in found.items() if v == Verdict.HELPS}
        judged_nulls = {
            pk for pk in nulls if found.get(pk, Verdict.TOO_FEW) != Verdict.TOO_FEW
        }
        hurters = {pk for pk, v in truth.items() if v < 0}
        hurts = {pk for pk, v in found.items() if v == Verdict.HURTS}
        return {
            "helps_verdicts": len(helps),
            "precision": len(helps & helpers) / len(helps) if helps else None,
            "recall": len(helps & helpers) / len(helpers) if helpers else None,
            "false_helps": (
                len(helps & judged_nulls) / len(judged_nulls) if judged_nulls else None
            ),
            "null_assets_judged": len(judged_nulls),
            "hurts_recall": len(hurts & hurters) / len(hurters) if hurters else None,
        }

    # The dashboard's first load: nothing cached, sorted by the evidence.
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    client = Client()
    client.force_login(admin)
    timings, queries = [], 0
    for _ in range(3):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started_page = time.monotonic()
            response = client.get(reverse("content:dashboard") + "?days=90")
            timings.append((time.monotonic() - started_page) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return {
        "assets": Asset.objects.count(),
        "closed_deals_365": everyone.closed,
        "planted_helpers": sum(1 for v in truth.values() if v > 0),
        "planted_hurters": sum(1 for v in truth.values() if v < 0),
        "level": level,
        "min_deals": min_deals,
        "evidence_seconds_365": round(seconds, 2),
        "evidence": score(verdicts),
        "naive_lift": score(naive),
        "one_by_one": score(one_by_one),
        "helpers_by_deals": helpers_by_deals(truth, effects),
        "dashboard_first_load_ms": sorted(timings)[1],
        "dashboard_queries": queries,
    }


def helpers_by_deals(truth: dict[int, float], effects: dict) -> list[list]:
    """Planted helpers by their closed deals in the year: [low, high, helpers,
    found], to see where the ones missed sit."""
    from content.selectors.analytics.evidence_stats import Verdict

    bins = [[0, 69, 0, 0], [69, 140, 0, 0], [140, 280, 0, 0], [280, None, 0, 0]]
    for pk, planted in truth.items():
        if planted <= 0:
            continue
        effect = effects.get(pk)
        n = effect.used.closed if effect is not None else 0
        for row in bins:
            if n >= row[0] and (row[1] is None or n < row[1]):
                row[2] += 1
                row[3] += effect is not None and effect.verdict == Verdict.HELPS
    return bins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, value in DEFAULT.items():
        parser.add_argument(f"--{name}", type=int, default=value)
    parser.add_argument("--full", action="store_true", help="seed_scale's full size")
    parser.add_argument("--seed", type=int, default=42, help="seed_scale's seed")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(evaluate()))  # noqa: T201 - the child's answer
        return
    sizes = FULL if args.full else {k: getattr(args, k) for k in DEFAULT}
    env = ensure_database(sizes, args.reseed, args.seed)
    # The pages use the hashed static files, as in production.
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
        env=env, check=True,
    )  # fmt: skip
    out = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--child"], cwd=ROOT, env=env, check=True,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    lines = [
        f"Evidence on seed_scale: {result['assets']:,} assets, "
        f"{result['closed_deals_365']:,} deals closed in 365 days, "
        f"{result['planted_helpers']} planted helpers, "
        f"{result['planted_hurters']} planted hurters, seed {args.seed} "
        f"(level {result['level']:.0%}, min {result['min_deals']} deals a side; "
        f"load average {load:.1f})",
        f"{'':14}{'precision':>10}{'recall':>8}{'false helps':>13}"
        f"{'helps':>7}{'nulls judged':>14}",
    ]
    for name in ("evidence", "one_by_one", "naive_lift"):
        s = result[name]
        lines.append(
            f"{name:14}{_pct(s['precision']):>10}{_pct(s['recall']):>8}"
            f"{_pct(s['false_helps']):>13}{s['helps_verdicts']:>7}"
            f"{s['null_assets_judged']:>14}"
        )
    lines.append(
        "planted helpers found, by their closed deals in the year: "
        + ", ".join(
            f"{lo}{'+' if hi is None else f'-{hi - 1}'}: {found}/{n}"
            for lo, hi, n, found in result["helpers_by_deals"]
        )
    )
    lines.append(
        "(one_by_one: each asset judged alone, without the correction for "
        "judging the whole library at once; the dashboard shows `evidence`)"
    )
    lines.append(
        "targets: precision >= 80%, recall >= 60%, false helps <= 5% (one side "
        f"of a {result['level']:.0%} interval)"
    )
    lines.append(
        f"evidence over every asset, 365 days: {result['evidence_seconds_365']} s; "
        f"dashboard first load (90 days, cache cleared, median of 3): "
        f"{result['dashboard_first_load_ms']:.0f} ms, "
        f"{result['dashboard_queries']} queries"
    )
    print("\n".join(lines))  # noqa: T201 - the script's report


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


if __name__ == "__main__":
    main()
