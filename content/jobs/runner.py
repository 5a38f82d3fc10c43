"""The parent side of a file job: start the limited child, wait, read its answer.

Called from a task in the worker (never in a request). The child gets a path to
a private copy of the file; the answer comes back as JSON on its stdout and a
PNG in the job's temporary folder. Whatever happens to the child, this returns a
JobResult: a limit is an outcome, not an error.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from content.files import FileType
from content.jobs.limits import JobLimits

logger = logging.getLogger(__name__)

# At most this much of the child's stderr goes to the log.
STDERR_LOG_CHARS = 2000


@dataclass
class PageImage:
    """One page image the child made: its bytes and what the row records."""

    number: int
    data: bytes
    width: int
    height: int
    extension: str
    simplified: bool = False


@dataclass
class JobResult:
    status: str  # a PreviewStatus value: ready, icon or failed
    text: str = ""
    thumbnail: bytes | None = None
    too_complex: bool = False
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    max_rss_kb: int = 0
    pages: list[PageImage] = field(default_factory=list)

    @property
    def error(self) -> str:
        return "; ".join(self.errors)[:2000]


def run_preview_job(*, path: Path, file_type: FileType, limits: JobLimits) -> JobResult:
    """Thumbnail and text of the file at `path`, made by a limited child process."""
    with tempfile.TemporaryDirectory(prefix="wingman-job-") as tmp:
        thumbnail_path = Path(tmp) / "thumbnail.png"
        pages_dir = Path(tmp) / "pages"
        pages_dir.mkdir()
        spec = {
            "path": str(path),
            "file_type": file_type.key,
            "thumbnail_path": str(thumbnail_path),
            "pages_dir": str(pages_dir),
            "limits": limits.as_dict(),
        }
        # A new session: at the wall-clock limit the whole group goes, LibreOffice
        # included. No inherited descriptors (close_fds): no database socket.
        process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "content.jobs.child"],
            cwd=settings.BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            close_fds=True,
            env=_child_environment(),
        )
        try:
            out, err = process.communicate(
                json.dumps(spec).encode(), timeout=limits.wall_seconds
            )
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            return _too_complex(
                f"stopped after {limits.wall_seconds} s (the wall-clock limit)"
            )
        finally:
            _kill_group(process)  # anything the child left running
        if process.returncode != 0:
            return _crashed(process.returncode, err, limits)
        try:
            answer = json.loads(out)
        except ValueError:
            return _crashed(process.returncode, err, limits)
        thumbnail = thumbnail_path.read_bytes() if answer["thumbnail"] else None
        pages = [_page_image(pages_dir, page) for page in answer.get("pages", [])]
    return JobResult(
        status=answer["status"],
        text=answer["text"],
        thumbnail=thumbnail,
        too_complex=answer["too_complex"],
        errors=list(answer["errors"]),
        seconds=answer["seconds"],
        max_rss_kb=answer["max_rss_kb"],
        pages=pages,
    )


def _page_image(folder: Path, page: dict) -> PageImage:
    # The child names its files; only a plain name inside the folder is read.
    name = Path(page["file"]).name
    return PageImage(
        number=int(page["number"]),
        data=(folder / name).read_bytes(),
        width=int(page["width"]),
        height=int(page["height"]),
        extension=name.rsplit(".", 1)[-1],
        simplified=bool(page["simplified"]),
    )


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    # One thread per library: the CPU limit counts every thread's time.
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _too_complex(detail: str) -> JobResult:
    return JobResult(status="failed", too_complex=True, errors=[detail])


def _crashed(returncode: int, stderr: bytes, limits: JobLimits) -> JobResult:
    """A child that died: over a limit (memory, CPU), or a parser that crashed.

    Either way the same file would do it again, so it is not retried.
    """
    text = stderr.decode("utf-8", "replace")
    logger.warning(
        "A preview job's child ended with %s: %s", returncode, text[-STDERR_LOG_CHARS:]
    )
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL) and "MemoryError" not in text:
        return _too_complex(f"stopped after {limits.cpu_seconds} s of CPU time")
    if "MemoryError" in text or "std::bad_alloc" in text:
        return _too_complex(
            f"needed more than {limits.memory_bytes // (1024 * 1024)} MB of memory"
        )
    if returncode < 0:
        name = signal.Signals(-returncode).name
        return _too_complex(f"the preview process crashed ({name})")
    return _too_complex(f"the preview process failed (exit status {returncode})")
