"""The page images' URL against every role (issue 17), with the helpers of
test_permission_matrix.py: a page image is served exactly to whoever may fetch
the version's file; a partner never gets an internal asset's pages."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import VersionFactory, VersionPageFactory
from tests.security.matrix_helpers import cases, check_cell
from tests.security.test_permission_matrix import LOGIN, NOT_FOUND, OK
from tests.security.world import build_world


def _page_of(asset, number: int = 1, version=None):
    version = version or asset.current_version
    VersionPageFactory(version=version, number=number)
    return {"pk": asset.pk, "version_pk": version.pk, "number": number}


def internal_page(world):
    return _page_of(world.asset)


def partner_page(world):
    return _page_of(world.partner_asset)


def draft_page(world):
    return _page_of(world.draft)


def retired_page(world):
    return _page_of(world.retired)


def old_version_page(world):
    """A page of a version that is no longer the current one: managers only."""
    old = VersionFactory(asset=world.partner_asset, number=99)
    return _page_of(world.partner_asset, version=old)


def page_under_another_asset(world):
    """A real page, asked for under an asset it does not belong to."""
    kwargs = _page_of(world.partner_asset)
    return {**kwargs, "pk": world.asset.pk}


def missing_page(world):
    _page_of(world.partner_asset, number=1)
    version = world.partner_asset.current_version
    return {"pk": world.partner_asset.pk, "version_pk": version.pk, "number": 2}


# (url name, kwargs builder, method, anon, partner, rep, marketer, admin)
MATRIX = [
    ("content:page", internal_page, "get", LOGIN, NOT_FOUND, OK, OK, OK),
    ("content:page", partner_page, "get", LOGIN, OK, OK, OK, OK),
    ("content:page", draft_page, "get", LOGIN, NOT_FOUND, NOT_FOUND, OK, OK),
    ("content:page", retired_page, "get", LOGIN, NOT_FOUND, NOT_FOUND, OK, OK),
    ("content:page", old_version_page, "get", LOGIN, NOT_FOUND, NOT_FOUND, OK, OK),
    ("content:page", page_under_another_asset, "get", LOGIN, *[NOT_FOUND] * 4),
    ("content:page", missing_page, "get", LOGIN, *[NOT_FOUND] * 4),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,method,role,expected", list(cases(MATRIX)))
def test_page_permission_matrix(name, kwargs, method, role, expected):
    check_cell(name, kwargs, method, role, expected)


@pytest.mark.django_db
def test_a_page_answers_with_the_image_and_private_cache_headers():
    world = build_world()
    client = Client()
    client.force_login(world.users["rep"])
    response = client.get(reverse("content:page", kwargs=internal_page(world)))
    assert response.status_code == OK
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    again = client.get(response.wsgi_request.path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
