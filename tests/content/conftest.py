"""Fixtures shared by the content tests."""

from functools import partial

import pytest

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": [],
    }
}


@pytest.fixture
def run_tasks(settings, django_capture_on_commit_callbacks):
    """`with run_tasks(): ...` runs, when the block ends, the tasks it enqueued.

    The test's transaction never commits, so the on-commit callbacks that
    enqueue tasks are captured and run at the end of the block, on the
    immediate backend: the same task code as a worker's, in this process.
    Decks and documents are not converted (see test_office_conversion.py).
    """
    settings.TASKS = IMMEDIATE_TASKS
    # LibreOffice takes seconds per file: only the tests about it turn it on.
    settings.WINGMAN_JOB_OFFICE_CONVERSION = False
    return partial(django_capture_on_commit_callbacks, execute=True)
