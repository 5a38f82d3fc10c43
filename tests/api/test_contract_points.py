"""The API contract (issue 19, points 1-7): what the schema declares is what the
server does, in a shape a generated client can use."""

import re

import pytest
from django.db import OperationalError
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from content.models import Deal, DealOutcome
from tests.api.schema_tools import api_schema, component_errors, operation
from tests.factories import AssetFactory, DealFactory

pytestmark = pytest.mark.django_db
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations():
    for path, item in api_schema()["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _request_fields(op: dict) -> set[str]:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return set()
    component = api_schema()["components"]["schemas"][
        _ref_name(content["schema"]["$ref"])
    ]
    variants = [
        api_schema()["components"]["schemas"][_ref_name(v["$ref"])]
        for v in component.get("oneOf", [])
    ] or [component]
    return {name for variant in variants for name in variant["properties"]}


# Point 1: 400s have a typed body naming each field.


def test_every_400_declares_a_validation_error_naming_each_input():
    checked = 0
    for path, method, op in _operations():
        if "400" not in op["responses"]:
            continue
        schema = op["responses"]["400"]["content"]["application/json"]["schema"]
        name = _ref_name(schema["$ref"])
        assert name.endswith("ValidationError"), (path, method)
        fields = set(api_schema()["components"]["schemas"][name]["properties"])
        inputs = _request_fields(op) | {
            p["name"]
            for p in op.get("parameters", [])
            if p["in"] == "query" and p["name"] != "page"
        }
        assert inputs <= fields, (path, method, inputs - fields)
        assert "non_field_errors" in fields
        checked += 1
    assert checked >= 12


def test_refused_deal_answers_the_declared_validation_error(rep, token_client, library):
    client = token_client(rep)
    response = client.post(
        "/api/v1/deals/",
        {"name": "Acme", "account": "Acme", "amount": "-5", "stage": "nowhere"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"amount", "stage"}
    assert component_errors(body, "DealWriteValidationError") == []
    assert not Deal.objects.exists()


def test_a_rule_across_fields_is_an_object_of_messages_not_a_bare_list(
    rep, token_client, own_deal, library
):
    response = token_client(rep).post(
        "/api/v1/usages/",
        {"deal": own_deal.pk, "deal_crm_id": "CRM-1", "asset": library["card"].pk},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "exactly one" in body["non_field_errors"][0]
    assert component_errors(body, "UsageWriteValidationError") == []


# Point 2: a null current_version is valid under the version served.


def test_schema_is_valid_openapi_and_says_which_version():
    schema = api_schema()
    assert schema["openapi"].startswith("3.1")
    validate_spec(schema)


def test_asset_without_a_file_matches_its_schema(rep, token_client, marketer):
    asset = AssetFactory(title="Talk track only", owner=marketer)
    body = token_client(rep).get(f"/api/v1/assets/{asset.pk}/").json()
    assert body["current_version"] is None
    assert component_errors(body, "AssetDetail") == []


# Point 3: the download is what its schema says.


def test_download_declares_the_types_it_serves_its_304_and_no_format_param():
    op = operation("/api/v1/versions/{id}/download/", "get")
    served = set(op["responses"]["200"]["content"])
    assert {"application/pdf", "text/plain; charset=utf-8", "image/png"} <= served
    assert "304" in op["responses"]
    assert "Content-Disposition" in op["responses"]["200"]["headers"]
    for path, method, each in _operations():
        names = {p["name"] for p in each.get("parameters", [])}
        assert "format" not in names, (path, method)


def test_download_answers_304_when_the_client_has_the_file(rep, token_client, library):
    version = library["internal"].current_version
    client = token_client(rep)
    first = client.get(f"/api/v1/versions/{version.pk}/download/")
    assert first.status_code == 200
    assert first["Content-Type"] == "text/plain; charset=utf-8"
    again = client.get(
        f"/api/v1/versions/{version.pk}/download/", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "accept", ["application/pdf", "*/*", "image/png, text/html", "application/xml"]
)
def test_download_404_is_json_whatever_the_client_accepts(rep, token_client, accept):
    response = token_client(rep).get(
        "/api/v1/versions/999999/download/", HTTP_ACCEPT=accept
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No such file."}


# Point 4: headers clients act on are declared.


def test_headers_clients_act_on_are_declared():
    usage = operation("/api/v1/usages/", "post")["responses"]
    assert "Idempotent-Replayed" in usage["200"]["headers"]
    download = operation("/api/v1/versions/{id}/download/", "get")["responses"]
    assert "ETag" in download["200"]["headers"]
    assert "ETag" in download["304"]["headers"]
    limited = [op["responses"]["429"] for _p, _m, op in _operations()]
    assert limited
    assert all("Retry-After" in response["headers"] for response in limited)


# Point 5: consistent types.


def test_ids_in_paths_are_integers():
    for path, method, op in _operations():
        for parameter in op.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "id":
                assert parameter["schema"]["type"] == "integer", (path, method)


def test_amount_pattern_refuses_what_the_server_refuses():
    component = api_schema()["components"]["schemas"]["DealWriteRequest"]
    pattern = component["properties"]["amount"]["pattern"]
    assert not re.search(pattern, "-5")
    assert re.search(pattern, "12500.00")
    assert re.search(pattern, "7")


def test_usage_carries_the_version_id_the_download_takes(
    rep, token_client, own_deal, library
):
    client = token_client(rep)
    asset = library["internal"]
    created = client.post(
        "/api/v1/usages/", {"deal": own_deal.pk, "asset": asset.pk}, format="json"
    ).json()
    assert created["version"] == asset.current_version.number
    assert created["version_id"] == asset.current_version.pk
    download = client.get(f"/api/v1/versions/{created['version_id']}/download/")
    assert download.status_code == 200


# Point 6: rules the schema expresses.


def test_usage_body_is_exactly_one_of_deal_or_deal_crm_id():
    assert component_errors({"deal": 1, "asset": 2}, "UsageWriteRequest") == []
    assert component_errors({"deal_crm_id": "A", "asset": 2}, "UsageWriteRequest") == []
    both = {"deal": 1, "deal_crm_id": "A", "asset": 2}
    assert component_errors(both, "UsageWriteRequest")
    assert component_errors({"asset": 2}, "UsageWriteRequest")


def test_put_by_crm_id_refuses_a_different_crm_id_in_the_body(
    rep, token_client, own_deal
):
    response = token_client(rep).put(
        "/api/v1/deals/crm/CRM-1/",
        {"name": "Renamed", "account": "A", "stage": "discovery", "crm_id": "CRM-2"},
        format="json",
    )
    assert response.status_code == 400
    assert "CRM-2" in response.json()["crm_id"][0]
    own_deal.refresh_from_db()
    assert (own_deal.name, own_deal.crm_id) == ("Own", "CRM-1")


def test_put_by_crm_id_accepts_the_same_crm_id_in_the_body(rep, token_client, own_deal):
    response = token_client(rep).put(
        "/api/v1/deals/crm/CRM-1/",
        {"name": "Renamed", "account": "A", "stage": "discovery", "crm_id": "CRM-1"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


def test_a_crm_id_with_a_slash_is_created_by_put(rep, token_client, library):
    body = {"name": "Slashed", "account": "A", "stage": "discovery"}
    created = token_client(rep).put("/api/v1/deals/crm/ACME%2F42/", body, format="json")
    assert created.status_code == 201
    assert created.json()["crm_id"] == "ACME/42"


@pytest.mark.parametrize("crm_id", ["ACME/42", "a/b/c", "EU/outcome"])
def test_crm_id_with_a_slash_works_in_every_crm_id_path(
    rep, token_client, library, crm_id
):
    DealFactory(owner=rep, stage=library["stage"], crm_id=crm_id)
    client = token_client(rep)
    encoded = crm_id.replace("/", "%2F")
    body = {"name": "Slashed", "account": "A", "stage": "discovery"}
    replaced = client.put(f"/api/v1/deals/crm/{encoded}/", body, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["crm_id"] == crm_id
    assert client.get(f"/api/v1/deals/crm/{encoded}/").json()["name"] == "Slashed"
    patched = client.patch(
        f"/api/v1/deals/crm/{encoded}/", {"name": "Again"}, format="json"
    )
    assert patched.json()["name"] == "Again"
    won = client.post(
        f"/api/v1/deals/crm/{encoded}/outcome/", {"outcome": "won"}, format="json"
    )
    assert won.status_code == 200
    assert Deal.objects.get(crm_id=crm_id).outcome == DealOutcome.WON


def test_outcome_path_allows_only_post_for_other_crm_ids(rep, token_client, own_deal):
    response = token_client(rep).get("/api/v1/deals/crm/CRM-1/outcome/")
    assert response.status_code == 405


def test_outcome_is_settable_by_crm_id(rep, token_client, own_deal, other_deal):
    client = token_client(rep)
    response = client.post(
        "/api/v1/deals/crm/CRM-1/outcome/",
        {"outcome": "won", "amount": "42000.00"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "won"
    assert response.json()["amount"] == "42000.00"
    other = client.post(
        "/api/v1/deals/crm/CRM-9/outcome/", {"outcome": "lost"}, format="json"
    )
    assert other.status_code == 404
    other_deal.refresh_from_db()
    assert other_deal.outcome == DealOutcome.OPEN


def test_search_for_an_unknown_stage_is_a_400_naming_it(rep, token_client, library):
    client = token_client(rep)
    response = client.get("/api/v1/assets/", {"stage": "nowhere"})
    assert response.status_code == 400
    assert "'nowhere'" in response.json()["stage"][0]
    by_id = client.get("/api/v1/assets/", {"stage": library["other_stage"].pk})
    assert [a["title"] for a in by_id.json()["results"]] == ["Battle card: Acme"]
    deals = client.get("/api/v1/deals/", {"stage": "nowhere"})
    assert deals.status_code == 400
    assert "stage" in deals.json()


# Point 7: authentication as it really works.


def test_schema_declares_token_and_bearer_and_csrf_for_session_writes():
    schemes = api_schema()["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["tokenAuth"]["description"],
    }
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["csrfToken"]["name"] == "X-CSRFToken"
    for path, method, op in _operations():
        assert {"tokenAuth": []} in op["security"], (path, method)
        assert {"bearerAuth": []} in op["security"], (path, method)
        session = [s for s in op["security"] if "cookieAuth" in s]
        expected = {"cookieAuth": []}
        if method != "get":
            expected = {"cookieAuth": [], "csrfToken": []}
        assert session == [expected], (path, method)


def test_session_writes_need_the_csrf_token(rep, library):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(rep)
    body = {"name": "Acme", "account": "Acme", "stage": "discovery"}
    refused = client.post("/api/v1/deals/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/")  # a site page sets the CSRF cookie, as in a browser
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/deals/", body, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


# Issue 12, item 3: the schema and docs need a user or a valid token.


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
@pytest.mark.parametrize(
    "header", ["Basic Zm9vOmJhcg==", "Token nonsense", "Bearer ", "Digest x"]
)
def test_schema_and_docs_refuse_an_authorization_that_is_no_valid_token(
    db, url, header
):
    response = APIClient().get(url, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_open_with_a_token_or_a_session(
    rep, token_client, rep_client, url
):
    assert token_client(rep).get(url).status_code == 200
    assert rep_client.get(url).status_code == 200


# Issue 12, item 9: API errors are JSON, 500s included.


def test_an_unexpected_api_error_is_a_json_500(rep, token_client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("content.api.views.library.search_assets", broken)
    response = token_client(rep).get("/api/v1/assets/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "went wrong" in response.json()["detail"]


def test_a_database_outage_on_the_api_is_a_json_503(rep, token_client, monkeypatch):
    client = token_client(rep)

    def down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("content.api.views.library.search_assets", down)
    response = client.get("/api/v1/assets/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["detail"].startswith("Wingman is briefly unavailable")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assets/?stage=9223372036854775808",
        "/api/v1/usages/?deal=" + "9" * 23,
        "/api/v1/usages/?asset=" + "9" * 23,
    ],
)
def test_out_of_range_filters_are_a_400_not_a_500(rep, token_client, url):
    response = token_client(rep).get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
