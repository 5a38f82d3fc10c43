"""Previews as tasks: the upload answers at once, a worker makes the preview."""

import contextlib
import io
import signal
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from content.models import Asset, PreviewStatus, Version
from content.services import previews as preview_services
from content.services.previews import TOO_COMPLEX_NOTE
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.factories import AssetFactory, VersionFactory

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@contextlib.contextmanager
def _own_signal_handlers():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _post_version(client, asset, name, data):
    started = time.monotonic()
    response = client.post(
        reverse("content:version_add", kwargs={"pk": asset.pk}),
        {"file": upload(name, data), "change_note": "hostile"},
    )
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_hostile_uploads_answer_at_once_and_the_worker_survives_them(
    settings, marketer, marketer_client, stage, small_limits, hostile_docx, hostile_pdf
):
    """The 23 KB DOCX of 15 MiB and the 300-page PDF: each upload answers in
    under 2 s; their jobs end with the "too complex" note; the worker then takes
    the next job (a good PNG) and makes its preview."""
    settings.TASKS = DATABASE_TASKS
    docx_asset = AssetFactory(owner=marketer, stages=[stage], kind="case_study")
    pdf_asset = AssetFactory(owner=marketer, stages=[stage])
    png_asset = AssetFactory(owner=marketer, stages=[stage], kind="one_pager")
    for asset, name, data in (
        (docx_asset, "story.docx", hostile_docx),
        (pdf_asset, "pages.pdf", hostile_pdf),
        (png_asset, "chart.png", builders.png_bytes()),
    ):
        response, seconds = _post_version(marketer_client, asset, name, data)
        assert response.status_code == 302
        assert seconds < 2, f"{name} took {seconds:.1f} s to upload"
    assert set(Version.objects.values_list("preview_status", flat=True)) == {
        PreviewStatus.PENDING
    }
    # Enqueued once each, on commit (with each, the asset's search vectors).
    previews = DBTaskResult.objects.filter(task_path="content.tasks.version_preview")
    assert previews.count() == 3
    assert (
        DBTaskResult.objects.filter(task_path="content.tasks.asset_embed").count() == 3
    )

    with _own_signal_handlers():  # db_worker installs its SIGINT/SIGTERM ones
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, verbosity=0
        )

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    for asset in (docx_asset, pdf_asset):
        version = Asset.objects.get(pk=asset.pk).current_version
        assert version.preview_status == PreviewStatus.FAILED
        assert version.preview_note == TOO_COMPLEX_NOTE
        assert version.extracted_text == "" and not version.thumbnail
        page = marketer_client.get(asset.get_absolute_url()).content.decode()
        assert TOO_COMPLEX_NOTE in page
    good = Asset.objects.get(pk=png_asset.pk).current_version
    assert good.preview_status == PreviewStatus.READY and good.thumbnail


@pytest.mark.django_db
def test_the_asset_page_says_preview_being_prepared_and_polls_a_bounded_partial(
    marketer, rep_client, stage, run_tasks
):
    asset = AssetFactory(owner=marketer, stages=[stage])
    from content.services import library as services

    with run_tasks():
        version = services.version_upload(
            actor=marketer, asset=asset, file=upload("a.pdf", builders.pdf_bytes())
        )
        page = rep_client.get(asset.get_absolute_url()).content.decode()
        partial_url = reverse("content:preview_status", kwargs={"pk": version.pk})
        assert "preview being prepared" in page
        assert f'hx-get="{partial_url}?poll=1"' in page
        assert 'hx-trigger="every 3s"' in page
        # Each answer asks again with the next count, until the last one.
        partial = rep_client.get(partial_url, {"poll": 7}).content.decode()
        assert f"{partial_url}?poll=8" in partial
        last = rep_client.get(partial_url, {"poll": 40}).content.decode()
        assert "hx-get" not in last and "reload the page in a minute" in last
    # Ready: the partial shows the pages in the viewer and stops asking.
    ready = rep_client.get(partial_url, {"poll": 3}).content.decode()
    assert "data-page-viewer" in ready
    assert reverse("content:page", args=[asset.pk, version.pk, 1]) in ready
    assert "hx-trigger" not in ready
    assert "hx-trigger" not in rep_client.get(asset.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("poll", ["", "abc", "-5", "99999999999999999999999", "1e9"])
def test_the_preview_partial_takes_any_poll_count_without_an_error(
    marketer, marketer_client, stage, poll
):
    version = VersionFactory(asset=AssetFactory(owner=marketer, stages=[stage]))
    url = reverse("content:preview_status", kwargs={"pk": version.pk})
    assert marketer_client.get(url, {"poll": poll}).status_code == 200


@pytest.mark.django_db
def test_publishing_does_not_wait_for_the_preview(marketer, stage):
    from content.services import library as services

    asset = services.asset_create(
        actor=marketer,
        kind="one_pager",
        title="Fresh",
        stages=[stage],
        file=upload("a.pdf", builders.pdf_bytes()),
    )
    assert asset.current_version.preview_status == PreviewStatus.PENDING
    services.asset_publish(actor=marketer, asset=asset)
    assert Asset.objects.get(pk=asset.pk).is_published


@pytest.mark.django_db
def test_a_failing_job_is_retried_a_bounded_number_of_times_then_noted(
    settings, marketer, stage, run_tasks, monkeypatch
):
    settings.WINGMAN_JOB_MAX_ATTEMPTS = 3
    calls = []

    def storage_down(**kwargs):
        calls.append(kwargs)
        raise OSError("storage is unavailable")

    monkeypatch.setattr(preview_services, "run_preview_job", storage_down)
    from content.services import library as services

    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind="one_pager",
            title="Unlucky",
            stages=[stage],
            file=upload("a.pdf", builders.pdf_bytes()),
        )
    version = Version.objects.get(pk=asset.current_version_id)
    assert len(calls) == 3
    assert version.preview_attempts == 3
    assert version.preview_status == PreviewStatus.FAILED
    assert version.preview_note == preview_services.GAVE_UP_NOTE


@pytest.mark.django_db
def test_a_preview_is_made_once_even_if_its_task_runs_twice(marketer, stage, run_tasks):
    from content.services import library as services

    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind="one_pager",
            title="Twice",
            stages=[stage],
            file=upload("a.pdf", builders.pdf_bytes("Pricing")),
        )
    version = Version.objects.get(pk=asset.current_version_id)
    thumbnail = version.thumbnail.name
    said = preview_services.version_preview_make(version_id=version.pk)
    assert said.endswith("nothing to do")
    version.refresh_from_db()
    assert version.thumbnail.name == thumbnail and version.preview_attempts == 1


@pytest.mark.django_db
def test_the_text_of_the_file_reaches_search_once_the_job_is_done(
    marketer, stage, run_tasks
):
    from content.services import library as services

    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind="one_pager",
            title="Plain",
            stages=[stage],
            file=upload("a.pdf", builders.pdf_bytes("Quokka pricing")),
        )
        assert "Quokka" not in Asset.objects.get(pk=asset.pk).search_text
    assert "Quokka pricing" in Asset.objects.get(pk=asset.pk).search_text


@pytest.mark.django_db
def test_enqueue_previews_enqueues_only_old_pending_versions(settings, marketer, stage):
    settings.TASKS = DATABASE_TASKS
    from content.services import library as services

    asset = services.asset_create(
        actor=marketer,
        kind="one_pager",
        title="Stuck",
        stages=[stage],
        file=upload("a.pdf", builders.pdf_bytes()),
    )
    out = io.StringIO()
    call_command("enqueue_previews", stdout=out)  # 10 minutes by default
    assert "Enqueued 0 previews" in out.getvalue()
    call_command("enqueue_previews", "--older-than=0", stdout=out)
    assert "Enqueued 1 preview." in out.getvalue()
    task = DBTaskResult.objects.get()
    assert task.task_path == "content.tasks.version_preview"
    assert task.args_kwargs["args"] == [asset.current_version_id]
    call_command("enqueue_previews", "--older-than=0", "--now", stdout=out)
    assert Version.objects.get().preview_status == PreviewStatus.READY


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command,task_path",
    [
        ("send_digest", "content.tasks.send_digest"),
        ("rebuild_daily_stats", "content.tasks.rebuild_daily_stats"),
        ("refresh_rating_scores", "content.tasks.refresh_rating_scores"),
    ],
)
def test_the_digest_and_rollups_can_be_enqueued(settings, command, task_path):
    settings.TASKS = DATABASE_TASKS
    out = io.StringIO()
    call_command(command, "--enqueue", stdout=out)
    assert "Enqueued" in out.getvalue()
    assert DBTaskResult.objects.get().task_path == task_path


@pytest.mark.django_db
def test_the_enqueued_rollup_runs_the_command_in_a_worker(settings, run_tasks):
    from content import tasks

    result = tasks.enqueue(tasks.refresh_rating_scores)
    assert result.status == "SUCCESSFUL"
    assert "assets scored" in result.return_value


@pytest.mark.django_db
def test_publishing_an_asset_loaded_before_its_preview_keeps_the_found_text(
    marketer, stage, run_tasks
):
    """The worker writes the search text while a marketer's page holds the asset:
    the marketer's publish must not write the old text back."""
    from content.services import library as services

    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind="one_pager",
            title="Stale",
            stages=[stage],
            file=upload("a.pdf", builders.pdf_bytes("Quokka pricing")),
        )
    assert "Quokka" not in asset.search_text  # this object predates the task
    services.asset_publish(actor=marketer, asset=asset)
    services.asset_verify(actor=marketer, asset=asset)
    assert "Quokka pricing" in Asset.objects.get(pk=asset.pk).search_text
