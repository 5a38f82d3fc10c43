"""scim2-tester against Wingman's SCIM server, in process (no network).

What we claim (docs/sso.md): discovery (ServiceProviderConfig, ResourceTypes,
Schemas), and create, read, replace (PUT) and delete of Users and Groups. Generic
PATCH of every attribute and attribute projection (?attributes=) are not
claimed; the PATCH operations identity providers send (active, members,
displayName) are tested in test_scim.py.
"""

from collections import Counter

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import check_server
from scim2_tester.utils import Status

from accounts.services_scim import scim_token_create

pytestmark = pytest.mark.django_db
NOT_CLAIMED = {"crud:read:attributes", "patch:add", "patch:remove", "patch:replace"}


@pytest.fixture
def keep_test_connection():
    """The checker calls the WSGI application itself, not Django's test client,
    so nothing stops each request's start and end from closing "old" database
    connections: on PostgreSQL that closes the test's own connection (inside its
    transaction) mid-test. Django's test client unhooks the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_scim_conformance_on_what_we_claim(admin_user, settings, keep_test_connection):
    settings.ALLOWED_HOSTS = ["localhost"]
    _, secret = scim_token_create(created_by=admin_user, name="checker")
    client = WSGISCIMClient(
        get_wsgi_application(),
        base_url="http://localhost/scim/v2",
        headers={"Authorization": f"Bearer {secret}"},
    )
    # Every check runs (the checker skips its "*" checks when given tags); only
    # those of what we claim must pass.
    results = [r for r in check_server(client) if not (r.tags & NOT_CLAIMED)]
    failures = [
        (r.resource_type, r.title, r.reason)
        for r in results
        if r.status in (Status.DEVIATION, Status.ERROR, Status.CRITICAL)
    ]
    assert not failures, failures
    ran = Counter((r.resource_type, r.title) for r in results)
    for resource in ("User", "Group"):
        for check in ("object_creation", "object_query", "object_replacement"):
            assert ran[(resource, check)], (resource, check)
        assert ran[(resource, "object_deletion")]
