"""Permission-matrix rows for sign-in: single sign-on round trips, two factors
and SCIM (spliced into tests/security/test_permission_matrix.py's MATRIX).

The world configures no identity provider, so the provider URLs answer 404 for
everyone (an unknown provider is never a 500 and never logs anybody in);
configured, they are exercised end to end in test_sso_oidc.py and
test_sso_saml.py. SCIM answers 401 to every role: a session is never a SCIM
credential (SCIM tokens: test_scim.py)."""

LOGIN = "login"
OK = 200
FOUND = 302
BAD = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404


def no_kwargs(world):
    return {}


def oidc_provider(world):
    return {"provider_id": "sso"}


def saml_org(world):
    return {"organization_slug": "idp"}


def scim_user(world):
    return {"uuid": world.users["rep"].scim_id or str(world.users["rep"].pk)}


def scim_schema(world):
    return {"uuid": "urn:ietf:params:scim:schemas:core:2.0:User"}


def scim_resource_type(world):
    return {"uuid": "User"}


# (url name, kwargs builder, method, anon, partner, rep, marketer, admin)
ROWS = [
    ("accounts:mfa_login", no_kwargs, "get", *[FOUND] * 5),
    ("accounts:mfa_login", no_kwargs, "post", *[FOUND] * 5),
    ("accounts:mfa_setup", no_kwargs, "get", LOGIN, OK, OK, OK, OK),
    ("accounts:mfa_setup", no_kwargs, "post", LOGIN, BAD, BAD, BAD, BAD),
    ("account_login", no_kwargs, "get", *[FOUND] * 5),
    ("account_inactive", no_kwargs, "get", *[FORBIDDEN] * 5),
    ("socialaccount_login_cancelled", no_kwargs, "get", *[OK] * 5),
    # allauth answers its "sign-in failed" page with 401.
    ("socialaccount_login_error", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("openid_connect_login", oidc_provider, "get", *[NOT_FOUND] * 5),
    ("openid_connect_login", oidc_provider, "post", *[NOT_FOUND] * 5),
    ("openid_connect_callback", oidc_provider, "get", *[NOT_FOUND] * 5),
    ("saml_login", saml_org, "get", *[NOT_FOUND] * 5),
    ("saml_metadata", saml_org, "get", *[NOT_FOUND] * 5),
    ("saml_acs", saml_org, "post", *[FOUND] * 5),
    ("saml_finish_acs", saml_org, "get", *[NOT_FOUND] * 5),
    ("saml_sls", saml_org, "get", *[NOT_FOUND] * 5),
    ("scim:root", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:users", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:users", no_kwargs, "post", *[UNAUTHORIZED] * 5),
    ("scim:users", scim_user, "get", *[UNAUTHORIZED] * 5),
    ("scim:users", scim_user, "patch", *[UNAUTHORIZED] * 5),
    ("scim:users", scim_user, "delete", *[UNAUTHORIZED] * 5),
    ("scim:users-search", no_kwargs, "post", *[UNAUTHORIZED] * 5),
    ("scim:groups", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:groups", no_kwargs, "post", *[UNAUTHORIZED] * 5),
    ("scim:groups-search", no_kwargs, "post", *[UNAUTHORIZED] * 5),
    ("scim:search", no_kwargs, "post", *[UNAUTHORIZED] * 5),
    ("scim:me", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:bulk", no_kwargs, "post", *[UNAUTHORIZED] * 5),
    ("scim:service-provider-config", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:resource-types", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:resource-types", scim_resource_type, "get", *[UNAUTHORIZED] * 5),
    ("scim:schemas", no_kwargs, "get", *[UNAUTHORIZED] * 5),
    ("scim:schemas", scim_schema, "get", *[UNAUTHORIZED] * 5),
]
