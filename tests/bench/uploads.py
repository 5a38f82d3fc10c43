"""The benchmark's upload rows: a 100 MB upload's worker memory, and the rep's
asset page while hostile files are uploaded (issue 11)."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

from harness import PYTHON, ROOT, Server, log, manage, wrk

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
