"""`make run`: gunicorn and the task worker side by side, stopped together.

    python -m enablement.serve --bind 127.0.0.1:8000 --workers 2 -- [gunicorn args]

Starts `manage.py db_worker` (the database backend's worker, for previews and
other tasks) and gunicorn as two child processes. Ctrl-C or SIGTERM stops both;
if either one exits, the other is stopped too, and the exit status is the first
one's. With WINGMAN_TASKS_BACKEND=rq the worker is `manage.py rqworker` instead.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STOP_GRACE_SECONDS = 10


def _say(line: str) -> None:
    sys.stderr.write(f"serve: {line}\n")
    sys.stderr.flush()


def worker_command(python: str) -> list[str]:
    backend = os.environ.get("WINGMAN_TASKS_BACKEND", "database")
    queue = os.environ.get("WINGMAN_TASKS_QUEUE", "default")
    if backend == "rq":
        return [
            python,
            "manage.py",
            "rqworker",
            queue,
            "--job-class",
            "django_tasks_rq.Job",
        ]
    if backend == "immediate":
        return []  # tasks run in the web process: nothing to start
    return [python, "manage.py", "db_worker", "--queue-name", queue, "--no-reload"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--workers", default="2")
    parser.add_argument("gunicorn_args", nargs="*")
    args = parser.parse_args(argv)
    python = sys.executable
    gunicorn = str(Path(python).parent / "gunicorn")
    commands = {
        "gunicorn": [
            gunicorn,
            "enablement.wsgi:application",
            "--bind",
            args.bind,
            "--workers",
            str(args.workers),
            *args.gunicorn_args,
        ],
        "worker": worker_command(python),
    }
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(signum=None, frame=None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, command in commands.items():
        if command:
            # Own process groups: a Ctrl-C reaches this script, which stops them.
            children[name] = subprocess.Popen(  # noqa: S603 - our own commands
                command, start_new_session=True
            )
            _say(f"started {name} (pid {children[name].pid})")
    status = 0
    while not stopping:
        for name, child in children.items():
            code = child.poll()
            if code is not None:
                _say(f"{name} exited with {code}; stopping")
                status = code or 1
                stopping = True
                break
        time.sleep(0.5)
    _stop_all(children)
    return status


def _stop_all(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM: gunicorn finishes its requests, the worker its current task.

    A worker still busy after the grace period gets a second SIGTERM, which
    makes db_worker give up the task; the job's limited child is stopped by the
    job's own cleanup (content.jobs.runner). Then SIGKILL, as a last resort.
    """
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for attempt in ("again", "killing it"):
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, child in children.items():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _say(f"{name} is still busy; stopping it {attempt}")
                if attempt == "again":
                    child.send_signal(signal.SIGTERM)
                else:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
    _say("stopped")


if __name__ == "__main__":
    sys.exit(main())
