"""Installed as `mutants/conftest.py` for mutation runs on SQLite (run_mutation.py).

mutmut runs pytest once in its own process to map tests to functions, then forks
a process per mutant that runs pytest again. Creating the test database is most
of a short run's time, so it is created once, by the first run, and never torn
down: each forked run inherits its own private copy of the in-memory SQLite
database and its connection, and, as in any run, every test's transaction rolls
back. (With DATABASE_URL set, run_mutation.py leaves this file out: a server
connection must not be shared by forked processes.)
"""

import os

import pytest

_READY = "WINGMAN_MUTATION_TEST_DB"


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    if not os.environ.get(_READY):
        from django.test.utils import setup_databases

        with django_db_blocker.unblock():
            setup_databases(verbosity=0, interactive=False, keepdb=False)
        os.environ[_READY] = "1"
    yield


# Fixtures that build a whole library: tests using them run last, so that a
# mutant a quick test kills is not first made to wait for them (mutmut runs
# each mutant's tests with -x, stopping at the first failure).
_SLOW_FIXTURES = {"world", "rated", "admin_client_", "marketer_client"}


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: bool(_SLOW_FIXTURES & set(item.fixturenames)))
