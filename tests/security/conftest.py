"""Fixtures of the security tests: one world shared by a module's tests (the
permission matrix), and the review findings' share."""

import pytest
from django.db import transaction
from django.test import override_settings

from content.services.sharing import share_create
from tests.factories import AssetFactory, DealFactory, StageFactory, VersionFactory
from tests.security.world import World, build_world


def _storages(media) -> dict:
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


@pytest.fixture(scope="module")
def _world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per test module and process inside a transaction left
    open; each test then runs in its own savepoint inside it (the way Django's
    TestCase keeps setUpTestData), and the transaction is rolled back when pytest
    leaves the module (or the process moves to another module's tests: pytest
    tears module fixtures down then, and builds them again on return).

    The permission matrix has about a thousand cells: building the world for each
    (sixteen factory rows and four stored files) was half of its time (issue 13).
    """
    media = tmp_path_factory.mktemp("world-media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                MEDIA_ROOT=str(media),
                STORAGES=_storages(media),
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ):
                world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield world, media
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def shared_world(_world_once, db, settings) -> World:
    """The module's shared world, read afresh for this test; the test's writes are
    undone with its savepoint (files it stores stay in the world's media folder,
    unreferenced, until the run ends)."""
    world, media = _world_once
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = _storages(media)
    return world.reloaded()


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


@pytest.fixture
def shared_asset(db, marketer):
    stage = StageFactory(name="Discovery", slug="discovery")
    asset = AssetFactory(owner=marketer, stages=[stage], for_partners=True)
    version = VersionFactory(asset=asset, number=1)
    asset.current_version = version
    asset.save(update_fields=["current_version"])
    return asset


@pytest.fixture
def share(rep, shared_asset):
    deal = DealFactory(owner=rep, stage=shared_asset.stages.first())
    return share_create(
        user=rep, assets=[shared_asset], recipient="jane@globex.example", deal=deal
    )
