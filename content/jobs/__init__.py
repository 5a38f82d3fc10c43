"""File jobs: risky file work in a child process under hard limits.

`runner.run_preview_job()` (the parent side, called by a task) copies nothing but
a path and a few numbers to `python -m content.jobs.child`, which sets its own
resource limits first, then makes the thumbnail and text with content.previews,
and answers in JSON. The child imports no model and opens no database
connection; the parent alone writes to the database. A child that runs out of
memory, CPU time or wall-clock time dies alone: the worker goes on.
"""
