"""Fixtures for the task queue tests: small job limits, files on disk."""

import dataclasses
import shutil

import pytest

from content.jobs.limits import JobLimits
from tests.content.tasks import hostile

MB = 1024 * 1024


@pytest.fixture
def small_limits(settings):
    """Limits that a hostile file passes in seconds, not minutes."""
    settings.WINGMAN_JOB_CPU_SECONDS = 3
    settings.WINGMAN_JOB_WALL_SECONDS = 15
    return JobLimits.from_settings()


def limits(**changes) -> JobLimits:
    return dataclasses.replace(JobLimits.from_settings(), **changes)


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture(scope="session")
def hostile_docx():
    return hostile.expanding_docx()


@pytest.fixture(scope="session")
def hostile_pdf():
    return hostile.shared_stream_pdf()


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (Debian: libreoffice-impress-nogui, "
    "libreoffice-writer-nogui); .ci/run installs it",
)
