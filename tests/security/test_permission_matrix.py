"""Every URL of the site against every role, in one table.

Each row: URL name, how to build its kwargs from the world, HTTP method, and the
expected status for anonymous, partner, rep, marketer, admin. LOGIN means a
redirect to the login page. A row per object variant that matters (own vs other's
deal, draft, retired, internal-only). `test_every_url_is_in_the_matrix` fails when a
new URL is added without a row, so nothing ships unchecked.
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
ROLES = ["anonymous", "partner", "rep", "marketer", "admin"]


def no_kwargs(world):
    return {}


# (url name, kwargs builder, method, anon, partner, rep, marketer, admin)
MATRIX = [
    ("home", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("healthz", no_kwargs, "get", OK, OK, OK, OK, OK),
    ("accounts:login", no_kwargs, "get", OK, FOUND, FOUND, FOUND, FOUND),
    ("accounts:profile", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("accounts:password_change", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("accounts:password_change_done", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("accounts:password_reset", no_kwargs, "get", OK, OK, OK, OK, OK),
    ("accounts:password_reset_done", no_kwargs, "get", OK, OK, OK, OK, OK),
    ("accounts:password_reset_complete", no_kwargs, "get", OK, OK, OK, OK, OK),
    ("accounts:logout", no_kwargs, "post", FOUND, FOUND, FOUND, FOUND, FOUND),
    ("admin:index", no_kwargs, "get", FOUND, FOUND, FOUND, FOUND, OK),
    # matrix:library
    # matrix:playbook
    # matrix:analytics
    # matrix:sharing
    # matrix:api
]

# URL names that the matrix does not cover row by row, and why.
NOT_IN_MATRIX = {
    "accounts:password_reset_confirm": "needs a token; tested in test_auth",
}
# The Django admin's own URLs are covered by the admin:index row and its staff check.
SKIPPED_NAMESPACES = ("admin",)


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _all_url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    covered = {row[0] for row in MATRIX} | set(NOT_IN_MATRIX)
    missing = sorted(
        name
        for name in set(_all_url_names())
        if name not in covered and not name.startswith(SKIPPED_NAMESPACES)
    )
    assert not missing, f"URLs without a permission matrix row: {missing}"


def _cases():
    for name, kwargs, method, *expected in MATRIX:
        for role, status in zip(ROLES, expected, strict=True):
            yield pytest.param(
                name,
                kwargs,
                method,
                role,
                status,
                id=f"{name}-{kwargs.__name__}-{role}",
            )


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,method,role,expected", list(_cases()))
def test_permission_matrix(name, kwargs, method, role, expected):
    world = build_world()
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
