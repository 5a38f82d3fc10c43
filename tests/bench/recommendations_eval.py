"""Offline check of "Recommended next": does the top 5 find the planted winners?

    python tests/bench/recommendations_eval.py [--deals 3000] [--seed 7]

Builds a synthetic library in a throwaway SQLite database (migrated from
scratch), with *planted winners*: for each stage and competitor, two assets that
raise the chance of winning deals against that competitor when used at that
stage. Usage is skewed toward popular assets, which help no more than any other.
Then, for every deal with a competitor closed in the last 60 days, it ranks the
stage's assets with the real ranking (`content.selectors.recommendations`),
on the data known when the deal was created only, and prints:

- how often the top 5 held a planted winner for the deal's stage and competitor;
- the same for a plain "most used at this stage" top 5 (the baseline).

Self-contained on purpose: seed_scale plants no winners today; when it does,
point `evaluate()` at its database instead of `build()`.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAGES = 6
ASSETS_PER_STAGE = 40
COMPETITORS = ["Rivalry Inc", "Acme Analytics", "Globex Reports"]
WINNERS_PER_PAIR = 2
BASE_WIN, WINNER_LIFT = 0.30, 0.35
HISTORY_DAYS, WINDOW_DAYS = 365, 60


def setup_django(db_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = db_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n_deals: int, seed: int) -> dict:
    """The synthetic world; returns the planted winners per (stage, competitor)."""
    from django.utils import timezone

    from accounts.models import Role, User
    from content.models import Asset, Deal, DealOutcome, Stage, Usage

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    now = timezone.now()
    owner = User.objects.create(username="eval-marketer", role=Role.MARKETER)
    reps = [
        User.objects.create(username=f"eval-rep{i}", role=Role.REP) for i in range(20)
    ]
    stages = [
        Stage.objects.create(name=f"Stage {i}", slug=f"stage-{i}", order=i)
        for i in range(STAGES)
    ]
    by_stage: dict[int, list[int]] = {}
    for stage in stages:
        assets = Asset.objects.bulk_create(
            Asset(
                kind="deck",
                title=f"{stage.name} asset {i}",
                owner=owner,
                status="published",
                published_at=now - timedelta(days=HISTORY_DAYS + 30),
            )
            for i in range(ASSETS_PER_STAGE)
        )
        Asset.stages.through.objects.bulk_create(
            Asset.stages.through(asset_id=a.pk, stage_id=stage.pk) for a in assets
        )
        by_stage[stage.pk] = [a.pk for a in assets]
    winners = {}
    for stage in stages:
        pool = by_stage[stage.pk]
        for competitor in COMPETITORS:
            # Anywhere in the popularity ranks: a popular winner is the
            # baseline's lucky case.
            winners[(stage.pk, competitor)] = set(rng.sample(pool, WINNERS_PER_PAIR))
    weights = [1 / (rank + 3) for rank in range(ASSETS_PER_STAGE)]
    deals, usages = [], []
    for j in range(n_deals):
        stage = rng.choice(stages)
        competitor = rng.choice(COMPETITORS + [""])
        created = now - timedelta(days=rng.uniform(40, HISTORY_DAYS))
        used = set(rng.choices(by_stage[stage.pk], weights=weights, k=3))
        if rng.random() < 0.25:
            # Some reps try a less popular asset: how winners get noticed at all.
            used.add(rng.choice(by_stage[stage.pk]))
        lift = competitor and used & winners[(stage.pk, competitor)]
        won = rng.random() < BASE_WIN + (WINNER_LIFT if lift else 0)
        closed_at = created + timedelta(days=rng.uniform(10, 40))
        deals.append(
            Deal(
                name=f"Deal {j}",
                account=f"Account {j}",
                amount=rng.randrange(5, 200) * 1000,
                stage=stage,
                competitor=competitor,
                outcome=DealOutcome.WON if won else DealOutcome.LOST,
                closed_at=closed_at,
                owner=rng.choice(reps),
            )
        )
        usages.append((j, stage.pk, created, used))
    deals = Deal.objects.bulk_create(deals)
    Deal.objects.bulk_update(
        [_with_created(d, u[2]) for d, u in zip(deals, usages, strict=True)],
        ["created_at"],
    )
    Usage.objects.bulk_create(
        Usage(
            deal=deals[j],
            asset_id=asset_id,
            stage_id=stage_id,
            user_id=deals[j].owner_id,
        )
        for j, stage_id, _created, used in usages
        for asset_id in used
    )
    for j, _stage_id, created, _used in usages:
        Usage.objects.filter(deal=deals[j]).update(
            created_at=created + timedelta(days=2)
        )
    return winners


def _with_created(deal, created):
    deal.created_at = created
    return deal


def evaluate(winners: dict) -> dict:
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import User
    from content.models import Deal, Usage
    from content.selectors.recommendations import evidence_for, rank, stage_reach

    now = timezone.now()
    rep = User.objects.filter(role="rep").first()
    recent = Deal.objects.filter(
        closed_at__gte=now - timedelta(days=WINDOW_DAYS)
    ).exclude(competitor="")
    hits = Counter()
    n = 0
    for deal in recent.select_related("stage"):
        planted = winners[(deal.stage_id, deal.competitor)]
        as_of = deal.created_at
        evidence = evidence_for(
            user=rep, deal=deal, exclude=set(), now=now, as_of=as_of
        )
        top = rank(evidence, stage_reach(deal=deal, as_of=as_of))[:5]
        before = rank(evidence)[:5]  # the Beta score alone, as before issue 15
        baseline = list(
            Usage.objects.filter(stage_id=deal.stage_id, created_at__lt=as_of)
            .exclude(deal=deal)
            .values("asset_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "asset_id")
            .values_list("asset_id", flat=True)[:5]
        )
        n += 1
        hits["recommendations"] += bool(planted & set(top))
        hits["beta score only"] += bool(planted & set(before))
        hits["most used"] += bool(planted & set(baseline))
    return {"deals": n, **{k: hits[k] / n if n else 0.0 for k in hits}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "eval.sqlite3"))
        started = time.perf_counter()
        winners = build(args.deals, args.seed)
        result = evaluate(winners)
        seconds = time.perf_counter() - started
    load = os.getloadavg()[0]
    print(f"Recommendations offline check ({args.deals} deals, seed {args.seed})")  # noqa: T201
    print(  # noqa: T201
        f"  deals closed in the last {WINDOW_DAYS} days, with a competitor: "
        f"{result['deals']}"
    )
    for name in ("recommendations", "beta score only", "most used"):
        print(  # noqa: T201
            f"  top 5 held a planted winner, {name:>15}: {result.get(name, 0):.0%}"
        )
    print(f"  ({seconds:.1f} s, load average {load:.2f})")  # noqa: T201


if __name__ == "__main__":
    main()
