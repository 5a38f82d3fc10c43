"""The contract test: what a CRM developer does with our schema, in CI.

1. The schema validates under OpenAPI's own rules (openapi-spec-validator).
2. openapi-python-client generates a client from it, offline.
3. `mypy --strict` passes on the generated client and the CRM flow written
   against it (contract/crm_flow.py).
4. The flow runs through the generated client against a live server, and every
   response it gets is checked against the schema: status, content type, body
   and the headers the flow relies on.

About 20 s on a quiet machine (generation and mypy dominate); marked `contract`
so `pytest -m "not contract"` can skip it while iterating.
"""

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from accounts.services_tokens import api_token_create
from content.models import AssetKind, Deal, DealOutcome, Usage
from tests.api.conftest import with_current_version
from tests.api.schema_tools import api_schema
from tests.factories import AssetFactory, StageFactory

pytestmark = pytest.mark.contract
CONTRACT = Path(__file__).parent / "contract"
FLOW = CONTRACT / "crm_flow.py"
# Any attempt to reach the network at generate time fails fast through these.
OFFLINE = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "PIP_NO_INDEX": "1",
}
# Headers the flow acts on: each must be declared on the response carrying it.
ACTED_ON = ("ETag", "Idempotent-Replayed", "Retry-After", "Content-Disposition")


def _run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tools, fixed arguments
        command,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **OFFLINE, **env},
        check=False,
    )


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory) -> Path:
    """The client, generated once per run from the schema /api/schema/ serves."""
    schema = api_schema()
    validate_spec(schema)
    folder = tmp_path_factory.mktemp("contract")
    schema_file = folder / "schema.json"
    schema_file.write_text(json.dumps(schema))
    result = _run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema_file),
            "--config",
            str(CONTRACT / "openapi-python-client.yaml"),
            "--output-path",
            str(folder / "client"),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator reports schema parts it could not turn into code.
    assert "Warning" not in result.stdout + result.stderr, result.stdout
    return folder / "client"


def test_generated_client_and_crm_flow_pass_mypy_strict(generated_client):
    result = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.11",
            "--cache-dir",
            str(generated_client.parent / ".mypy_cache"),
            str(FLOW),
        ],
        MYPYPATH=str(generated_client),
    )
    assert result.returncode == 0, result.stdout + result.stderr


class SchemaConformance:
    """An httpx response hook: every response is one the schema declares."""

    def __init__(self) -> None:
        self.schema = api_schema()
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
            for path in self.schema["paths"]
        ]
        self.checked: list[str] = []

    def _operation(self, request: httpx.Request) -> dict:
        path = urlsplit(str(request.url)).path
        # Parameters are one segment: the client percent-encodes "/" in them.
        (template,) = [t for regex, t in self.templates if regex.match(path)]
        return self.schema["paths"][template][request.method.lower()]

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        operation = self._operation(response.request)
        where = f"{response.request.method} {response.request.url.path}"
        declared = operation["responses"].get(str(response.status_code))
        assert declared, f"{where}: undeclared status {response.status_code}"
        for header in ACTED_ON:
            if header in response.headers:
                assert header in declared.get("headers", {}), f"{where}: {header}"
        content = declared.get("content")
        if not content:
            assert not response.content, f"{where}: body where none is declared"
        else:
            media = response.headers["content-type"]
            assert media in content, f"{where}: undeclared type {media}"
            if media == "application/json":
                root = {
                    "components": self.schema["components"],
                    **content[media]["schema"],
                }
                errors = [
                    e.message
                    for e in Draft202012Validator(root).iter_errors(response.json())
                ]
                assert not errors, f"{where}: {errors}"
        self.checked.append(f"{where} {response.status_code}")


@pytest.fixture
def crm_world(transactional_db, rep, marketer):
    stage = StageFactory(name="Discovery", slug="discovery", order=2)
    for n in range(3):
        with_current_version(
            AssetFactory(title=f"Deck {n}", owner=marketer, stages=[stage])
        )
    AssetFactory(
        title="Card without a file",
        kind=AssetKind.BATTLE_CARD,
        owner=marketer,
        stages=[stage],
    )
    _token, key = api_token_create(user=rep, name="CRM sync")
    return key


def test_crm_flow_runs_through_the_generated_client(
    generated_client, live_server, crm_world, rep, monkeypatch
):
    monkeypatch.syspath_prepend(str(generated_client))
    flow = importlib.import_module("tests.api.contract.crm_flow")
    conformance = SchemaConformance()

    report = flow.run(
        base_url=live_server.url,
        token=crm_world,
        crm_id="SF-0061/A",
        stage="discovery",
        httpx_args={"event_hooks": {"response": [conformance]}},
    )

    assert report.username == rep.username
    assert report.pages_read == 3
    assert sorted(report.titles_seen) == ["Deck 0", "Deck 1", "Deck 2"]
    assert "'nowhere'" in report.search_errors[0]
    assert report.deal_statuses == [201, 200]
    assert report.usage_statuses == [201, 200]
    assert report.usage_ids[0] == report.usage_ids[1]
    assert report.replayed_header == "true"
    assert report.outcome == "won"
    assert "'nowhere'" in report.stage_errors[0]
    assert report.download_size > 0
    assert report.revalidated_status == 304
    deal = Deal.objects.get(owner=rep, crm_id="SF-0061/A")
    assert deal.outcome == DealOutcome.WON
    assert Usage.objects.filter(deal=deal).count() == 1
    assert len(conformance.checked) >= 15
