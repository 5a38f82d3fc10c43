import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from content.models import AssetKind
from content.services import library as services
from tests.content.library import builders
from tests.content.library.builders import upload
from tests.content.library.conftest import stored_files

pytestmark = pytest.mark.django_db


def test_sweeping_finds_and_deletes_only_old_orphans(
    marketer, stage, _private_media, run_tasks
):
    with run_tasks():
        asset = services.asset_create(
            actor=marketer,
            kind=AssetKind.DECK,
            title="Deck",
            stages=[stage],
            file=upload("deck.pdf", builders.pdf_bytes()),
        )
    asset.current_version.refresh_from_db()
    version = asset.current_version
    kept = {version.file.name, version.thumbnail.name}
    kept |= {page.image.name for page in version.pages.all()}
    assert len(kept) == 3  # the file, its thumbnail, its one page
    old = default_storage.save("assets/orphan.pdf", ContentFile(b"%PDF-1.4"))
    fresh = default_storage.save("thumbnails/in-flight.png", ContentFile(b"png"))
    os.utime(_private_media / old, (0, 0))  # long ago
    out = io.StringIO()
    call_command("sweep_orphan_files", stdout=out)
    assert f"orphan {old}" in out.getvalue() and fresh not in out.getvalue()
    assert old in stored_files()
    call_command("sweep_orphan_files", "--delete", stdout=io.StringIO())
    assert set(stored_files()) == kept | {fresh}
