"""One file job's child process: `python -m content.jobs.child`.

Reads a JSON spec on stdin ({"path", "file_type", "thumbnail_path", "limits",
and "pages_dir" for the page images}),
sets hard resource limits on itself before it opens the file, and writes one
JSON object on stdout. Nothing here touches Django's settings or database: the
process starts clean (no inherited connection) and does pure file work.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

# Files the child (or LibreOffice under it) may write: a converted PDF, a PNG.
MAX_WRITTEN_BYTES = 512 * 1024 * 1024


def apply_limits(limits: dict[str, int]) -> None:
    """Hard limits for this process and whatever it starts.

    Address space: the soft limit is the job's; the hard one leaves room for
    LibreOffice, which raises its own soft limit to it (see `office_preexec`).
    CPU: SIGXCPU at the soft limit ends the process; SIGKILL a little later.
    """
    cpu = limits["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    memory, office = limits["memory_bytes"], limits["office_memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, max(memory, office)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_WRITTEN_BYTES, MAX_WRITTEN_BYTES))
    lower_priority(int(limits.get("niceness", 0)))


def lower_priority(niceness: int) -> None:
    """Run this job (and LibreOffice under it) behind the site's requests.

    The runner starts the job in a session of its own, and Linux schedules each
    session as a group (autogroup) with an equal share of the CPU whatever its
    processes' nice values, so the group is lowered too (best effort: the file
    is missing where autogroup is off).
    """
    niceness = min(max(niceness, 0), 19)
    os.nice(niceness)
    try:
        Path("/proc/self/autogroup").write_text(f"{niceness}\n")
    except OSError:
        pass


def office_preexec(office_bytes: int):
    def preexec() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (min(office_bytes, hard), hard))

    return preexec


def run(spec: dict[str, Any]) -> dict[str, Any]:
    limits = spec["limits"]
    apply_limits(limits)
    started = time.monotonic()
    # Imported after the limits, so that even loading the parsers is bounded.
    from content import file_types, previews

    previews.MAX_TEXT_CHARS = limits["max_text_chars"]
    previews.MAX_ZIP_MEMBER_BYTES = limits["max_zip_member_bytes"]
    previews.MAX_ZIP_RATIO = limits["max_zip_ratio"]
    previews.MAX_IMAGE_PIXELS = limits["max_image_pixels"]
    # LibreOffice gets what is left of the wall clock; the parent kills the
    # whole process group at the limit anyway.
    previews.OFFICE_TIMEOUT_SECONDS = max(limits["wall_seconds"] - 5, 1)
    previews.office_preexec = office_preexec(limits["office_memory_bytes"])
    if not limits.get("office_conversion", True):
        previews.soffice_binary = lambda: None  # decks and documents get the icon

    file_type = file_types.TYPES_BY_KEY[spec["file_type"]]
    with Path(spec["path"]).open("rb") as stream:
        preview = previews.build_preview(
            stream,
            file_type,
            max_pages=int(limits.get("max_pages", 0)) if spec.get("pages_dir") else 0,
            page_width=int(limits.get("page_width", 0)),
        )
    if preview.thumbnail:
        Path(spec["thumbnail_path"]).write_bytes(preview.thumbnail)
    pages = []
    for page in preview.pages:
        name = f"page-{page.number}.{page.extension}"
        Path(spec["pages_dir"], name).write_bytes(page.data)
        pages.append(
            {
                "number": page.number,
                "file": name,
                "width": page.width,
                "height": page.height,
                "simplified": page.simplified,
            }
        )
    return {
        "status": preview.status,
        "errors": preview.errors,
        "text": preview.text,
        "too_complex": preview.too_complex,
        "thumbnail": bool(preview.thumbnail),
        "pages": pages,
        "seconds": round(time.monotonic() - started, 3),
        "max_rss_kb": peak_memory_kb(),
    }


def peak_memory_kb() -> int:
    """This process's peak resident memory since it started its program.

    Linux's ru_maxrss survives exec (it would report the forking parent's peak),
    so VmHWM of /proc/self/status comes first.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> int:
    spec = json.load(sys.stdin)
    result = run(spec)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
