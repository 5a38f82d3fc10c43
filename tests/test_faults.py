"""Faults: the database or the file store unreachable, the disk full.

The person gets a clear page (503 with Retry-After), nothing is half-written (no
rows, no orphaned files), and the site works again by itself once the fault goes.
"""

import errno
import os
import socket
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from content.models import Asset, AssetEvent, AssetStatus, EventKind, Version
from content.services.library import asset_create, asset_publish
from tests.content.library.builders import pdf_bytes
from tests.factories import StageFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@contextmanager
def database_fails(message: str, *, only_table: str | None = None):
    """Every query (or those on one table) raises the driver's OperationalError."""

    def wrapper(execute, sql, params, many, context):
        if only_table is None or only_table in sql:
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def client_for(user) -> Client:
    # The handler's answer is what a browser sees; do not re-raise in the test.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def published(marketer):
    stage = StageFactory(name="Discovery", slug="discovery")
    asset = asset_create(
        actor=marketer,
        kind="one_pager",
        title="Pricing one-pager",
        stages=[stage],
        file=SimpleUploadedFile("pricing.pdf", pdf_bytes("Pricing")),
    )
    return asset_publish(actor=marketer, asset=asset)


def stored_files(root: str) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file()
    )


# -- the database ---------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "connection to server at 127.0.0.1, port 5432 failed: Connection refused",
        "database is locked",
    ],
)
def test_database_unreachable_answers_503_then_recovers(rep, message):
    client = client_for(rep)
    with database_fails(message):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"cannot reach the database" in response.content
    assert b"Nothing you sent was half-saved" in response.content
    # The fault goes: the very next request works.
    assert client.get(reverse("home")).status_code == 200


def test_database_failing_inside_a_view_answers_503(rep, published):
    client = client_for(rep)
    with database_fails("server closed the connection", only_table="content_asset"):
        response = client.get(published.get_absolute_url())
    assert response.status_code == 503
    assert client.get(published.get_absolute_url()).status_code == 200


def test_a_real_bug_is_still_a_500(rep, monkeypatch):
    client = client_for(rep)
    monkeypatch.setattr(
        "content.views.home.stage_menu",
        lambda **kw: (_ for _ in ()).throw(ValueError("a bug")),
    )
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


PROBE = """
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "x" * 32  # a session to look up: the db is asked
response = client.get("/")
print(response.status_code, response.get("Retry-After"), b"cannot reach the database" in response.content)
"""  # noqa: E501


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_database_server_down_for_real_answers_503(backend, tmp_path):
    """A fresh process whose database is a closed port or an unopenable file."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="enablement.settings",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_PLAIN_STATIC="true",
    )
    if backend == "sqlite":
        env["SQLITE_PATH"] = str(tmp_path / "missing-dir" / "db.sqlite3")
    else:
        env["DATABASE_URL"] = f"postgres://wingman@127.0.0.1:{_closed_port()}/wingman"
    code = "import django; django.setup()\n" + PROBE
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["503", "30", "True"], result.stderr[-2000:]


# -- the file store: S3 stopped -------------------------------------------------


@pytest.fixture
def s3(settings):
    """A moto S3 server of our own, which the test can stop and start again."""
    import boto3
    from botocore.config import Config
    from moto.server import ThreadedMotoServer

    port = _closed_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    bucket = f"faults-{uuid.uuid4().hex[:10]}"
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "file_overwrite": False,
                # Fail fast in the test instead of retrying for seconds.
                "client_config": Config(
                    retries={"max_attempts": 1, "mode": "standard"},
                    connect_timeout=1,
                    read_timeout=2,
                    signature_version="s3v4",
                ),
            },
        },
    }
    state = {"server": server}

    def objects() -> list[str]:
        listing = client.list_objects_v2(Bucket=bucket)
        return sorted(o["Key"] for o in listing.get("Contents", []))

    def stop():
        state["server"].stop()

    def start():
        # moto keeps its buckets in this process: they are there again.
        state["server"] = ThreadedMotoServer(
            ip_address="127.0.0.1", port=port, verbose=False
        )
        state["server"].start()

    yield {"objects": objects, "stop": stop, "start": start}
    state["server"].stop()


def _new_asset_post(marketer_client, stage, name="deck.pdf"):
    return marketer_client.post(
        reverse("content:asset_add"),
        {
            "kind": "one_pager",
            "title": "Uploaded during a fault",
            "audience": "internal",
            "stages": [stage.pk],
            "file": SimpleUploadedFile(name, pdf_bytes("Fault test")),
        },
    )


@pytest.mark.s3
def test_s3_stopped_during_upload_is_a_clear_error_and_nothing_is_left(
    s3, marketer, stage
):
    client = client_for(marketer)
    before_assets, before_versions = Asset.objects.count(), Version.objects.count()
    s3["stop"]()
    response = _new_asset_post(client, stage)
    assert response.status_code == 503
    assert b"cannot reach the file store" in response.content
    assert (Asset.objects.count(), Version.objects.count()) == (
        before_assets,
        before_versions,
    )
    s3["start"]()
    assert s3["objects"]() == []  # no orphaned file either
    # Back: the same upload works.
    response = _new_asset_post(client, stage)
    assert response.status_code in (302, 204), response.status_code
    version = Version.objects.get(asset__title="Uploaded during a fault")
    assert version.file.name in s3["objects"]()


@pytest.mark.s3
def test_s3_stopped_during_download_is_not_a_crash(s3, marketer, rep, stage):
    asset = asset_create(
        actor=marketer,
        kind="one_pager",
        title="Stored on S3",
        stages=[stage],
        file=SimpleUploadedFile("s3.pdf", pdf_bytes("On S3")),
    )
    asset_publish(actor=marketer, asset=asset)
    client = client_for(rep)
    url = reverse("content:download", kwargs={"pk": asset.current_version.pk})
    s3["stop"]()
    # S3 downloads are signed redirects (no call to S3), or a clear 503.
    assert client.get(url).status_code in (302, 503)
    s3["start"]()
    assert client.get(url).status_code == 302


# -- the local disk: full, or gone ---------------------------------------------


class FullDiskStorage(FileSystemStorage):
    """Writes the first bytes of a file, then fails as a full disk does."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as partial:
            partial.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.fixture
def full_disk(settings, _private_media):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.test_faults.FullDiskStorage",
            "OPTIONS": {"location": str(_private_media)},
        },
    }
    return _private_media


def test_disk_full_during_upload_is_a_clear_error_and_nothing_is_left(
    full_disk, marketer, stage
):
    client = client_for(marketer)
    response = _new_asset_post(client, stage)
    assert response.status_code == 503
    assert b"file store is full" in response.content
    assert not Asset.objects.filter(title="Uploaded during a fault").exists()
    assert Version.objects.count() == 0
    assert stored_files(full_disk) == []


def test_disk_full_during_a_new_version_keeps_the_asset_as_it_was(
    published, marketer, settings, _private_media
):
    before = published.current_version
    files_before = stored_files(_private_media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.test_faults.FullDiskStorage",
            "OPTIONS": {"location": str(_private_media)},
        },
    }
    client = client_for(marketer)
    response = client.post(
        reverse("content:version_add", kwargs={"pk": published.pk}),
        {
            "file": SimpleUploadedFile("v2.pdf", pdf_bytes("v2")),
            "change_note": "New numbers",
        },
    )
    assert response.status_code == 503
    published.refresh_from_db()
    assert published.current_version == before
    assert published.versions.count() == 1
    assert published.status == AssetStatus.PUBLISHED
    assert stored_files(_private_media) == files_before


def test_local_file_store_gone_during_download_answers_503(published, rep, monkeypatch):
    def unreachable(self, name, mode="rb"):
        raise OSError(errno.EIO, "Input/output error", name)

    client = client_for(rep)
    url = reverse("content:download", kwargs={"pk": published.current_version.pk})
    monkeypatch.setattr(FileSystemStorage, "open", unreachable)
    response = client.get(url)
    assert response.status_code == 503
    assert b"cannot reach the file store" in response.content
    # A download the store could not serve is not counted.
    assert not AssetEvent.objects.filter(kind=EventKind.DOWNLOAD).exists()
    monkeypatch.undo()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert default_storage.exists(published.current_version.file.name)
