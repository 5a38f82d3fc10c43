"""Every URL of the site against every role, in one table.

Each row: URL name, how to build its kwargs from the world, HTTP method, and the
expected status for anonymous, partner, rep, marketer, admin. LOGIN means a
redirect to the login page. A row per object variant that matters (own vs other's
deal, draft, retired, internal-only). `test_every_url_is_in_the_matrix` fails when a
new URL is added without a row, so nothing ships unchecked.

Its helpers (statuses, ROLES, `cases`, `check_cell`, `all_url_names`) live in
tests/security/matrix_helpers.py, and stay importable from here too.
"""

import pytest

from tests.security.matrix_helpers import (  # noqa: F401 (re-exported)
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    ROLES,
    UNSUPPORTED,
    all_url_names,
    cases,
    check_cell,
    no_kwargs,
)
from tests.security.matrix_rows_shared import SHARED_ROWS
from tests.security.matrix_rows_site import SITE_ROWS

MATRIX = [*SITE_ROWS, *SHARED_ROWS]
_all_url_names = all_url_names  # the name tests/security/test_hardening.py imports

# URL names that the matrix does not cover row by row, and why.
NOT_IN_MATRIX = {
    "accounts:password_reset_confirm": "needs a token; tested in test_auth",
    "content:share_public_page": "rows in test_permission_matrix_engage.py",
    "content:share_beacon": "rows in test_permission_matrix_engage.py",
    "content:page": "rows in test_permission_matrix_pages.py",
}
# The Django admin's own URLs are covered by the admin:index row and its staff check.
SKIPPED_NAMESPACES = ("admin",)


def test_every_url_is_in_the_matrix():
    covered = {row[0] for row in MATRIX} | set(NOT_IN_MATRIX)
    missing = sorted(
        name
        for name in set(all_url_names())
        if name not in covered and not name.startswith(SKIPPED_NAMESPACES)
    )
    assert not missing, f"URLs without a permission matrix row: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,method,role,expected", list(cases(MATRIX)))
def test_permission_matrix(name, kwargs, method, role, expected, shared_world):
    check_cell(name, kwargs, method, role, expected, world=shared_world)
