"""Issue 12, "Security and robustness": unbounded request bodies (item 2)."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import Asset
from tests.content.library.builders import pdf_bytes
from tests.factories import (
    PASSWORD,
    StageFactory,
    UserFactory,
)

# 2. Unbounded request bodies -----------------------------------------------------


GIB = 1024**3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/password-reset/", "/s/" + "a" * 43 + "/"]
)
def test_item2_anonymous_oversized_body_is_refused_before_it_is_read(
    client, path, monkeypatch
):
    """A 1 GiB declared body is answered 413 without reading a byte of it."""
    read = []
    monkeypatch.setattr(
        "django.core.handlers.wsgi.LimitedStream.read",
        lambda self, *a: read.append(a) or b"",
    )
    response = client.generic(
        "POST",
        path,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(GIB),
    )
    assert response.status_code == 413
    assert "more than Wingman accepts" in response.content.decode()
    assert read == []


@pytest.mark.django_db
def test_item2_body_of_unknown_length_is_refused(client):
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411


@pytest.mark.django_db
def test_item2_signed_in_views_refuse_oversized_bodies_too(rep_client):
    response = rep_client.generic(
        "POST",
        reverse("content:notifications"),
        b"action=read_all",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(11 * 1024 * 1024),
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_item2_login_form_takes_no_file_part(client, monkeypatch):
    """A file part sent to a form without a file field is never spooled."""
    from django.core.files import uploadedfile

    spooled = []
    original = uploadedfile.TemporaryUploadedFile.__init__

    def record(self, *args, **kwargs):
        spooled.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", record)
    UserFactory(username="riley")
    payload = SimpleUploadedFile("big.bin", b"\0" * (3 * 1024 * 1024))
    response = client.post(
        reverse("accounts:login"),
        {"username": "riley", "password": PASSWORD, "file": payload},
    )
    assert response.status_code == 302  # the form itself still works
    assert spooled == []


@pytest.mark.django_db
def test_item2_upload_views_keep_their_larger_limit(marketer_client, settings):
    """An upload view accepts a body over the general limit, within its own."""
    settings.WINGMAN_MAX_REQUEST_BYTES = 1024 * 1024
    stage = StageFactory()
    response = marketer_client.post(
        reverse("content:asset_add"),
        {
            "kind": "one_pager",
            "title": "Big deck",
            "audience": "internal",
            "stages": [stage.pk],
            "file": SimpleUploadedFile("deck.pdf", pdf_bytes("Big") + b"\0" * 2**21),
        },
    )
    assert response.status_code != 413
    assert Asset.objects.filter(title="Big deck").exists()


@pytest.mark.django_db(transaction=True)
def test_item2_real_server_answers_413_before_the_body_is_sent(live_server):
    """Over a real socket: headers announce 1 GiB, the answer comes at once."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\n"
            + f"Host: {host}:{port}\r\nX-Forwarded-Proto: https\r\n".encode()
            + b"Content-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {GIB}\r\n\r\n".encode()
            + b'--x\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n'
            + b"\0" * 65536
        )
        answer = conn.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
