"""The RQ backend (several machines, on Redis) and real LibreOffice conversions."""

import io
import os
import uuid

import pytest
from PIL import Image

from content import files, tasks
from content.jobs.runner import run_preview_job
from content.models import PreviewStatus, Version
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.content.tasks.conftest import limits, needs_libreoffice

# This machine's Redis; a database number of its own, so nothing else collides.
RQ_TEST_URL = os.environ.get("WINGMAN_TEST_RQ_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def rq_queue(settings):
    """The RQ backend on a fresh queue name, emptied again afterwards."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(RQ_TEST_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {RQ_TEST_URL}")
    name = f"wingman-test-{uuid.uuid4().hex[:8]}"
    settings.WINGMAN_TASKS_QUEUE = name
    settings.RQ_QUEUES = {
        queue: {"URL": RQ_TEST_URL, "DEFAULT_TIMEOUT": 300}
        for queue in (name, "default")
    }
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": [name, "default"],
        }
    }
    import django_rq

    queue = django_rq.get_queue(name)
    yield queue
    queue.empty()
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def _work(queue) -> None:
    from django_tasks_rq import Job
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


@pytest.mark.django_db
def test_the_rq_backend_carries_a_preview_job_through_redis(
    marketer, stage, rq_queue, django_capture_on_commit_callbacks
):
    from content.services import library as services

    with django_capture_on_commit_callbacks(execute=True):
        asset = services.asset_create(
            actor=marketer,
            kind="one_pager",
            title="Over Redis",
            stages=[stage],
            file=upload("a.pdf", builders.pdf_bytes("Sent through RQ")),
        )
    # The preview and the asset's search vectors, on the site's own queue, not
    # "default".
    assert rq_queue.count == 2
    assert Version.objects.get().preview_status == PreviewStatus.PENDING
    # A worker as `manage.py rqworker --job-class django_tasks_rq.Job` runs it
    # (here in this process, to share the test's database transaction).
    _work(rq_queue)
    version = Version.objects.get(pk=asset.current_version_id)
    assert version.preview_status == PreviewStatus.READY
    assert "Sent through RQ" in version.extracted_text
    backend = tasks.version_preview.get_backend()
    results = [
        backend.get_result(job_id)
        for job_id in rq_queue.finished_job_registry.get_job_ids()
    ]
    assert [result.status for result in results] == ["SUCCESSFUL"] * 2


@pytest.mark.django_db
def test_rollups_go_through_the_rq_backend_too(rq_queue):
    result = tasks.enqueue(tasks.refresh_rating_scores)
    _work(rq_queue)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert "assets scored" in result.return_value


@needs_libreoffice
@pytest.mark.parametrize(
    "name,file_type,data",
    [
        ("deck.pptx", files.PPTX, builders.pptx_bytes("Total cost of ownership")),
        ("brief.docx", files.DOCX, builders.docx_bytes("Acme Analytics brief")),
    ],
)
def test_real_libreoffice_turns_decks_and_documents_into_a_first_page_image(
    tmp_path, name, file_type, data
):
    path = tmp_path / name
    path.write_bytes(data)
    result = run_preview_job(
        path=path,
        file_type=file_type,
        limits=limits(office_conversion=True, cpu_seconds=120, wall_seconds=240),
    )
    assert result.status == PreviewStatus.READY, result.errors
    image = Image.open(io.BytesIO(result.thumbnail))
    assert image.width == 640
    # A page with text on it, not a blank: some pixels are dark.
    assert image.convert("L").getextrema()[0] < 128
    assert result.text
