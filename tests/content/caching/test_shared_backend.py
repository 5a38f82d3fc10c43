"""The default cache is one cache for every worker process; `check --deploy`
warns about a per-process cache."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import reverse

from content.caching.keys import content_version
from content.checks import per_process_cache
from content.services.library import asset_retire
from tests.factories import AssetFactory

ROOT = Path(__file__).resolve().parents[3]
FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"


def _environment(**extra: str) -> dict[str, str]:
    drop = (
        "DATABASE_URL",
        "REDIS_URL",
        "WINGMAN_CACHE_DIR",
        "SQLITE_PATH",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    )
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return {**clean, **extra}


def _in_a_new_process(code: str, **env: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "manage.py", "shell", "-c", code],
        env=_environment(**env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]  # after django-axes' banner


def test_the_default_cache_is_the_shared_file_cache():
    code = (
        "from django.conf import settings;"
        "c = settings.CACHES['default'];"
        "print(c['BACKEND'], c['LOCATION'])"
    )
    backend, location = _in_a_new_process(code).split()
    assert backend == FILE_CACHE
    assert Path(location) == ROOT / "var" / "cache"


def test_two_processes_on_default_settings_share_one_content_version(tmp_path):
    """A bump made by one worker process is read by the next, as with gunicorn."""
    bump = (
        "from content.caching.keys import _bump, content_version;"
        "before = content_version(); _bump(); print(before, content_version())"
    )
    first = [
        int(v) for v in _in_a_new_process(bump, WINGMAN_CACHE_DIR=str(tmp_path)).split()
    ]
    second = [
        int(v) for v in _in_a_new_process(bump, WINGMAN_CACHE_DIR=str(tmp_path)).split()
    ]
    assert first[1] == first[0] + 1
    assert second == [first[1], first[1] + 1]


def test_two_databases_never_share_cached_values(tmp_path):
    """The same key on one cache dir, from sites on two databases."""
    probe = (
        "from django.core.cache import cache;"
        "print(cache.get('wingman:probe')); cache.set('wingman:probe', 'seen', 60)"
    )
    cache_dir = str(tmp_path / "cache")

    def run(database: str) -> str:
        sqlite = str(tmp_path / database)
        return _in_a_new_process(probe, WINGMAN_CACHE_DIR=cache_dir, SQLITE_PATH=sqlite)

    assert run("one.sqlite3") == "None"
    assert run("one.sqlite3") == "seen"  # the same database: one shared cache
    assert run("two.sqlite3") == "None"  # another database: nothing of the first


@pytest.mark.django_db
def test_a_retire_in_one_worker_is_seen_by_the_other_on_the_file_cache(
    tmp_path, marketer, stage, client_for, rep
):
    """Two workers on the default (file) backend: the bump is shared, so the
    other worker's cached pages are never even read."""
    workers = {
        name: override_settings(
            CACHES={"default": {"BACKEND": FILE_CACHE, "LOCATION": str(tmp_path)}}
        )
        for name in ("a", "b")
    }
    asset = AssetFactory(owner=marketer, stages=[stage], title="Kestrel card")
    client = client_for(rep)
    url = reverse("content:stage", kwargs={"slug": stage.slug})
    with workers["b"]:
        assert "Kestrel card" in client.get(url).content.decode()
        before = content_version()
    with workers["a"]:
        asset_retire(actor=marketer, asset=asset, reason="Outdated")
        after = content_version()
    with workers["b"]:
        assert content_version() == after > before
        assert "Kestrel card" not in client.get(url).content.decode()
        cache.clear()


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_two_app_servers_share_one_content_version_on_redis():
    prefix = f"wingman-test-{uuid.uuid4().hex}"
    config = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": prefix,
        "TIMEOUT": 60,
    }
    from content.caching.keys import VERSION_KEY, _bump

    with override_settings(CACHES={"default": config}):
        before = content_version()
        _bump()
    # Another server: a new connection under the same settings.
    with override_settings(CACHES={"default": dict(config)}):
        try:
            assert content_version() == before + 1
        finally:
            cache.delete(VERSION_KEY)


# The deploy check ------------------------------------------------------------------


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_check_deploy_warns_about_a_per_process_cache(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend}}
    (warning,) = per_process_cache()
    assert warning.id == "content.W001"
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["caches"])}
    assert "content.W001" in ids


def test_check_deploy_is_quiet_on_a_shared_cache_or_in_debug(settings, tmp_path):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": FILE_CACHE, "LOCATION": str(tmp_path)}}
    assert per_process_cache() == []
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert per_process_cache() == []
    settings.DEBUG = True  # runserver: one process
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert per_process_cache() == []


def test_the_deploy_check_is_not_run_outside_deploy(settings):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    ids = {m.id for m in run_checks(tags=["caches"])}
    assert "content.W001" not in ids
