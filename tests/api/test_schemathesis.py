"""The whole API schema, fuzzed with schemathesis against the app (in process, WSGI).

For a rep and a marketer: no 5xx, every response matches the schema (status
codes, content types, bodies), invalid input is refused, auth is enforced. Kept
small (a few examples per operation) so the run stays well under two minutes.

The schema is generated at import time by drf-spectacular, exactly as
/api/schema/ serves it (test_served_schema_is_the_fuzzed_schema checks that),
because schemathesis' fixture loader does not support pytest 9.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from accounts.services_tokens import api_token_create
from tests.factories import DealFactory, UsageFactory

MAX_EXAMPLES = 8
# "Schema-valid data must be accepted" cannot hold for references OpenAPI cannot
# express: a stage slug that exists, a deal that is yours, one of two fields.
# Those are 400s with messages, which the other checks still validate.
# "Schema-violating data must be refused" cannot hold either: DRF coerces what it
# can read (a number 0 for a text field is "0", "5" for an integer is 5), as a
# lenient server should; what it refuses, the other checks and
# test_fuzz_filters.py's hostile values cover.
EXCLUDED_CHECKS = [positive_data_acceptance, negative_data_rejection]


def _generated_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


class _App:
    """The WSGI app, rebuilt for each test: Django's middleware reads settings
    (SSL redirect, throttles) when it is built, so it must see the test's."""

    handler = None

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)


SCHEMA = _generated_schema()
APP = _App()
schema = schemathesis.openapi.from_dict(SCHEMA)
# Every request, including the checks' own extra ones, goes to the app in process.
schema.app = APP
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@pytest.fixture
def app(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1000000/minute"},
    }
    APP.handler = get_wsgi_application()
    # Like Django's test client: the test's transaction holds the data, so the
    # handler must not close the connection at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield APP
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        APP.handler = None


def _headers_for(user, library) -> dict[str, str]:
    """A token for `user`, and some data of theirs for the fuzzer to find."""
    _token, key = api_token_create(user=user, name="schemathesis")
    DealFactory(owner=user, stage=library["stage"], crm_id="CRM-1")
    deal = DealFactory(owner=user, stage=library["stage"], crm_id="0")
    UsageFactory(deal=deal, asset=library["internal"])
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def rep_headers(db, rep, library):
    return _headers_for(rep, library)


@pytest.fixture
def marketer_headers(db, marketer, library):
    return _headers_for(marketer, library)


@schema.parametrize()
@FUZZ
def test_api_conforms_to_its_schema_for_a_rep(case, app, rep_headers):
    case.call_and_validate(
        app=app, headers=rep_headers, excluded_checks=EXCLUDED_CHECKS
    )


@schema.parametrize()
@FUZZ
def test_api_conforms_to_its_schema_for_a_marketer(case, app, marketer_headers):
    case.call_and_validate(
        app=app, headers=marketer_headers, excluded_checks=EXCLUDED_CHECKS
    )


def test_served_schema_is_the_fuzzed_schema(rep_client):
    response = rep_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json() == SCHEMA


def test_schema_covers_every_api_area():
    paths = set(SCHEMA["paths"])
    for path in (
        "/api/v1/assets/",
        "/api/v1/assets/{id}/",
        "/api/v1/assets/{id}/rating/",
        "/api/v1/deals/",
        "/api/v1/deals/crm/{crm_id}/",
        "/api/v1/usages/",
        "/api/v1/stages/",
    ):
        assert path in paths
    assert "tokenAuth" in SCHEMA["components"]["securitySchemes"]
