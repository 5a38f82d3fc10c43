"""The limited child process of a file job (content/jobs/), without a database."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from content import files, previews
from content.jobs.runner import run_preview_job
from tests.content.library import builders
from tests.content.tasks import hostile
from tests.content.tasks.conftest import MB, limits


def test_the_hostile_docx_is_refused_from_its_zip_headers_before_any_parser(
    write_file, hostile_docx
):
    assert len(hostile_docx) < 30_000  # ~23 KB on the wire, 15 MiB unpacked
    result = run_preview_job(
        path=write_file("bomb.docx", hostile_docx),
        file_type=files.DOCX,
        limits=limits(),
    )
    assert result.too_complex
    assert result.status == "failed"
    assert "word/document.xml unpacks" in result.error
    assert result.text == "" and result.thumbnail is None
    assert result.seconds < 5  # nothing was parsed


def test_a_docx_member_over_the_size_limit_is_refused_whatever_its_ratio(write_file):
    result = run_preview_job(
        path=write_file("big.docx", hostile.expanding_docx(3 * MB)),
        file_type=files.DOCX,
        limits=limits(max_zip_member_bytes=2 * MB, max_zip_ratio=10_000),
    )
    assert result.too_complex
    assert "limit 2,097,152" in result.error


def test_the_300_page_pdf_is_stopped_at_the_cpu_limit(
    write_file, hostile_pdf, small_limits
):
    assert len(hostile_pdf) < 60_000
    result = run_preview_job(
        path=write_file("pages.pdf", hostile_pdf),
        file_type=files.PDF,
        limits=limits(cpu_seconds=2, wall_seconds=60),
    )
    assert result.too_complex
    assert result.text == "" and result.thumbnail is None
    assert "CPU time" in result.error or "wall-clock" in result.error


def test_a_job_is_stopped_at_the_wall_clock_limit_with_its_children(
    write_file, hostile_pdf
):
    result = run_preview_job(
        path=write_file("pages.pdf", hostile_pdf),
        file_type=files.PDF,
        limits=limits(cpu_seconds=600, wall_seconds=2),
    )
    assert result.too_complex
    assert result.error == "stopped after 2 s (the wall-clock limit)"


def test_a_job_over_the_memory_limit_gets_no_preview_and_the_parent_goes_on(
    write_file,
):
    # 6,000 × 6,000 RGB decodes to 108 MB: over a 120 MB address space.
    path = write_file("big.png", hostile.huge_png(6_000, 6_000, rgb=True))
    result = run_preview_job(
        path=path,
        file_type=files.PNG,
        limits=limits(
            memory_bytes=120 * MB, office_memory_bytes=120 * MB, max_image_pixels=10**9
        ),
    )
    assert result.too_complex
    assert "memory" in result.error
    # The same file with room to spare: a fine preview.
    roomy = run_preview_job(
        path=path, file_type=files.PNG, limits=limits(max_image_pixels=10**9)
    )
    assert roomy.status == "ready" and roomy.thumbnail.startswith(b"\x89PNG")


def test_a_good_file_gets_its_thumbnail_and_text_from_the_child(write_file):
    result = run_preview_job(
        path=write_file("a.pdf", builders.pdf_bytes("Total cost of ownership")),
        file_type=files.PDF,
        limits=limits(),
    )
    assert result.status == "ready" and not result.too_complex
    assert Image.open(io.BytesIO(result.thumbnail)).width == 640
    assert "Total cost of ownership" in result.text


def test_extracted_text_is_clipped_at_the_configured_size(write_file):
    result = run_preview_job(
        path=write_file("notes.txt", b"word " * 10_000),
        file_type=files.TEXT,
        limits=limits(max_text_chars=1_000),
    )
    assert len(result.text) == 1_000


# Issue 12, item 12: image decode cost -------------------------------------------


def test_a_9400_pixel_square_png_is_refused_before_its_pixels_are_decoded(
    write_file,
):
    """344 KB on disk, 88 million pixels: once 1.08 GB to thumbnail."""
    data = hostile.huge_png(9_400, 9_400)
    assert len(data) < 500_000
    # In process: the pixel limit is checked on the header, nothing is decoded.
    preview = previews.build_preview(io.BytesIO(data), files.PNG)
    assert preview.too_complex
    assert "9,400 × 9,400 pixels (limit 40 million)" in preview.error
    # In the job's child: refused too, within a small fraction of its memory.
    result = run_preview_job(
        path=write_file("huge.png", data), file_type=files.PNG, limits=limits()
    )
    assert result.too_complex and result.thumbnail is None
    assert result.max_rss_kb < 200 * 1024


def test_a_large_jpeg_is_decoded_reduced_and_gets_a_thumbnail(write_file):
    out = io.BytesIO()
    Image.new("RGB", (8_000, 6_000), (20, 90, 200)).save(out, "JPEG", quality=50)
    result = run_preview_job(
        path=write_file("photo.jpg", out.getvalue()),
        file_type=files.JPEG,
        limits=limits(max_image_pixels=10_000_000),  # 48 MP, but decoded at 1/8
    )
    assert result.status == "ready"
    assert Image.open(io.BytesIO(result.thumbnail)).size == (640, 480)


@pytest.mark.parametrize("orientation,size", [(1, (640, 320)), (6, (240, 480))])
def test_a_turned_photo_fits_its_thumbnail_box_after_turning(orientation, size):
    image = Image.new("RGB", (2_400, 1_200), "white")
    exif = image.getexif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    preview = previews.build_preview(io.BytesIO(out.getvalue()), files.JPEG)
    assert Image.open(io.BytesIO(preview.thumbnail)).size == size


def test_a_file_job_runs_at_a_lower_priority_than_the_worker_that_starts_it():
    # apply_limits lowers the priority of the process it runs in (and of its
    # scheduling group), so it runs in a session of its own here, as a real job.
    probe = (
        "import json, os, sys; from pathlib import Path; "
        "from content.jobs.child import apply_limits; "
        "apply_limits(json.loads(sys.argv[1])); "
        "group = Path('/proc/self/autogroup'); "
        "print(os.nice(0), group.read_text().split()[-1] if group.exists() else '-')"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe, json.dumps(limits(niceness=7).as_dict())],
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    niceness, group_niceness = out.stdout.split()
    assert int(niceness) == min(os.nice(0) + 7, 19)
    if Path("/proc/self/autogroup").exists():
        assert group_niceness == "7"
