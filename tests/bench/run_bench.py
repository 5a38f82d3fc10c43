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
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"
DATA = BENCH / ".data"
RESULTS = BENCH / "results"
PYTHON = sys.executable
# --db postgres without DATABASE_URL: wingman_bench_large and wingman_bench_small.
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/wingman_bench"
SIZES = {
    "large": ["--assets", "100000", "--deals", "200000", "--usages", "1000000",
              "--ratings", "500000", "--views", "5000000"],
    "small": ["--scale-small"],
}  # fmt: skip
SEARCH_TERM = "security"  # one of seed_scale's twenty topics: ~5% of the library
TARGETS = {
    "p99_ms": 50,  # stage page and search at 8 connections, 2 workers
    "floor_ratio": 0.03,
    "scale_ratio": 1.1,
    "dashboard_ms": 500,
    "upload_mb": 30,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # noqa: T201 - a script's progress


# -- databases ----------------------------------------------------------------


def models_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "content" / "models").glob("*.py")) + [
        ROOT / "accounts" / "models.py",
        ROOT / "content" / "scale" / "library.py",
    ]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def db_env(db: str, size: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="enablement.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        MEDIA_ROOT=str(DATA / "media"),
        # Index files are named after their database: the four libraries share it.
        WINGMAN_SEARCH_INDEX_DIR=str(DATA / "search-index"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if db == "sqlite":
        env["SQLITE_PATH"] = str(DATA / f"sqlite-{size}.sqlite3")
    else:
        base = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES_URL
        env["DATABASE_URL"] = bench_database_url(base, size)
    return env


def bench_database_url(base: str, size: str) -> str:
    """The database for `size`, named after the one in `base` (DATABASE_URL):
    .../wingman_perf gives wingman_perf_large and wingman_perf_small. The script
    drops and recreates these two, so it never picks a name of its own: on a
    shared server a fixed name may be someone else's database."""
    parts = urlsplit(base)
    name = parts.path.lstrip("/")
    if not name:
        sys.exit(f"DATABASE_URL names no database: {base}")
    return urlunsplit(parts._replace(path=f"/{name}_{size}"))


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def manage(env: dict[str, str], *args: str, check: bool = True):
    return subprocess.run(  # noqa: S603 - our interpreter, our script
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, text=True,
        capture_output=not args[0].startswith("seed"),
    )  # fmt: skip


SYNCDB = (
    "import django; from django.conf import settings; django.setup();"
    "from django.apps import apps;"
    "settings.MIGRATION_MODULES = {a.label: None for a in apps.get_app_configs()};"
    "from django.core.management import call_command;"
    "call_command('migrate', run_syncdb=True, verbosity=0)"
)


def ensure_database(db: str, size: str, reseed: bool) -> dict[str, str]:
    """A seeded database for (db, size), rebuilt when the models have changed."""
    env = db_env(db, size)
    marker = DATA / (
        f"{db}-{size}.json"
        if db == "sqlite"
        else f"{db}-{_database_name(env['DATABASE_URL'])}.json"
    )
    fingerprint = models_fingerprint()
    if not reseed and marker.exists():
        if json.loads(marker.read_text()).get("fingerprint") == fingerprint:
            # Same models; new migrations (and the post_migrate search index) apply.
            behind = manage(env, "makemigrations", "--check", "--dry-run", check=False)
            if behind.returncode == 0:
                manage(env, "migrate", "--noinput")
            return env
    log(f"== building the {db} {size} database (seed_scale {' '.join(SIZES[size])})")
    DATA.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    else:
        name = _database_name(env["DATABASE_URL"])
        admin = urlunsplit(urlsplit(env["DATABASE_URL"])._replace(path="/postgres"))
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-qc", sql], check=True)  # noqa: S603, S607
    # Migrations when they match the models; the models' own schema otherwise.
    behind = manage(env, "makemigrations", "--check", "--dry-run", check=False)
    if behind.returncode == 0:
        manage(env, "migrate", "--noinput")
    else:
        log("   (migrations are behind the models: schema made from the models)")
        subprocess.run(  # noqa: S603
            [PYTHON, "-c", SYNCDB], cwd=ROOT, env=env, check=True
        )
    started = time.monotonic()
    manage(env, "seed_scale", *SIZES[size])
    marker.write_text(
        json.dumps(
            {"fingerprint": fingerprint, "seconds": round(time.monotonic() - started)}
        )
    )
    return env


# -- gunicorn and wrk ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1, stopped on exit."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(  # noqa: S603
            [gunicorn, "enablement.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "sync",
             "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start")
        self.base = f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def peak_rss_mb(self) -> dict[int, float]:
        """Each worker's peak resident memory (VmHWM) so far."""
        peaks = {}
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks[pid] = int(match.group(1)) / 1024
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wrk(url: str, cookie: str | None, duration: int, timeout: int = 10) -> dict:
    command = ["wrk", "-t1", "-c8", f"-d{duration}s", f"--timeout={timeout}s"]
    command.append("--latency")
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, timeout=duration + 60
    ).stdout
    result = {"rps": _float(r"Requests/sec:\s+([\d.]+)", out)}
    for pct in ("50", "99"):
        result[f"p{pct}_ms"] = _ms(re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = int(errors.group(1)) if errors else 0
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    result["timeouts"] = int(timeouts.group(1)) if timeouts else 0
    result["requests"] = int(_float(r"(\d+) requests in", out) or 0)
    return result


def _float(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def _ms(match) -> float | None:
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


# -- in-process measurement (runs in a child with the database's settings) -----


def in_process(args) -> None:
    """Child mode: resolve the pages, count queries, time them with the test client,
    and print JSON (pages, session cookies for wrk) on stdout."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from content.models import Asset, AssetStatus, Audience, Deal, Stage

    users = get_user_model().objects
    clients, cookies = {}, {}
    for role in ("rep", "admin"):
        client = Client()
        client.force_login(users.get(username=role))
        clients[role] = client
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    clients["anonymous"] = Client()
    cookies["anonymous"] = None
    stage = Stage.objects.get(slug="discovery")
    asset = (
        Asset.objects.filter(status=AssetStatus.PUBLISHED, audience=Audience.INTERNAL)
        .order_by("-usage_count")
        .first()
    )

    # The rep's busiest open deal: the workspace's recommendations (issue 14).
    deal = (
        Deal.objects.filter(owner__username="rep", outcome="open")
        .exclude(crm_id="")
        .order_by("-pk")
        .first()
    )

    def url(name: str, query: str = "", **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs) + query
        except NoReverseMatch:
            return None

    pages = [
        ("floor", "anonymous", url("healthz")),
        ("floor, logged in", "rep", url("healthz")),
        ("stage page", "rep", url("content:stage", slug=stage.slug)),
        ("stage page, deep", "rep", url("content:stage", slug=stage.slug)),
        ("search", "rep", url("content:search", f"?q={SEARCH_TERM}")),
        ("asset page", "rep", url("content:asset", pk=asset.pk) if asset else None),
        ("deal page", "rep", url("content:deal", pk=deal.pk) if deal else None),
        (
            "recommendations API",
            "rep",
            url("api:deal-recommendations-by-crm-id", crm_id=deal.crm_id)
            if deal
            else None,
        ),
        ("dashboard, 90 days", "admin", url("content:dashboard", "?days=90")),
        ("CSV export, all usage", "admin", url("content:export_usage")),
    ]
    if args.only:
        pages = [p for p in pages if p[0].startswith(("floor", *args.only))]
    results = []
    for label, role, path in pages:
        entry = {"page": label, "role": role, "url": path, "status": "missing"}
        results.append(entry)
        if path is None:
            continue
        client = clients[role]
        if label == "stage page, deep":
            # templates/_pagination.html says "Page 1 of N".
            pages_of = re.search(
                r"Page 1 of ([\d,]+)", _body(client.get(path)).decode()
            )
            if pages_of is None:
                entry["status"] = "no pagination"
                continue
            deep = max(1, int(pages_of.group(1).replace(",", "")) // 2)
            entry["url"] = path = f"{path}?page={deep}"
        response = _get(client, path)
        entry["status"] = response.status_code
        entry["bytes"] = len(_body(response))
        if response.status_code != 200:
            continue
        with CaptureQueriesContext(connection) as queries:
            _body(_get(client, path))
        entry["queries"] = len(queries)
    if args.profile:
        _profile(args.profile, results, clients)
    # Interleaved rounds: every page in turn, three times; median of the rounds' p50.
    timed = [e for e in results if e["status"] == 200]
    rounds: dict[str, list[float]] = {e["page"]: [] for e in timed}
    counts: dict[str, int] = dict.fromkeys(rounds, 0)
    per_round = max(1, -(-args.requests // 3))
    for _ in range(3):
        for entry in timed:
            client = clients[entry["role"]]
            samples = []
            budget = time.perf_counter() + args.page_seconds / 3
            # Bounded: a page slower than its time budget gets fewer requests
            # (at least one per round), and the count is reported.
            while len(samples) < per_round and (
                not samples or time.perf_counter() < budget
            ):
                start = time.perf_counter()
                _body(_get(client, entry["url"]))
                samples.append((time.perf_counter() - start) * 1000)
            rounds[entry["page"]].append(statistics.median(samples))
            counts[entry["page"]] += len(samples)
    for entry in timed:
        entry["inproc_p50_ms"] = round(statistics.median(rounds[entry["page"]]), 3)
        entry["inproc_requests"] = counts[entry["page"]]
        if entry["page"].startswith("CSV"):
            entry["python_heap"] = _export_heap(clients[entry["role"]], entry["url"])
    print(json.dumps({"pages": results, "cookies": cookies}))  # noqa: T201


def _export_heap(client, path: str) -> list[dict]:
    """Python's own peak heap (tracemalloc) while streaming the export of the
    last 30 days and of everything: flat streaming keeps both the same. (The
    worker's resident memory also holds the database's page cache and mapped
    file, bounded by settings, not by the export's size.)"""
    import tracemalloc

    measured = []
    for query in ("?days=30", ""):
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        streamed = _get(client, path + query).streaming_content
        rows = sum(chunk.count(b"\n") for chunk in streamed)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        measured.append({"rows": rows - 1, "peak_mb": round((peak - base) / 1e6, 1)})
    return measured


def _get(client, path: str):
    return client.get(path)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _profile(label_prefix: str, results: list[dict], clients: dict) -> None:
    from pyinstrument import Profiler

    for entry in results:
        if entry["page"].startswith(label_prefix) and entry["status"] == 200:
            client = clients[entry["role"]]
            profiler = Profiler(interval=0.0005)
            with profiler:
                # 50 requests, or as many as fit in 20 s for the slow pages.
                budget = time.perf_counter() + 20
                for done in range(50):
                    _body(_get(client, entry["url"]))
                    if done and time.perf_counter() > budget:
                        break
            name = re.sub(r"\W+", "-", entry["page"]).strip("-")
            out = RESULTS / f"profile-{os.environ.get('BENCH_DB', 'db')}-{name}.txt"
            out.write_text(profiler.output_text(unicode=True, show_all=False))
            log(f"   profile of {entry['page']} ({done + 1} requests): {out}")


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


# -- the asset page while hostile files are uploaded (issue 11) -------------------


HOSTILE_NAMES = ("bench-hostile.docx", "bench-hostile-300-pages.pdf")


def hostile_uploads(server: Server, env: dict[str, str], data: dict, args) -> dict:
    """The rep's asset page at 8 connections on the quiet site, then while a
    marketer uploads the hostile DOCX and PDF and the worker runs their jobs."""
    sys.path.insert(0, str(ROOT))
    from tests.content.tasks import hostile

    page = next((p for p in data["pages"] if p["page"] == "asset page"), None)
    if page is None or page["status"] != 200:
        return {"status": "no asset page"}
    url, cookie = server.base + page["url"], data["cookies"]["rep"]
    worker = subprocess.Popen(  # noqa: S603 - our interpreter, our script
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.5",
         "--no-startup-delay", "-v", "0"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    seconds = max(args.duration, 20)
    try:
        log(f"   wrk {seconds}s at 8 connections: asset page, quiet (worker idle)")
        wrk(url, cookie, 2)
        quiet = wrk(url, cookie, seconds)
        session, form_url = _marketer_session(server)
        files_ = [
            (HOSTILE_NAMES[0], hostile.expanding_docx(), "case_study"),
            (HOSTILE_NAMES[1], hostile.shared_stream_pdf(), "one_pager"),
        ]
        busy: dict = {}
        load = threading.Thread(
            target=lambda: busy.update(wrk(url, cookie, seconds)), daemon=True
        )
        log(f"   wrk {seconds}s at 8 connections: asset page, hostile uploads")
        load.start()
        time.sleep(1)
        uploads = [_upload(session, form_url, *f) for f in files_]
        load.join()
        outcomes = _hostile_outcomes(
            env, wait=int(env.get("WINGMAN_JOB_WALL_SECONDS", 120)) + 30
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    return {
        "quiet": quiet,
        "busy": busy,
        "uploads": uploads,
        "outcomes": outcomes,
        "worker_alive": worker.returncode in (0, -signal.SIGTERM, None),
    }


def _upload(session, form_url: str, name: str, payload: bytes, kind: str) -> dict:
    page = session.get(form_url, timeout=30)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    started = time.monotonic()
    response = session.post(
        form_url,
        data={
            "csrfmiddlewaretoken": match.group(1) if match else "",
            "title": f"Benchmark {name}",
            "kind": kind,
            "audience": "internal",
            "stages": [],
        },
        files={"file": (name, payload, "application/octet-stream")},
        headers={"Referer": form_url},
        timeout=300,
        allow_redirects=False,
    )
    return {
        "file": name,
        "bytes": len(payload),
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 2),
    }


HOSTILE_QUERY = (
    "import json; from content.models import Version;"
    "rows = Version.objects.filter(original_name__in={names!r}).order_by('-pk');"
    "print(json.dumps([dict(file=v.original_name, status=v.preview_status,"
    " note=v.preview_note, detail=v.preview_error) for v in rows[:2]]))"
)


def _hostile_outcomes(env: dict[str, str], wait: int) -> list[dict]:
    """Each hostile version's preview outcome, once the worker is done with it."""
    deadline = time.monotonic() + wait
    while True:
        out = manage(env, "shell", "-c", HOSTILE_QUERY.format(names=HOSTILE_NAMES))
        rows = json.loads(out.stdout.strip().splitlines()[-1])
        if all(r["status"] != "pending" for r in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(2)


def upload_memory(server: Server, env: dict[str, str]) -> dict:
    """POST a 100 MB file as a marketer; report the workers' peak memory growth."""
    session, form_url = _marketer_session(server)
    page = session.get(form_url, timeout=30)
    if page.status_code != 200:
        return {"status": f"missing ({page.status_code})"}
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    # An MP4 (accepted, stored as is, no preview): the upload path itself is measured.
    header = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    # 100 MB, just under WINGMAN_MAX_UPLOAD_MB's default limit of 100 MiB.
    payload = header + os.urandom(100_000_000 - len(header))
    before = server.peak_rss_mb()
    response = session.post(
        form_url,
        data={
            "csrfmiddlewaretoken": match.group(1) if match else "",
            "title": "Benchmark upload",
            "kind": "video",
            "audience": "internal",
            "stages": [],
        },
        files={"file": ("big.mp4", payload, "video/mp4")},
        headers={"Referer": form_url},
        timeout=300,
        allow_redirects=False,  # 302 to the new asset's page: stored
    )
    after = server.peak_rss_mb()
    growth = max(after.get(pid, 0) - before.get(pid, 0) for pid in after)
    return {"status": response.status_code, "peak_growth_mb": round(growth, 1)}


def _marketer_session(server: Server):
    """A requests session signed in as the marketer, and the new-asset form's URL."""
    import requests

    session = requests.Session()
    login = server.base + "/accounts/login/"
    session.get(login, timeout=30)
    token = session.cookies.get("csrftoken") or ""
    session.post(
        login,
        data={
            "username": "marketer",
            "password": "wingman",
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": login},
        timeout=30,
    )
    return session, server.base + "/assets/new/"


def report(db: str, large: dict, small: dict, args) -> dict:
    pages = large["pages"]
    floor = next((p for p in pages if p["page"] == "floor" and "wrk" in p), None)
    floor_rps = floor["wrk"]["rps"] if floor else None
    floor_p50 = floor.get("inproc_p50_ms") if floor else None
    small_stage = next((p for p in small["pages"] if p["page"] == "stage page"), {})
    rows = []
    for page in pages:
        row = {"page": page["page"], "status": page["status"], "url": page["url"]}
        if page["status"] == 200:
            w = page.get("wrk", {})
            row.update(
                rps=w.get("rps"), p50_ms=w.get("p50_ms"), p99_ms=w.get("p99_ms"),
                non_2xx=w.get("non_2xx"), queries=page.get("queries"),
                inproc_p50_ms=page.get("inproc_p50_ms"),
                inproc_requests=page.get("inproc_requests"),
            )  # fmt: skip
            if floor_rps and w.get("rps"):
                row["floor_ratio"] = round(w["rps"] / floor_rps, 4)
            if floor_p50 and page.get("inproc_p50_ms"):
                row["inproc_ratio"] = round(page["inproc_p50_ms"] / floor_p50, 1)
            if "python_heap" in page:
                row["python_heap"] = page["python_heap"]
            if "worker_peak_mb_after" in page:
                row["worker_peak_mb"] = [
                    page["worker_peak_mb_before"],
                    page["worker_peak_mb_after"],
                ]
        rows.append(row)
    stage = next((r for r in rows if r["page"] == "stage page"), {})
    scale = {}
    if stage.get("p50_ms") and small_stage.get("wrk", {}).get("p50_ms"):
        scale["wrk_p50_ratio"] = round(
            stage["p50_ms"] / small_stage["wrk"]["p50_ms"], 2
        )
    if stage.get("inproc_p50_ms") and small_stage.get("inproc_p50_ms"):
        scale["inproc_p50_ratio"] = round(
            stage["inproc_p50_ms"] / small_stage["inproc_p50_ms"], 2
        )
    scale["queries_1k"] = small_stage.get("queries")
    scale["queries_100k"] = stage.get("queries")
    return {
        "db": db,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores",
        "settings": {
            "wrk_seconds": args.duration,
            "connections": 8,
            "gunicorn_workers": 2,
            "inproc_requests_per_page": args.requests,
        },  # fmt: skip
        "pages": rows,
        "stage_scale_100k_over_1k": scale,
        "upload_100mb": large.get("upload"),
        "hostile_uploads": large.get("hostile"),
    }


def markdown(result: dict) -> str:
    lines = [
        f"Benchmark on **{result['db']}**, {result['date']} ({result['machine']}; "
        f"wrk {result['settings']['wrk_seconds']} s per page at 8 connections after "
        "a 2 s warm-up, "
        "gunicorn 2 sync workers; 100,000 assets, 1,000,000 usages, 5,000,000 views)",
        "",
        "| page | req/s | p50 ms | p99 ms | × floor | SQL queries "
        "| in-process p50 ms (n) | × floor p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["pages"]:
        if r["status"] != 200:
            lines.append(f"| {r['page']} | {r['status']} | | | | | | |")
            continue
        lines.append(
            f"| {r['page']} | {_fmt(r.get('rps'), 0)} | {_fmt(r.get('p50_ms'))} "
            f"| {_fmt(r.get('p99_ms'))} | {_fmt(r.get('floor_ratio'), 3)} "
            f"| {r.get('queries', '')} | {_fmt(r.get('inproc_p50_ms'), 2)} "
            f"({r.get('inproc_requests', 0):,}) "
            f"| {_fmt(r.get('inproc_ratio'), 1)} |"
        )
    scale = result["stage_scale_100k_over_1k"]
    lines += [
        "",
        f"Stage page p50 at 100,000 assets / at 1,000 assets: wrk "
        f"{_fmt(scale.get('wrk_p50_ratio'), 2)}, in-process "
        f"{_fmt(scale.get('inproc_p50_ratio'), 2)} (queries "
        f"{scale.get('queries_1k')} and {scale.get('queries_100k')}).",
    ]
    export = next((r for r in result["pages"] if r["page"].startswith("CSV")), {})
    if export.get("worker_peak_mb"):
        before, after = export["worker_peak_mb"]
        heap = " and ".join(
            f"+{h['peak_mb']} MB for {h['rows']:,} rows"
            for h in export.get("python_heap", [])
        )
        lines.append(
            f"CSV export: worker peak resident memory {before} MB before, {after} MB "
            f"after (with the database's page cache and mapped file); Python heap "
            f"while streaming: {heap or 'not measured'}."
        )
    upload = result.get("upload_100mb") or {}
    if "peak_growth_mb" in upload:
        lines.append(
            f"100 MB upload (HTTP {upload['status']}): worker peak memory "
            f"+{upload['peak_growth_mb']} MB."
        )
    lines += hostile_markdown(result.get("hostile_uploads"))
    return "\n".join(lines) + "\n"


def hostile_markdown(hostile: dict | None) -> list[str]:
    if not hostile or "quiet" not in hostile:
        return []
    quiet, busy = hostile["quiet"], hostile["busy"]
    lines = [
        "",
        "Rep's asset page at 8 connections, db_worker beside gunicorn:",
        "",
        "| asset page | req/s | p50 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, w in (("quiet site", quiet), ("hostile DOCX + 300-page PDF", busy)):
        lines.append(
            f"| {label} | {_fmt(w.get('rps'), 0)} | {_fmt(w.get('p50_ms'))} "
            f"| {_fmt(w.get('p99_ms'))} | {w.get('non_2xx', '')} |"
        )
    if quiet.get("p99_ms") and busy.get("p99_ms"):
        lines.append(f"\np99 during / quiet: {busy['p99_ms'] / quiet['p99_ms']:.2f}×.")
    for upload in hostile["uploads"]:
        lines.append(
            f"Upload {upload['file']} ({upload['bytes']:,} bytes): HTTP "
            f"{upload['status']} in {upload['seconds']} s."
        )
    for row in hostile["outcomes"]:
        lines.append(
            f"Job {row['file']}: {row['status']}, {row['note'] or 'no note'} "
            f"({row['detail'] or 'no detail'})."
        )
    alive = "yes" if hostile.get("worker_alive") else "no"
    lines.append(f"Worker alive until stopped: {alive}.")
    return lines


def _fmt(value, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


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
        small_env = ensure_database(db, "small", args.reseed)
        large = measure(db, "large", large_env, args)
        small = measure(db, "small", small_env, args)
        result = report(db, large, small, args)
        today = datetime.date.today().isoformat()
        (RESULTS / f"{db}-{today}.json").write_text(json.dumps(result, indent=2) + "\n")
        table = markdown(result)
        (RESULTS / f"latest-{db}.md").write_text(table)
        print(table)  # noqa: T201


if __name__ == "__main__":
    main()
