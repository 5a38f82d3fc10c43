"""The rules of the cache keys, one by one: their exact shape and length, how long
each value is kept, what the content version does when the cache loses it, and
what a code digest reads. (Mutation testing, `cache_keys` in pyproject.toml.)"""

import datetime
import re
import time

import pytest
from django.core.cache import cache

from content.caching import asset_body, keys, release, tiles
from tests.factories import AssetFactory, StageFactory

pytestmark = pytest.mark.django_db

HEX32 = "[0-9a-f]{32}"


class RecordingCache:
    """The real cache, with each write's timeout written down."""

    def __init__(self, real):
        self.real = real
        self.timeouts: dict[str, object] = {}
        self.reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return self.real.get(key, default)

    def get_many(self, keys_):
        self.reads += 1
        return self.real.get_many(keys_)

    def set(self, key, value, timeout):
        self.timeouts[key] = timeout
        self.real.set(key, value, timeout)

    def set_many(self, values, timeout):
        for key in values:
            self.timeouts[key] = timeout
        self.real.set_many(values, timeout)

    def add(self, key, value, timeout):
        self.reads += 1  # a round trip too
        self.timeouts[key] = timeout
        return self.real.add(key, value, timeout)

    def incr(self, key):
        return self.real.incr(key)


@pytest.fixture
def recorded(monkeypatch):
    cache.clear()
    recording = RecordingCache(cache)
    for module in (keys, tiles, asset_body):
        monkeypatch.setattr(module, "cache", recording)
    yield recording
    cache.clear()


# Shapes: every key is short and names its value, release and owner --------------


def test_a_library_key_lists_its_parts_sorted_and_comma_separated(rep):
    key = keys.library_key(keys.STAGE_PAGE, user=rep, stage=3, kind="deck")
    version = keys.content_version()
    assert key == (
        f"wingman:stage-page:{release.release()}:v{version}:internal:kind=deck,stage=3"
    )


def test_a_library_key_keeps_64_characters_of_parts_and_digests_65(rep):
    at_limit = "x" * (64 - len("q="))
    key = keys.library_key(keys.SEARCH, user=rep, q=at_limit)
    assert key.endswith(f":q={at_limit}")
    over = keys.library_key(keys.SEARCH, user=rep, q=at_limit + "y")
    assert re.fullmatch(rf"wingman:search:[^:]+:v\d+:internal:{HEX32}", over)
    assert over != keys.library_key(keys.SEARCH, user=rep, q=at_limit + "z")


def test_the_release_is_a_12_character_digest_of_the_code(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "views.py").write_text("x = 1\n")
    assert re.fullmatch("[0-9a-f]{12}", release.code_digest(tmp_path))


def test_a_tile_key_names_the_release_the_asset_and_a_32_character_digest():
    asset = AssetFactory()
    assert re.fullmatch(
        rf"wingman:tile:{re.escape(release.release())}:{asset.pk}:{HEX32}",
        tiles.tile_key(asset),
    )


def test_an_asset_body_key_names_the_release_the_asset_and_a_32_character_digest():
    asset = AssetFactory()
    assert re.fullmatch(
        rf"wingman:asset-body:{re.escape(release.release())}:{asset.pk}:{HEX32}",
        asset_body.asset_body_key(asset),
    )


# What changes a key --------------------------------------------------------------


def test_a_renamed_stage_gives_the_asset_body_a_new_key():
    asset = AssetFactory()
    asset.stages_changed_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    before = asset_body.asset_body_key(asset)
    asset.stages_changed_at = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    assert asset_body.asset_body_key(asset) != before


def test_a_new_icon_for_the_assets_kind_gives_its_tile_a_new_key(monkeypatch):
    asset = AssetFactory(kind="battle_card")
    icons = {"battle_card": "/static/img/kinds/battle_card.1.svg"}
    monkeypatch.setattr(tiles, "_kind_icon_url", lambda kind: icons.get(kind, "-"))
    before = tiles.tile_key(asset)
    icons["battle_card"] = "/static/img/kinds/battle_card.2.svg"  # a deploy
    assert tiles.tile_key(asset) != before


def test_the_code_digest_reads_source_files_by_path_and_ignores_the_rest(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "views.py").write_text("x = 1\n")
    (content / "logo.png").write_bytes(b"\x89PNG one")
    first = release.code_digest(tmp_path)
    (content / "logo.png").write_bytes(b"\x89PNG two")  # not source: ignored
    assert release.code_digest(tmp_path) == first
    (content / "views.py").rename(content / "models.py")  # same bytes, new path
    assert release.code_digest(tmp_path) != first
    (tmp_path / "requirements.txt").write_text("django==5.2\n")
    assert release.code_digest(tmp_path) != first


# Lifetimes -----------------------------------------------------------------------


def test_each_value_is_kept_for_its_entrys_lifetime(recorded, rep):
    version_before = keys.content_version()
    assert recorded.timeouts[keys.VERSION_KEY] is None  # kept until evicted
    assert version_before

    key = keys.library_key(keys.STAGE_KINDS, user=rep, stage=1)
    keys.remember(keys.STAGE_KINDS, key, lambda: {"deck": 2})
    assert recorded.timeouts[key] == keys.STAGE_KINDS.seconds == 600

    asset = AssetFactory(stages=[StageFactory()])
    tiles.with_tiles([asset])
    assert recorded.timeouts[tiles.tile_key(asset)] == keys.TILE.seconds
    asset_body.asset_body(asset)
    body_key = asset_body.asset_body_key(asset)
    assert recorded.timeouts[body_key] == keys.ASSET_BODY.seconds == 24 * 60 * 60


def test_an_evicted_version_is_replaced_by_one_that_never_expires(recorded):
    cache.delete(keys.VERSION_KEY)
    keys.content_version_bump()
    assert cache.get(keys.VERSION_KEY) is not None
    assert recorded.timeouts[keys.VERSION_KEY] is None


# The content version -------------------------------------------------------------


def test_a_fresh_version_is_the_milliseconds_since_the_epoch():
    # So a version made after an eviction is above every one handed out before
    # (they count up by one a change from an earlier millisecond).
    assert abs(keys._new_version() - time.time() * 1000) < 5_000


def test_the_version_is_read_once_when_the_cache_has_it(recorded):
    keys.content_version()
    recorded.reads = 0
    keys.content_version()
    assert recorded.reads == 1


def test_a_change_counts_the_version_up_by_one(recorded):
    before = keys.content_version()
    keys.content_version_bump()  # now (and once more when the change commits)
    assert keys.content_version() == before + 1


def test_the_first_version_is_the_one_the_cache_kept(recorded, monkeypatch):
    # Another worker may have added its version first: the cache's is the one.
    made = iter([100, 200, 300])
    monkeypatch.setattr(keys, "_new_version", lambda: next(made))
    cache.delete(keys.VERSION_KEY)
    assert keys.content_version() == 100
    assert cache.get(keys.VERSION_KEY) == 100


def test_a_cache_that_keeps_nothing_still_gives_a_version(monkeypatch):
    class Forgetful:
        def get(self, key, default=None):
            return default

        def add(self, key, value, timeout):
            return False

    monkeypatch.setattr(keys, "cache", Forgetful())
    assert isinstance(keys.content_version(), int)


# What an asset body reads on a miss ----------------------------------------------


def test_an_asset_body_reads_its_stages_and_tags_once_each_on_a_miss(
    django_assert_num_queries,
):
    asset = AssetFactory(stages=[StageFactory(), StageFactory()])
    asset.tags.add("pricing", "security")
    cache.clear()
    with django_assert_num_queries(2):  # stages (for 3 templates) and tags
        parts = asset_body.asset_body(asset)
    assert "pricing" in parts["about"]
    with django_assert_num_queries(0):
        asset_body.asset_body(asset)
