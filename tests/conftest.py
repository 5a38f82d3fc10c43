import warnings

import pytest
from django.db import connections
from django.test import Client, override_settings

from accounts.models import Role
from tests.factories import PASSWORD, StageFactory, UserFactory

ROLES = ["partner", "rep", "marketer", "admin"]


STRAY_BACKENDS = """
    SELECT pid, coalesce(application_name, ''), state, left(query, 120)
    FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and no connection left on it at the end.

    PostgreSQL refuses to drop a database someone is connected to, and the run
    then leaves it behind ("test_wingman_ci_gw1 is being accessed by other
    users"). Threads and live servers close their own connections
    (`connections.close_all()`); what one forgot is reported and ended here,
    before pytest-django drops the database.
    """
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(STRAY_BACKENDS)
                stray = cursor.fetchall()
                for pid, *_ in stray:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            connection.close()
            if stray:
                warnings.warn(
                    f"connections left open on the test database: {stray}",
                    stacklevel=1,
                )


def pytest_configure(config) -> None:
    """Tests run on a cache in memory: each test process (xdist worker) has its
    own and clears it around every test. The shared backends that a site runs on
    are tested on their own (tests/content/caching/)."""
    from django.test import override_settings

    override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "wingman-tests",
            }
        }
    ).enable()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Every test writes files under its own temporary MEDIA_ROOT."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    # And its own search index files (content.semantic.ann).
    settings.WINGMAN_SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    return media


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.AXES_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # LibreOffice takes seconds a file: only tests/content/tasks turns it on.
    settings.WINGMAN_JOB_OFFICE_CONVERSION = False
    # File jobs run behind a site's requests (nice and a lowered autogroup); in the
    # suite they would wait behind the other xdist worker at a tenth of a core
    # (the demo's previews took 180 s instead of 15). test_jobs.py checks the rule.
    settings.WINGMAN_JOB_NICENESS = 0
    # The tiny fake encoder: no model to load (tests/content/search uses both).
    settings.WINGMAN_SEARCH_ENCODER = "hashing"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rep(db):
    return UserFactory(username="rep-riley", role=Role.REP)


@pytest.fixture
def other_rep(db):
    return UserFactory(username="rep-sam", role=Role.REP)


@pytest.fixture
def partner(db):
    return UserFactory(username="partner-pat", role=Role.PARTNER)


@pytest.fixture
def marketer(db):
    return UserFactory(username="marketer-morgan", role=Role.MARKETER)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin-alex", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def users(rep, partner, marketer, admin_user):
    return {"rep": rep, "partner": partner, "marketer": marketer, "admin": admin_user}


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rep_client(rep):
    return _client_for(rep)


@pytest.fixture
def partner_client(partner):
    return _client_for(partner)


@pytest.fixture
def marketer_client(marketer):
    return _client_for(marketer)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def client_for():
    """Build a logged-in test client for any user: `client_for(user)`."""
    return _client_for


@pytest.fixture
def stage(db):
    return StageFactory(name="Discovery", slug="discovery", order=2)


@pytest.fixture
def stages(db):
    names = ["Prospecting", "Discovery", "Demo", "Proposal & negotiation", "Closing"]
    return [
        StageFactory(
            name=name, slug=name.lower().replace(" & ", "-").replace(" ", "-"), order=i
        )
        for i, name in enumerate(names, start=1)
    ]


__all__ = ["PASSWORD", "ROLES"]


@pytest.fixture(scope="session")
def _no_https_redirect():
    override = override_settings(SECURE_SSL_REDIRECT=False)
    override.enable()
    return override


@pytest.fixture(scope="session")
def live_server(_no_https_redirect, live_server):
    """Every live_server speaks plain http. One serves each test process, whichever
    test asks first (browser tests, the API contract test, the 413 socket test).
    Its middleware is built once, when it starts, so the https redirect must be
    off then; afterwards the override goes, so that nothing leaks into the other
    tests of this process.

    Its request threads close their connections after each request (Django's
    ThreadedWSGIServer); whatever is still connected to a PostgreSQL test database
    when the run ends is reported and closed by tests/conftest.py's
    django_db_setup, so the database can be dropped. (Making this fixture depend
    on django_db_setup would start it after the in-memory SQLite test database,
    and pytest-django then shares the test's connection with the server thread.)
    """
    _no_https_redirect.disable()
    return live_server


# --- One seeded demo for every demo test (issue 13: seed_demo ran 7 times) ---------
#
# `seed_demo` takes tens of seconds (real files, previews, a year of events). The
# tests that check the demo (`demo_site`, all in tests/demo/) share one seeding per
# test process: the first one seeds inside a transaction that stays open (Django's
# TestCase does the same around setUpTestData), each test then runs in its own
# savepoint inside it, and the transaction is rolled back as soon as the next test is
# not a demo test. `make test`'s scheduler (`pytest_xdist_make_scheduler` below) sends
# tests/demo/ to one worker as one unit, so the demo is seeded once per run. Should a
# demo test ever follow another test, it seeds inside its own transaction instead:
# slower, never wrong.

DEMO_GROUP = "seed_demo"


class _DemoSeed:
    def __init__(self) -> None:
        self.atomic = None  # the open transaction holding the seeded demo
        self.media = None
        self.blocker = None


_DEMO = _DemoSeed()

# What every test runs with (`_private_media`, `_test_settings`), for the seeding
# that happens before any test's settings exist.
_DEMO_SETTINGS = {
    "AXES_ENABLED": False,
    "SECURE_SSL_REDIRECT": False,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "WINGMAN_JOB_OFFICE_CONVERSION": False,
    "WINGMAN_JOB_NICENESS": 0,
}


def _demo_storages(media) -> dict:
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(scope="session")
def _demo_seed(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeds the demo in a transaction left open (session scope: it runs before
    the test's own transaction is opened); `pytest_runtest_teardown` closes it
    after the last demo test in a row, or this fixture at the end of the run."""
    from django.core.management import call_command
    from django.db import transaction

    _DEMO.media = tmp_path_factory.mktemp("demo-media")
    _DEMO.blocker = django_db_blocker
    with django_db_blocker.unblock():
        _DEMO.atomic = transaction.atomic()
        _DEMO.atomic.__enter__()
        with override_settings(
            MEDIA_ROOT=str(_DEMO.media),
            STORAGES=_demo_storages(_DEMO.media),
            **_DEMO_SETTINGS,
        ):
            call_command("seed_demo", verbosity=0)
    yield _DEMO
    _demo_close()


def _demo_close() -> None:
    """Roll the seeded demo back: the next test sees an empty database again."""
    from django.db import transaction

    if _DEMO.atomic is None:
        return
    atomic, _DEMO.atomic = _DEMO.atomic, None
    with _DEMO.blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def demo_site(_demo_seed, db, settings):
    """The database as `manage.py seed_demo` leaves it, shared by the demo tests.

    Each test's writes are rolled back with its savepoint; its files go to the
    demo's media folder, where the seeded files are.
    """
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(_DEMO.media)
    settings.STORAGES = _demo_storages(_DEMO.media)
    if _DEMO.atomic is None:  # not next to the other demo tests: seed for this one
        call_command("seed_demo", verbosity=0)


def _uses_demo(item) -> bool:
    return item is not None and "demo_site" in getattr(item, "fixturenames", ())


DEMO_TESTS = "tests/demo/"


def pytest_collection_modifyitems(config, items):
    # A demo test elsewhere would run apart from the others and seed again.
    stray = [
        i.nodeid for i in items if _uses_demo(i) and not i.nodeid.startswith(DEMO_TESTS)
    ]
    if stray:
        raise pytest.UsageError(
            f"tests taking demo_site belong in {DEMO_TESTS}: {stray}"
        )


@pytest.hookimpl(optionalhook=True)  # only where xdist is installed and on
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, with tests/demo/ as one unit of work.

    xdist groups tests by the `@group` suffix it adds to their ids, and pytest 9
    no longer reads the attribute xdist 3.8 writes it to (`Node._nodeid`), so
    `xdist_group` marks group nothing: each demo test went to whichever worker
    was free and seeded the demo again. Grouping by folder needs neither.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class DemoTogetherScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(DEMO_TESTS):
                return DEMO_GROUP
            return super()._split_scope(nodeid)

    return DemoTogetherScheduling(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _uses_demo(item) and not _uses_demo(nextitem):
            _demo_close()
