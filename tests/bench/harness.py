"""The benchmark's shared pieces: its databases, gunicorn and wrk (run_bench.py)."""

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"
# Resolved: a worktree whose .data links to another checkout's then names the
# same files, so its SQLite databases have the same cache prefix and find the
# nearest-neighbour index built for them (content.semantic.ann names files after
# the database's path); unresolved, it scanned every vector exactly instead.
DATA = (BENCH / ".data").resolve()
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
    if not result["requests"]:
        # wrk prints 0.00us latencies when no request finished in the run (all
        # slower than the run, or cut off at its end): no latency, not 0 ms.
        result["p50_ms"] = result["p99_ms"] = None
    return result


def _float(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def _ms(match) -> float | None:
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
