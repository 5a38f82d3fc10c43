import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    """Import the settings module fresh under `env` and print one expression."""
    code = (
        "import os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'enablement.settings');"
        "from django.conf import settings;"
        f"print({expression})"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_default_database_is_sqlite_in_wal_mode():
    engine = _settings_in_subprocess({}, "settings.DATABASES['default']['ENGINE']")
    assert engine == "django.db.backends.sqlite3"
    init = _settings_in_subprocess(
        {}, "settings.DATABASES['default']['OPTIONS']['init_command']"
    )
    assert "journal_mode=WAL" in init
    assert "busy_timeout" in init


def test_database_url_switches_to_postgresql():
    env = {"DATABASE_URL": "postgres://u:p@db.example:5432/wingman"}
    engine = _settings_in_subprocess(env, "settings.DATABASES['default']['ENGINE']")
    assert engine == "django.db.backends.postgresql"
    host = _settings_in_subprocess(env, "settings.DATABASES['default']['HOST']")
    assert host == "db.example"


def test_s3_storage_when_bucket_is_set():
    env = {"AWS_STORAGE_BUCKET_NAME": "wingman-files"}
    backend = _settings_in_subprocess(env, "settings.STORAGES['default']['BACKEND']")
    assert backend == "storages.backends.s3.S3Storage"
    local = _settings_in_subprocess({}, "settings.STORAGES['default']['BACKEND']")
    assert local == "django.core.files.storage.FileSystemStorage"


def test_redis_cache_when_redis_url_is_set():
    env = {"REDIS_URL": "redis://127.0.0.1:6379/1"}
    backend = _settings_in_subprocess(env, "settings.CACHES['default']['BACKEND']")
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_debug_is_off_unless_asked():
    assert _settings_in_subprocess({}, "settings.DEBUG") == "False"
    assert _settings_in_subprocess({"DJANGO_DEBUG": "true"}, "settings.DEBUG") == "True"


def test_bad_boolean_is_a_clear_error():
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings_in_subprocess({"DJANGO_DEBUG": "maybe"}, "settings.DEBUG")
    assert "DJANGO_DEBUG must be a boolean" in excinfo.value.stderr


def test_check_deploy_is_clean_with_production_settings():
    env = {
        "DJANGO_SECRET_KEY": "x7#kP2!vQ9zL$mN4@rT8^wY1&bC6*eF3(hJ5)uI0-oA9=sD2+gH4",
        "DJANGO_ALLOWED_HOSTS": "wingman.example.com",
        "DJANGO_DEBUG": "false",
    }
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production
    # never does, and check --deploy rightly refuses it.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_migrations_match_the_models():
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_apply_to_a_fresh_database(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env={**clean, "SQLITE_PATH": str(tmp_path / "fresh.sqlite3")},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
