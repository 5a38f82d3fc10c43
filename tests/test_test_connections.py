"""Item 23 of issue 12: tests leave no connection on the test database.

On PostgreSQL a connection left open (by a thread, or a live server still
running) makes the final DROP DATABASE fail, and the test database stays.
"""

import threading

import pytest
from django.db import connection, connections

from tests import conftest
from tests.factories import StageFactory


@pytest.mark.django_db(transaction=True)
def test_item23_a_thread_that_closes_its_connections_leaves_none_behind():
    StageFactory(name="Discovery", slug="discovery")

    def work():
        try:
            assert connections["default"].cursor() is not None
            from content.models import Stage

            assert Stage.objects.count() == 1
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL reports other sessions on the database")
    with connection.cursor() as cursor:
        cursor.execute(conftest.STRAY_BACKENDS)
        assert cursor.fetchall() == []
