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

from tests.accounts import matrix as acc
from tests.content.analytics import matrix as an
from tests.content.library import matrix as lb
from tests.content.playbook import matrix as pb
from tests.content.plays import matrix as pl
from tests.content.sharing import matrix as sh
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
    # The asset page and its files: reps see published ones for their audience,
    # marketers and admins everything; anything else is a 404, never the file.
    ("content:asset", lb.asset_pk, "get", LOGIN, NOT_FOUND, OK, OK, OK),
    ("content:asset", lb.partner_asset_pk, "get", LOGIN, OK, OK, OK, OK),
    ("content:asset", lb.draft_pk, "get", LOGIN, NOT_FOUND, NOT_FOUND, OK, OK),
    # A retired asset: reps (and partners, if it was cleared for them) get a page
    # that says so and points at the replacement; its file stays 404 below.
    ("content:asset", lb.retired_pk, "get", LOGIN, NOT_FOUND, OK, OK, OK),
    ("content:asset", lb.retired_partner_pk, "get", LOGIN, OK, OK, OK, OK),
    ("content:asset", lb.missing_asset_pk, "get", LOGIN, *[NOT_FOUND] * 4),
    ("content:download", lb.version_pk, "get", LOGIN, NOT_FOUND, OK, OK, OK),
    ("content:download", lb.partner_version_pk, "get", LOGIN, OK, OK, OK, OK),
    (
        "content:download",
        lb.draft_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        OK,
    ),
    (
        "content:download",
        lb.retired_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        OK,
    ),
    (
        "content:download",
        lb.retired_partner_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        OK,
    ),
    # No thumbnail in the world's text files: allowed users go to the kind icon.
    ("content:thumbnail", lb.version_pk, "get", LOGIN, NOT_FOUND, FOUND, FOUND, FOUND),
    ("content:thumbnail", lb.partner_version_pk, "get", LOGIN, *[FOUND] * 4),
    (
        "content:thumbnail",
        lb.draft_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        FOUND,
        FOUND,
    ),
    (
        "content:thumbnail",
        lb.retired_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        FOUND,
        FOUND,
    ),
    # The preview partial (htmx polls it while a preview is pending): as the file.
    ("content:preview_status", lb.version_pk, "get", LOGIN, NOT_FOUND, *[OK] * 3),
    ("content:preview_status", lb.partner_version_pk, "get", LOGIN, *[OK] * 4),
    (
        "content:preview_status",
        lb.draft_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        OK,
    ),
    (
        "content:preview_status",
        lb.retired_version_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        OK,
    ),
    # Marketer pages: 403 for reps and partners.
    ("content:my_content", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:review_queue", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_add", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_add", no_kwargs, "post", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:bulk_upload", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:bulk_upload", no_kwargs, "post", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_edit", lb.asset_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_edit", lb.draft_pk, "post", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_edit", lb.retired_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:asset_edit",
        lb.missing_asset_pk,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:version_add", lb.draft_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:version_add", lb.asset_pk, "post", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:asset_publish",
        lb.draft_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FOUND,
        FOUND,
    ),
    (
        "content:asset_publish",
        lb.draft_pk,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        405,
        405,
    ),
    ("content:asset_retire", lb.asset_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    # An empty POST shows the form again with "say why".
    ("content:asset_retire", lb.asset_pk, "post", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:asset_restore",
        lb.retired_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FOUND,
        FOUND,
    ),
    (
        "content:asset_verify",
        lb.asset_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FOUND,
        FOUND,
    ),
    ("content:stage_list", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:stage_add", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:stage_add", no_kwargs, "post", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:stage_edit", lb.stage_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    # matrix:playbook
    # Empty POSTs reach the form: 400 means "allowed, but fix the input".
    ("content:stage", pb.stage_slug, "get", LOGIN, OK, OK, OK, OK),
    ("content:search", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:rate", pb.asset_pk, "post", LOGIN, NOT_FOUND, 400, 400, 400),
    ("content:rate", pb.partner_asset_pk, "post", LOGIN, 400, 400, 400, 400),
    ("content:rate", pb.draft_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    ("content:rate", pb.retired_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    ("content:usage_add", pb.asset_pk, "post", LOGIN, NOT_FOUND, 400, 400, 400),
    ("content:usage_add", pb.partner_asset_pk, "post", LOGIN, 400, 400, 400, 400),
    ("content:usage_add", pb.draft_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    ("content:usage_add", pb.retired_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    ("content:whats_new", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:deal_list", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:deal_add", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:deal", pb.own_deal_pk, "get", LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
    ("content:deal", pb.other_deal_pk, "get", LOGIN, *[NOT_FOUND] * 4),
    (
        "content:deal_edit",
        pb.own_deal_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:deal_edit", pb.other_deal_pk, "get", LOGIN, *[NOT_FOUND] * 4),
    ("content:deal_edit", pb.other_deal_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    (
        "content:deal_outcome",
        pb.own_deal_pk,
        "post",
        LOGIN,
        NOT_FOUND,
        400,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:deal_outcome", pb.other_deal_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    ("content:notifications", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:notifications", no_kwargs, "post", LOGIN, *[FOUND] * 4),
    ("content:follow", pb.follow_stage, "post", LOGIN, *[FOUND] * 4),
    ("content:follow", pb.follow_asset, "post", LOGIN, NOT_FOUND, *[FOUND] * 3),
    ("content:follow", pb.follow_partner_asset, "post", LOGIN, *[FOUND] * 4),
    (
        "content:follow",
        pb.follow_draft,
        "post",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        FOUND,
        FOUND,
    ),
    (
        "content:follow",
        pb.follow_retired,
        "post",
        LOGIN,
        NOT_FOUND,
        NOT_FOUND,
        FOUND,
        FOUND,
    ),
    ("content:follow", pb.follow_unknown_kind, "post", LOGIN, *[NOT_FOUND] * 4),
    ("content:follow", pb.follow_stage, "get", LOGIN, *[405] * 4),
    ("content:unfollow", pb.follow_stage, "post", LOGIN, *[FOUND] * 4),
    ("content:unfollow", pb.follow_asset, "post", LOGIN, NOT_FOUND, *[FOUND] * 3),
    ("content:request_list", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:request_add", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:request_add", no_kwargs, "post", LOGIN, 400, 400, 400, 400),
    ("content:request_vote", pb.open_request, "post", LOGIN, *[FOUND] * 4),
    (
        "content:request_triage",
        pb.open_request,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        OK,
        OK,
    ),
    (
        "content:request_triage",
        pb.open_request,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        400,
        400,
    ),
    # matrix:analytics
    # Marketers and admins only: reps and partners get 403 on every page and
    # export, whatever the object. Retire from the unused list: the owner (the
    # world's marketer) or an admin; a retired asset just goes back to the list.
    ("content:dashboard", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_report", an.asset_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:asset_report", an.draft_pk, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:asset_report",
        an.retired_pk,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        OK,
        OK,
    ),
    (
        "content:asset_report",
        an.missing_asset_pk,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:unused", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:unused_retire",
        an.asset_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FOUND,
        FOUND,
    ),
    (
        "content:unused_retire",
        an.retired_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FOUND,
        FOUND,
    ),
    (
        "content:unused_retire",
        an.missing_asset_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
    ),
    # Answering a rating's comment: the asset's owner (the world's marketer)
    # or an admin; an empty answer goes back to the report with a message.
    (
        "content:rating_answer",
        an.rating_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FOUND,
        FOUND,
    ),
    (
        "content:rating_answer",
        an.missing_rating_pk,
        "post",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:stale", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:low_rated", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:coverage", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:analytics_requests",
        no_kwargs,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        OK,
        OK,
    ),
    ("content:search_gaps", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    (
        "content:export_dashboard",
        no_kwargs,
        "get",
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        OK,
        OK,
    ),
    ("content:export_ratings", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    ("content:export_usage", no_kwargs, "get", LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    # matrix:sharing
    ("content:share_list", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:share_room_add", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("content:share_add", sh.partner_asset_pk, "get", LOGIN, OK, OK, OK, OK),
    # Internal staff see the page, which explains why it cannot be shared.
    ("content:share_add", sh.internal_asset_pk, "get", LOGIN, NOT_FOUND, OK, OK, OK),
    ("content:share_add", sh.partner_asset_pk, "post", LOGIN, 400, 400, 400, 400),
    (
        "content:share_add",
        sh.internal_asset_pk,
        "post",
        LOGIN,
        NOT_FOUND,
        400,
        400,
        400,
    ),
    ("content:share_add", sh.draft_pk, "get", LOGIN, NOT_FOUND, NOT_FOUND, OK, OK),
    # A link is its creator's (the rep's) alone.
    (
        "content:share_detail",
        sh.rep_share_pk,
        "get",
        LOGIN,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ),
    (
        "content:share_revoke",
        sh.rep_share_pk,
        "post",
        LOGIN,
        NOT_FOUND,
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
    ),
    (
        "content:share_item_move",
        sh.rep_share_item,
        "post",
        LOGIN,
        NOT_FOUND,
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
    ),
    # The prospect's page is public; signed-in visitors see it too (not counted).
    ("content:share_public", sh.live_token, "get", OK, OK, OK, OK, OK),
    ("content:share_public", sh.revoked_token, "get", *[410] * 5),
    ("content:share_public_file", sh.live_token_item, "get", OK, OK, OK, OK, OK),
    ("content:share_public_thumbnail", sh.live_token_item, "get", *[NOT_FOUND] * 5),
    # matrix:api
    # Session login here; tests/api covers tokens. Anonymous API calls get 401.
    ("accounts:token_add", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("accounts:token_add", no_kwargs, "post", LOGIN, 400, 400, 400, 400),
    (
        "accounts:token_revoke",
        sh.rep_token_pk,
        "post",
        LOGIN,
        NOT_FOUND,
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("api:me", no_kwargs, "get", 401, OK, OK, OK, OK),
    ("api:schema", no_kwargs, "get", 401, OK, OK, OK, OK),
    ("api:docs", no_kwargs, "get", 401, OK, OK, OK, OK),
    ("api:stage-list", no_kwargs, "get", 401, OK, OK, OK, OK),
    ("api:asset-list", no_kwargs, "get", 401, OK, OK, OK, OK),
    ("api:asset-detail", sh.partner_asset_pk, "get", 401, OK, OK, OK, OK),
    ("api:asset-detail", sh.internal_asset_pk, "get", 401, NOT_FOUND, OK, OK, OK),
    ("api:asset-detail", sh.draft_pk, "get", 401, NOT_FOUND, NOT_FOUND, OK, OK),
    ("api:asset-rating", sh.internal_asset_pk, "put", 401, NOT_FOUND, 400, 400, 400),
    ("api:version-download", sh.internal_version_pk, "get", 401, NOT_FOUND, OK, OK, OK),
    ("api:asset-figures", sh.partner_asset_pk, "get", 401, *[FORBIDDEN] * 2, OK, OK),
    ("api:deal-list", no_kwargs, "get", 401, OK, OK, OK, OK),
    # The API reads JSON only: the matrix's empty form POST is a 415 once allowed.
    ("api:deal-list", no_kwargs, "post", 401, *[UNSUPPORTED] * 4),
    (
        "api:deal-detail",
        sh.own_deal_pk,
        "get",
        401,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("api:deal-detail", sh.other_deal_pk, "get", 401, *[NOT_FOUND] * 4),
    ("api:deal-detail", sh.other_deal_pk, "patch", 401, *[NOT_FOUND] * 4),
    (
        "api:deal-outcome",
        sh.own_deal_pk,
        "post",
        401,
        NOT_FOUND,
        UNSUPPORTED,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("api:deal-outcome", sh.other_deal_pk, "post", 401, *[NOT_FOUND] * 4),
    (
        "api:deal-by-crm-id",
        sh.own_deal_crm_id,
        "get",
        401,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("api:deal-by-crm-id", sh.other_deal_crm_id, "get", 401, *[NOT_FOUND] * 4),
    ("api:deal-by-crm-id", sh.other_deal_crm_id, "patch", 401, *[NOT_FOUND] * 4),
    (
        "api:deal-outcome-by-crm-id",
        sh.own_deal_crm_id,
        "post",
        401,
        NOT_FOUND,
        UNSUPPORTED,
        NOT_FOUND,
        NOT_FOUND,
    ),
    (
        "api:deal-outcome-by-crm-id",
        sh.other_deal_crm_id,
        "post",
        401,
        *[NOT_FOUND] * 4,
    ),
    ("api:usage-list", no_kwargs, "get", 401, OK, OK, OK, OK),
    ("api:usage-list", no_kwargs, "post", 401, *[UNSUPPORTED] * 4),
    # matrix:sign-in (single sign-on, two factors, SCIM): tests/accounts/matrix.py
    *acc.ROWS,
    # matrix:plays
    # Editing a play: marketers and admins; an empty POST is a form error.
    ("content:play_edit", pl.stage_slug, "get", LOGIN, *[FORBIDDEN] * 2, OK, OK),
    ("content:play_edit", pl.stage_slug, "post", LOGIN, *[FORBIDDEN] * 2, 400, 400),
    # The deal workspace's writes: the deal's owner only; everyone else 404.
    (
        "content:workspace_use",
        pl.own_deal_asset,
        "post",
        LOGIN,
        NOT_FOUND,
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:workspace_use", pl.other_deal_asset, "post", LOGIN, *[NOT_FOUND] * 4),
    (
        "content:deal_context",
        pl.own_deal_pk,
        "post",
        LOGIN,
        NOT_FOUND,
        400,
        NOT_FOUND,
        NOT_FOUND,
    ),
    ("content:deal_context", pl.other_deal_pk, "post", LOGIN, *[NOT_FOUND] * 4),
    # The CRM panel: anonymous users go to its framed login (a redirect, not
    # the site's login). A CRM id with no deal of yours offers to create one,
    # so another rep's CRM id shows nothing of their deal (test_crm).
    ("embed:login", no_kwargs, "get", OK, *[OK] * 4),
    ("embed:signed_in", no_kwargs, "get", FOUND, *[OK] * 4),
    ("embed:deal", pl.own_crm_id, "get", FOUND, *[OK] * 4),
    ("embed:deal", pl.other_crm_id, "get", FOUND, *[OK] * 4),
    ("embed:deal_create", pl.own_crm_id, "post", FOUND, *[400] * 4),
    ("embed:use", pl.own_deal_asset, "post", FOUND, NOT_FOUND, FOUND, *[NOT_FOUND] * 2),
    ("embed:use", pl.other_deal_asset, "post", FOUND, *[NOT_FOUND] * 4),
    (
        "api:deal-recommendations-by-crm-id",
        pl.own_crm_id,
        "get",
        401,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ),
    (
        "api:deal-recommendations-by-crm-id",
        pl.other_crm_id,
        "get",
        401,
        *[NOT_FOUND] * 4,
    ),
]

# URL names that the matrix does not cover row by row, and why.
NOT_IN_MATRIX = {
    "accounts:password_reset_confirm": "needs a token; tested in test_auth",
    "content:share_public_page": "rows in test_permission_matrix_engage.py",
    "content:share_beacon": "rows in test_permission_matrix_engage.py",
    "content:page": "rows in test_permission_matrix_pages.py",
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
