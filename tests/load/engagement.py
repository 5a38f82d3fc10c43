"""The engagement scenario of `make loadtest` (`--scenario engagement`): 200
prospects send heartbeats for 60 s to a served site while 5 reps load their
pages.

Checks: no 5xx; every heartbeat the server accepted is stored once (each
visit's beat count and seconds equal the acknowledged ones); and the reps'
pages keep their p99 (a first phase times them with the reps alone).
"""

import json
import shutil
import tempfile
from pathlib import Path

import run_bench

LOCUSTFILE = Path(__file__).with_name("locust_engagement.py")
BEAT_SECONDS = 5
P99_FACTOR = 2
P99_SLACK_MS = 50
LINKS = 20
PAGES = 5


def make_plan(plan_path: str) -> None:
    """Child: share links with page images for the plan's rep, and a session."""
    import io

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.test import Client
    from PIL import Image

    from content.models import (
        Asset,
        AssetStatus,
        Audience,
        Deal,
        DealOutcome,
        Stage,
        VersionPage,
    )
    from content.selectors.sharing import INTERNAL_ONLY_KINDS
    from content.services.sharing import share_create

    rep = get_user_model().objects.filter(role="rep", is_active=True).order_by("pk")[0]
    deals = list(
        Deal.objects.filter(owner=rep, outcome=DealOutcome.OPEN).order_by("pk")[:5]
    )
    assets = list(
        Asset.objects.filter(
            status=AssetStatus.PUBLISHED, current_version__isnull=False
        )
        .exclude(kind__in=INTERNAL_ONLY_KINDS)
        .order_by("pk")[:LINKS]
    )
    Asset.objects.filter(pk__in=[a.pk for a in assets]).update(
        audience=Audience.PARTNERS
    )
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(out, format="PNG")
    png = out.getvalue()
    links = []
    for n, asset in enumerate(assets):
        asset.refresh_from_db()
        version = asset.current_version
        if not VersionPage.objects.filter(version=version).exists():
            for number in range(1, PAGES + 1):
                VersionPage.objects.create(
                    version=version,
                    number=number,
                    image=ContentFile(png, name="page.png"),
                    width=800,
                    height=600,
                )
            version.page_count = PAGES
            version.save(update_fields=["page_count"])
        share, token = share_create(
            user=rep,
            assets=[asset],
            recipient=f"Load prospect {n}",
            deal=deals[n % len(deals)] if deals else None,
        )
        links.append({"pk": share.pk, "token": token, "pages": PAGES})
    client = Client()
    client.force_login(rep)
    plan = {
        "rep_session": client.cookies["sessionid"].value,
        "links": links,
        "deals": [deal.pk for deal in deals],
        "stage": Stage.objects.order_by("order").values_list("slug", flat=True)[0],
    }
    Path(plan_path).write_text(json.dumps(plan))


def verify(plan_path: str, acks_path: str) -> None:
    """Child: each visit holds exactly the beats and seconds acknowledged."""
    import django

    django.setup()
    from django.core import signing

    from content.models import ShareVisit
    from content.services.engagement import VISIT_TOKEN_SALT

    plan = json.loads(Path(plan_path).read_text())
    acks = json.loads(Path(acks_path).read_text())
    beats = [a for a in acks if a["kind"] == "beat"]
    acked: dict[int, list[float]] = {}
    for ack in beats:
        visit_id = signing.loads(ack["t"], salt=VISIT_TOKEN_SALT)["v"]
        acked.setdefault(visit_id, []).append(ack["s"])
    visits = ShareVisit.objects.filter(
        share_id__in=[link["pk"] for link in plan["links"]]
    )
    missing, dupes = [], []
    stored = 0
    for visit in visits:
        mine = acked.pop(visit.pk, [])
        stored += visit.beat_count
        if visit.beat_count < len(mine):
            missing.append((visit.pk, len(mine), visit.beat_count))
        elif visit.beat_count > len(mine):
            dupes.append((visit.pk, len(mine), visit.beat_count))
        elif visit.total_seconds > sum(mine) + 0.01 * len(mine):
            # Stored time may be less than claimed (bounded by real time),
            # never more.
            dupes.append((visit.pk, sum(mine), visit.total_seconds))
    missing.extend((visit_id, len(s), 0) for visit_id, s in acked.items())
    claimed = sum(a["s"] for a in beats)
    kept = sum(v.total_seconds for v in visits)
    report = {
        "seconds_claimed": round(claimed),
        "seconds_stored": round(kept),
        "5xx": [a for a in acks if a["kind"] == "5xx"],
        "acknowledged": {"beat": len(beats)},
        "stored_beats": stored,
        "visits": visits.count(),
        "missing": missing,
        "dupes": dupes,
    }
    print(json.dumps(report))  # noqa: T201


def _locust(env, server, *, users, seconds, prefix, only=None):
    import subprocess

    locust = str(Path(run_bench.PYTHON).with_name("locust"))
    command = [
        locust, "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
        "-r", str(min(users, 50)), "-t", f"{seconds}s", "--host", server.base,
        "--only-summary", "--csv", str(prefix), "--stop-timeout", "10",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    if only:
        command.append(only)
    subprocess.run(  # noqa: S603
        command, cwd=run_bench.ROOT, env=env, check=False, timeout=seconds + 120
    )


def run(db: str, args, *, child, fresh_database, locust_stats) -> dict:
    env = fresh_database(db)
    env = {**env, "WINGMAN_SHARE_HEARTBEAT_SECONDS": str(BEAT_SECONDS)}
    work = Path(tempfile.mkdtemp(prefix="wingman-engage-"))
    plan, acks = work / "plan.json", work / "acks.json"
    child("engage-plan", env, str(plan))
    locust_env = {
        **env,
        "ENGAGE_PLAN": str(plan),
        "ENGAGE_ACKS": str(acks),
        "ENGAGE_BEAT_SECONDS": str(BEAT_SECONDS),
    }
    server = run_bench.Server(env)
    try:
        run_bench.log(f"== {db}: the reps alone for {args.baseline} s")
        _locust(locust_env, server, users=5, seconds=args.baseline,
                prefix=work / "alone", only="Rep")  # fmt: skip
        run_bench.log(f"== {db}: 200 viewers and 5 reps for {args.seconds} s")
        _locust(locust_env, server, users=205, seconds=args.seconds,
                prefix=work / "engage")  # fmt: skip
    finally:
        server.stop()
    checked = json.loads(child("engage-verify", env, str(plan), str(acks)).strip())
    alone = locust_stats(str(work / "alone"))
    loaded = locust_stats(str(work / "engage"))
    result = {"db": db, "scenario": "engagement", "viewers": 200, "reps": 5,
              "seconds": args.seconds, "beat_seconds": BEAT_SECONDS}  # fmt: skip
    result.update(alone=alone, locust=loaded, **checked)
    result["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    shutil.rmtree(work, ignore_errors=True)
    return result


def rep_p99(stats: dict) -> dict[str, float]:
    return {
        name: row["p99_ms"]
        for name, row in stats["by_page"].items()
        if name.startswith("rep: ")
    }


def summary(result: dict) -> str:
    stats = result["locust"]
    beats = stats["by_page"].get("/s/[token]/beacon/", {"requests": 0, "p99_ms": 0})
    alone, loaded = rep_p99(result["alone"]), rep_p99(stats)
    pages = "; ".join(
        f"{name[5:]} {alone.get(name, 0):.0f} → {loaded[name]:.0f} ms"
        for name in sorted(loaded)
    )
    # "Within their usual p99": at most twice each page's p99 with the reps alone
    # (the bar of the hostile-upload row), plus 50 ms for a page that is fast.
    slow = [
        name[5:]
        for name, p99 in loaded.items()
        if p99 > P99_FACTOR * alone.get(name, 0) + P99_SLACK_MS
    ]
    ok = (
        not result["5xx"] and not result["missing"] and not result["dupes"] and not slow
    )
    verdict = (
        "PASS"
        if ok
        else "FAIL" + (f" (p99 over 2x: {', '.join(slow)})" if slow else "")
    )
    return (
        f"Engagement load test on **{result['db']}**: 200 viewers sending a "
        f"heartbeat every {result['beat_seconds']} s and 5 reps, for "
        f"{result['seconds']} s against gunicorn (2 sync workers): "
        f"{beats['requests']:,} heartbeats (p99 {beats['p99_ms']:.0f} ms), "
        f"{result['acknowledged']['beat']:,} accepted, {result['stored_beats']:,} "
        f"stored in {result['visits']} visits ({result['seconds_stored']:,} of "
        f"{result['seconds_claimed']:,} seconds claimed kept); "
        f"{len(result['5xx'])} 5xx; missing "
        f"{len(result['missing'])}, duplicated {len(result['dupes'])}. Reps' p99, "
        f"alone → under load: {pages}. Load average at the end "
        f"{' '.join(result['loadavg'])}. {verdict}\n"
    )
