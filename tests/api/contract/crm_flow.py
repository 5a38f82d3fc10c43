"""The documented CRM flow (docs/api.md), written against the Python client that
`openapi-python-client` generates from /api/schema/. test_contract_client.py
generates the client, type-checks this file with `mypy --strict` and runs it
against a live server: if the contract breaks, one of the three fails.

Nothing here knows the API's URLs or JSON: only the generated client's names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from wingman_api_client import AuthenticatedClient
from wingman_api_client.api.account import me_retrieve
from wingman_api_client.api.assets import (
    assets_list,
    assets_retrieve,
    versions_download_retrieve,
)
from wingman_api_client.api.deals import (
    deals_crm_outcome_create,
    deals_crm_retrieve,
    deals_crm_update,
)
from wingman_api_client.api.usages import usages_create
from wingman_api_client.models import (
    AssetDetail,
    AssetSearchValidationError,
    AssetsListKind,
    Deal,
    DealOutcomeRequest,
    DealWriteRequest,
    DealWriteValidationError,
    Me,
    OutcomeEnum,
    PaginatedAssetList,
    Usage,
    UsageByCrmIdRequest,
)
from wingman_api_client.types import Response


class FlowError(AssertionError):
    """The API answered something its schema did not lead the client to expect."""


@dataclass
class FlowReport:
    username: str = ""
    titles_seen: list[str] = field(default_factory=list)
    pages_read: int = 0
    deal_statuses: list[int] = field(default_factory=list)
    usage_statuses: list[int] = field(default_factory=list)
    usage_ids: list[int] = field(default_factory=list)
    replayed_header: str | None = None
    outcome: str = ""
    stage_errors: list[str] = field(default_factory=list)
    search_errors: list[str] = field(default_factory=list)
    download_size: int = 0
    revalidated_status: int = 0


T = TypeVar("T")


def _expect(response: Response[Any], kind: type[T], status: int) -> T:
    if response.status_code != status or not isinstance(response.parsed, kind):
        raise FlowError(
            f"expected {status} {kind.__name__}, got {response.status_code}: "
            f"{response.content[:300]!r}"
        )
    return response.parsed


def _page_number(next_url: str) -> int:
    """The `next` link's page: generated clients take parameters, not URLs."""
    return int(parse_qs(urlsplit(next_url).query)["page"][0])


def run(
    *,
    base_url: str,
    token: str,
    crm_id: str,
    stage: str,
    prefix: str = "Token",
    httpx_args: dict[str, Any] | None = None,
) -> FlowReport:
    report = FlowReport()
    client = AuthenticatedClient(
        base_url=base_url, token=token, prefix=prefix, httpx_args=httpx_args or {}
    )

    # 1. Whose token is this?
    me = _expect(me_retrieve.sync_detailed(client=client), Me, 200)
    report.username = me.username

    # 2. Search with filters, and follow `next` to the end.
    page: int | None = 1
    while page is not None:
        listing = _expect(
            assets_list.sync_detailed(
                client=client,
                stage=stage,
                kind=AssetsListKind.DECK,
                page_size=1,
                page=page,
            ),
            PaginatedAssetList,
            200,
        )
        report.pages_read += 1
        report.titles_seen += [asset.title for asset in listing.results]
        next_url = listing.next_
        page = _page_number(next_url) if isinstance(next_url, str) else None

    # 3. A filter the server refuses comes back as typed field errors.
    refused_search = _expect(
        assets_list.sync_detailed(client=client, stage="nowhere"),
        AssetSearchValidationError,
        400,
    )
    if isinstance(refused_search.stage, list):
        report.search_errors = refused_search.stage

    # 4. PUT the deal by CRM id: created, then replaced (safe to repeat).
    deal_body = DealWriteRequest(
        name="Acme renewal", account="Acme Corp", stage=stage, amount="12500.00"
    )
    for _ in range(2):
        put = deals_crm_update.sync_detailed(crm_id, client=client, body=deal_body)
        report.deal_statuses.append(put.status_code)
        if not isinstance(put.parsed, Deal):
            raise FlowError(f"PUT deal: {put.status_code} {put.content[:300]!r}")

    # 5. Record a usage twice with one idempotency key: one usage, replayed.
    asset_id = _first_asset_with_a_file(client, stage=stage)
    usage_body = UsageByCrmIdRequest(
        deal_crm_id=crm_id, asset=asset_id, note="Sent after the demo"
    )
    for _ in range(2):
        recorded = usages_create.sync_detailed(
            client=client, body=usage_body, idempotency_key=f"{crm_id}-demo-deck"
        )
        report.usage_statuses.append(recorded.status_code)
        if not isinstance(recorded.parsed, Usage):
            raise FlowError(f"usage: {recorded.status_code} {recorded.content!r}")
        report.usage_ids.append(recorded.parsed.id)
        report.replayed_header = recorded.headers.get("Idempotent-Replayed")

    # 6. The deal is won: set the outcome by CRM id.
    closed = deals_crm_outcome_create.sync(
        crm_id,
        client=client,
        body=DealOutcomeRequest(outcome=OutcomeEnum.WON, amount="13000.00"),
    )
    if not isinstance(closed, Deal):
        raise FlowError(f"outcome: {closed!r}")
    report.outcome = closed.outcome.value

    # 7. A refused write: read the validation error's fields, typed.
    refused = _expect(
        deals_crm_update.sync_detailed(
            crm_id,
            client=client,
            body=DealWriteRequest(name="Acme", account="Acme", stage="nowhere"),
        ),
        DealWriteValidationError,
        400,
    )
    if isinstance(refused.stage, list):
        report.stage_errors = refused.stage
    still = _expect(deals_crm_retrieve.sync_detailed(crm_id, client=client), Deal, 200)
    if still.stage != stage:
        raise FlowError("a refused PUT changed the deal")

    # 8. Download the file, then revalidate with If-None-Match: 304, no body.
    detail = _expect(
        assets_retrieve.sync_detailed(asset_id, client=client), AssetDetail, 200
    )
    if detail.current_version is None:
        raise FlowError("the asset lost its file")
    version_id = detail.current_version.id
    download = versions_download_retrieve.sync_detailed(version_id, client=client)
    if download.status_code != 200:
        raise FlowError(f"download: {download.status_code}")
    report.download_size = len(download.content)
    again = versions_download_retrieve.sync_detailed(
        version_id, client=client, if_none_match=download.headers["ETag"]
    )
    report.revalidated_status = again.status_code
    return report


def _first_asset_with_a_file(client: AuthenticatedClient, *, stage: str) -> int:
    listing = _expect(
        assets_list.sync_detailed(client=client, stage=stage),
        PaginatedAssetList,
        200,
    )
    for asset in listing.results:
        if asset.current_version is not None:
            return asset.id
    raise FlowError("no asset with a file at this stage")
