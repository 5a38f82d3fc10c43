"""The permission matrix rows of prospect engagement's URLs (issue 17): the share
link's page images and its heartbeat beacon, every role.

Same table and runner as tests/security/test_permission_matrix.py; the main
file's `test_every_url_is_in_the_matrix` points here for these names.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from content.services import engagement
from content.services.sharing import share_create
from tests.content.sharing import matrix as sh
from tests.content.sharing.conftest import with_pages
from tests.security.matrix_helpers import cases, check_cell
from tests.security.test_permission_matrix import FORBIDDEN, NOT_FOUND, OK
from tests.security.world import build_world

NO_CONTENT = 204
GONE = 410


def page_one(world):
    share, token = sh._rep_share(world)
    if not world.partner_asset.current_version.page_count:
        with_pages(world.partner_asset, 2)
    return {"token": token, "item_pk": share.items.get().pk, "number": 1}


def page_beyond(world):
    return {**page_one(world), "number": 3}


def revoked_page(world):
    kwargs = page_one(world)
    sh.revoked_token(world)
    return kwargs


def gated_page(world):
    share, token = share_create(
        user=world.users["rep"],
        assets=[world.partner_asset],
        recipient="Gated",
        require_email=True,
    )
    page_one(world)
    return {"token": token, "item_pk": share.items.get().pk, "number": 1}


def beacon(world):
    return {"token": sh._rep_share(world)[1]}


def revoked_beacon(world):
    kwargs = beacon(world)
    sh.revoked_token(world)
    return kwargs


# (url name, kwargs builder, method, anon, partner, rep, marketer, admin)
# Public under /s/: every role gets the same answer; the token (and the link's
# gate) decides, never a sign-in. The beacon takes no CSRF token: without a
# signed visit token it is refused (400 here: no body), and signed-in people's
# beats are ignored (204, nothing stored).
MATRIX = [
    ("content:share_public_page", page_one, "get", *[OK] * 5),
    ("content:share_public_page", page_beyond, "get", *[NOT_FOUND] * 5),
    ("content:share_public_page", revoked_page, "get", *[GONE] * 5),
    ("content:share_public_page", gated_page, "get", *[FORBIDDEN] * 5),
    ("content:share_beacon", beacon, "post", 400, *[NO_CONTENT] * 4),
    ("content:share_beacon", revoked_beacon, "post", GONE, *[NO_CONTENT] * 4),
    ("content:share_beacon", beacon, "get", *[405] * 5),
]
URL_NAMES = {row[0] for row in MATRIX}


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,method,role,expected", list(cases(MATRIX)))
def test_permission_matrix_engage(name, kwargs, method, role, expected):
    check_cell(name, kwargs, method, role, expected)


@pytest.mark.django_db
def test_a_signed_beat_from_another_link_is_forbidden_for_everyone():
    world = build_world()
    share, token = sh._rep_share(world)
    other, _ = share_create(
        user=world.users["rep"], assets=[world.partner_asset], recipient="Other"
    )
    visit = engagement.visit_start(
        share=other, visitor_hash="x", user_agent="Mozilla/5.0"
    )
    body = json.dumps(
        {"t": engagement.visit_token(visit), "p": [[share.items.get().pk, 1, 1]]}
    )
    response = Client().post(
        reverse("content:share_beacon", kwargs={"token": token}),
        data=body,
        content_type="text/plain",
    )
    assert response.status_code == FORBIDDEN
