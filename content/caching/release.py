"""The release (code) version that cached markup and cached values are keyed by.

`WINGMAN_RELEASE` names it when set (a deploy pipeline passes its git commit or
build number). Otherwise it is a digest of the code itself: the Python modules,
the templates, the pinned requirements and the project file. Any deploy that
changes what a page would render, even through a model property or a filter the
templates call, changes the release, so no cache serves an older release's
output. Every worker process computes the same digest from the same files.
"""

import hashlib
import re
from functools import cache as memoize
from pathlib import Path

from django.conf import settings

# What decides a page's markup: the apps, the project package and the templates.
SOURCE_FOLDERS = ("accounts", "content", "enablement", "templates")
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt", ".json"})
SOURCE_FILES = ("pyproject.toml", "requirements.txt")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def code_digest(base: Path) -> str:
    """A digest of the source files under `base` that decide what pages show."""
    digest = hashlib.sha256()
    paths = [base / name for name in SOURCE_FILES]
    for folder in SOURCE_FOLDERS:
        paths += sorted((base / folder).rglob("*"))
    for path in paths:
        # (Bytecode under __pycache__ has none of these suffixes.)
        wanted = path.suffix in SOURCE_SUFFIXES or path.name in SOURCE_FILES
        if not wanted or not path.is_file():
            continue
        # NUL separators keep a path's end and its file's start apart; any other
        # fixed separator would do as well (so mutating them changes nothing).
        digest.update(str(path.relative_to(base)).encode())
        digest.update(b"\0")  # pragma: no mutate
        digest.update(path.read_bytes())
        digest.update(b"\0")  # pragma: no mutate
    return digest.hexdigest()[:12]


@memoize
def release() -> str:
    """`WINGMAN_RELEASE` (made safe for any cache key) or the code's digest."""
    configured = _UNSAFE.sub("-", getattr(settings, "WINGMAN_RELEASE", "").strip())
    if configured:
        return configured[:40]
    return code_digest(Path(settings.BASE_DIR))
