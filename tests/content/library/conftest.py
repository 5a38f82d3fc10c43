"""Fixtures for the library: stored-file listings and an S3 server (moto)."""

import uuid

import pytest
from django.core.files.storage import default_storage

S3_CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}


def stored_files() -> list[str]:
    """Every file name in the default storage, local disk or S3."""

    def walk(path: str) -> list[str]:
        directories, names = default_storage.listdir(path)
        found = [f"{path}/{n}".lstrip("/") for n in names]
        for directory in directories:
            found += walk(f"{path}/{directory}".lstrip("/"))
        return found

    try:
        return sorted(walk(""))
    except FileNotFoundError:
        return []


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server on 127.0.0.1, for the whole test session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """Point the default storage at a fresh private bucket on the moto server."""
    import boto3

    bucket = f"wingman-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                **S3_CREDENTIALS,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                # Signature V4, as production should use (V2 is deprecated by AWS).
                "signature_version": "s3v4",
            },
        },
    }
    return {"bucket": bucket, "client": client, "endpoint": s3_server}


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def any_storage(request):
    """Run a test on local disk and again on S3."""
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return None
