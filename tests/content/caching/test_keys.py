"""Cache keys: the audience class is visibility's own rule, tile keys cover what
their template reads and the release, and every key is documented."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.template.base import FilterExpression, Node, Variable
from django.template.loader import get_template, render_to_string

from accounts import roles
from accounts.models import Role
from content.caching import keys, release, tiles
from content.models import Asset
from content.selectors.library import with_tile_data
from tests.factories import AssetFactory, UserFactory, VersionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


# The audience class -------------------------------------------------------------


def test_users_of_one_audience_class_see_exactly_the_same_assets(marketer):
    for kwargs in ({}, {"for_partners": True}, {"draft": True}, {"retired": True}):
        AssetFactory(owner=marketer, **kwargs)
    people = [
        UserFactory(role=Role.PARTNER),
        UserFactory(role=Role.PARTNER),
        UserFactory(role=Role.REP),
        UserFactory(role=Role.REP),
        UserFactory(role=Role.MARKETER),
        UserFactory(role=Role.ADMIN),
        UserFactory(role=Role.REP, is_active=False),
        UserFactory(role=Role.PARTNER, is_active=False),
        AnonymousUser(),
    ]
    seen: dict[str, set[int]] = {}
    for person in people:
        visible = set(Asset.objects.visible_to(person).values_list("pk", flat=True))
        audience = roles.audience_class(person)
        assert seen.setdefault(audience, visible) == visible, person
    assert seen[roles.AUDIENCE_NONE] == set()
    assert len(seen) == 4  # all, internal, partner, none: four different sets
    assert len({frozenset(v) for v in seen.values()}) == 4


def test_an_inactive_user_shares_no_key_with_active_readers(rep, inactive_user):
    assert keys.library_key(keys.SEARCH, user=rep) != keys.library_key(
        keys.SEARCH, user=inactive_user
    )
    assert roles.audience_class(inactive_user) == roles.AUDIENCE_NONE


@pytest.fixture
def inactive_user(db):
    return UserFactory(role=Role.REP, is_active=False)


# The release --------------------------------------------------------------------


@pytest.fixture
def fresh_release():
    release.release.cache_clear()
    yield
    release.release.cache_clear()


def test_keys_carry_the_configured_release(settings, fresh_release, rep):
    asset = AssetFactory()
    settings.WINGMAN_RELEASE = "2026.12.1 build/7"
    old_tile, old_key = tiles.tile_key(asset), keys.library_key(keys.TAGS, user=rep)
    assert ":2026.12.1-build-7:" in old_tile
    assert ":2026.12.1-build-7:" in old_key
    settings.WINGMAN_RELEASE = "2026.12.2"
    release.release.cache_clear()
    assert tiles.tile_key(asset) != old_tile
    assert keys.library_key(keys.TAGS, user=rep) != old_key


def test_without_a_configured_release_the_code_decides_it(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "content").mkdir()
    tile = tmp_path / "templates" / "tile.html"
    model = tmp_path / "content" / "models.py"
    tile.write_text("<p>{{ asset.title }}</p>")
    model.write_text("TITLE = 1\n")
    first = release.code_digest(tmp_path)
    assert release.code_digest(tmp_path) == first  # every worker agrees
    model.write_text("TITLE = 2\n")  # a property a template calls changed
    second = release.code_digest(tmp_path)
    tile.write_text("<p>{{ asset.title|upper }}</p>")
    assert len({first, second, release.code_digest(tmp_path)}) == 3


def test_the_default_release_is_this_checkout_s_code(settings, fresh_release):
    settings.WINGMAN_RELEASE = ""
    assert release.release() == release.code_digest(ROOT)


# Tiles: the key covers every attribute the template reads ----------------------

_SKIPPED_ATTRIBUTES = {"origin", "token"}


def _lookups(obj, seen: set[int]):
    """Every variable path a compiled template reads: ("asset", "title"), ..."""
    if id(obj) in seen or obj is None or isinstance(obj, str | int | float):
        return
    seen.add(id(obj))
    if isinstance(obj, Variable):
        if obj.lookups:
            yield obj.lookups
        return
    if isinstance(obj, FilterExpression):
        yield from _lookups(obj.var, seen)
        for _func, args in obj.filters:
            for _is_lookup, arg in args:
                yield from _lookups(arg, seen)
        return
    if isinstance(obj, list | tuple | set):
        for item in obj:
            yield from _lookups(item, seen)
        return
    if isinstance(obj, dict):
        for item in obj.values():
            yield from _lookups(item, seen)
        return
    module = type(obj).__module__
    if isinstance(obj, Node) or module.startswith(
        ("django.template", "django.templatetags")
    ):
        for name, value in vars(obj).items():
            if name not in _SKIPPED_ATTRIBUTES:
                yield from _lookups(value, seen)


def _tile_reads() -> set[tuple[str, ...]]:
    template = get_template(tiles.TILE_TEMPLATE).template
    return set(_lookups(template.nodelist, set()))


def test_the_tile_template_reads_only_what_its_key_covers():
    reads = _tile_reads()
    assert ("asset", "title") in reads  # the walk finds variables at all
    assert ("asset", "kind") in reads  # ...also inside {% static %} and filters
    assert ("asset", "current_version", "thumbnail") in reads  # ...and {% if %}
    for path in reads:
        assert path[0] == "asset", f"the tile reads {path}: not part of its key"
        attribute = ".".join(path[1:])
        assert attribute in tiles.TILE_READS, (
            f"the tile reads asset.{attribute}: add it to TILE_READS"
        )


def _changed(field: models.Field, value):
    if field.choices:
        return next(choice for choice, _ in field.choices if choice != value)
    if isinstance(field, models.CharField | models.TextField):
        return f"{value or ''} changed"
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.IntegerField | models.FloatField):
        return (value or 0) + 7
    if isinstance(field, models.DateTimeField):
        return (value or datetime.datetime.now(datetime.UTC)) - datetime.timedelta(
            days=400
        )
    if isinstance(field, models.DateField):
        return (value or datetime.date.today()) - datetime.timedelta(days=400)
    return None  # relations, files, JSON: covered through TILE_READS


def _fetched(pk: int) -> Asset:
    """As a list of tiles fetches it."""
    return with_tile_data(Asset.objects.all()).get(pk=pk)


def _tile_asset(**kwargs) -> Asset:
    asset = AssetFactory(rating_count=2, rating_total=7, deal_count=3, **kwargs)
    version = VersionFactory(asset=asset, number=1)
    Asset.objects.filter(pk=asset.pk).update(current_version=version)
    return _fetched(asset.pk)


VARIANTS = {
    "published": {},
    "draft": {"draft": True},
    "for partners": {"for_partners": True},
    "verified": {"verified_at": datetime.datetime(2026, 5, 4, tzinfo=datetime.UTC)},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_whatever_changes_a_tile_s_markup_changes_its_key(variant):
    base = _tile_asset(**VARIANTS[variant])
    html = render_to_string(tiles.TILE_TEMPLATE, {"asset": base})
    key = tiles.tile_key(base)
    checked = 0
    for field in Asset._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        value = _changed(field, getattr(base, field.attname))
        if value is None:
            continue
        asset = _fetched(base.pk)
        setattr(asset, field.attname, value)
        if render_to_string(tiles.TILE_TEMPLATE, {"asset": asset}) != html:
            checked += 1
            assert tiles.tile_key(asset) != key, f"{field.name} shows but is not keyed"
    assert checked >= 6  # title, summary, kind, status or audience, counters, dates
    # The current file: a new thumbnail, or another version, shows and keys.
    asset = _fetched(base.pk)
    asset.current_version.thumbnail.name = "thumbnails/new.png"
    assert render_to_string(tiles.TILE_TEMPLATE, {"asset": asset}) != html
    assert tiles.tile_key(asset) != key


# Every cached value is documented ------------------------------------------------


def test_every_cached_value_is_in_the_caching_table():
    import content.caching

    # The full table (caching.md) and the architecture map's summary of it.
    docs = {
        name: (ROOT / "docs" / name).read_text()
        for name in ("caching.md", "architecture.md")
    }
    for entry in keys.REGISTRY:
        for name, doc in docs.items():
            assert f"`{entry.name}`" in doc, f"docs/{name} lacks {entry.name}"
        assert f"``{entry.name}``" in content.caching.__doc__, entry.name
