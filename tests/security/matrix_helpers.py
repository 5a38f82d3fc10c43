"""What the permission matrix tests share: the expected statuses, the roles, and
how one cell (URL x role) is checked.

The matrix tables (tests/security/matrix_rows_*.py, joined in
tests/security/test_permission_matrix.py) and any other matrix file import from
here: `from tests.security.matrix_helpers import LOGIN, OK, ..., check_cell, cases`.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import build_world

LOGIN = "login"
OK = 200
FOUND = 302
FORBIDDEN = 403
NOT_FOUND = 404
UNSUPPORTED = 415
ROLES = ["anonymous", "partner", "rep", "marketer", "admin"]


def no_kwargs(world):
    return {}


def all_url_names(resolver=None, namespace=""):
    """Every named URL of the site, with its namespaces (`content:asset`)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from all_url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def cases(matrix):
    """One pytest param per cell of the table: (name, kwargs, method, role, status)."""
    for name, kwargs, method, *expected in matrix:
        for role, status in zip(ROLES, expected, strict=True):
            yield pytest.param(
                name,
                kwargs,
                method,
                role,
                status,
                id=f"{name}-{kwargs.__name__}-{role}",
            )


def check_cell(name, kwargs, method, role, expected, world=None) -> None:
    """Request the URL as the role and check the status: in the given world (the
    `shared_world` fixture of tests/security/conftest.py), or a new one."""
    world = world or build_world()
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(name, kwargs=kwargs(world))
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == FOUND, (url, role, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (url, role, response.status_code)
