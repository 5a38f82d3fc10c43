"""drf-spectacular extensions and hooks: the schema says how authentication really
works, and declares what every operation shares (Retry-After on 429s, the open
shape of validation errors)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """A personal token, with either prefix: two schemes, either one will do."""

    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = ["tokenAuth", "bearerAuth"]

    def get_security_requirement(self, auto_schema):
        return [{"tokenAuth": []}, {"bearerAuth": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "A personal API token from your profile page, sent "
                "as `Authorization: Token <key>`.",
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": "The same token sent as `Authorization: Bearer <key>`.",
            },
        ]


class SessionScheme(OpenApiAuthenticationExtension):
    """The browser session of a signed-in user: reads need the cookie only;
    writes also need the CSRF token in `X-CSRFToken`, as on the site."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = ["cookieAuth", "csrfToken"]
    priority = 1  # over drf-spectacular's own, which declares the cookie only

    def get_security_requirement(self, auto_schema):
        if auto_schema.method.upper() in UNSAFE_METHODS:
            return {"cookieAuth": [], "csrfToken": []}
        return {"cookieAuth": []}

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-CSRFToken",
                "description": "The `csrftoken` cookie's value. Needed with the "
                "session cookie on POST, PUT and PATCH; not with a token.",
            },
        ]


RETRY_AFTER = {
    "description": "Seconds to wait before the next request.",
    "schema": {"type": "integer", "minimum": 0},
}
WWW_AUTHENTICATE = {
    "description": 'How to authenticate: `Token realm="api"`.',
    "schema": {"type": "string"},
}
FIELD_MESSAGES = {"type": "array", "items": {"type": "string"}}


def postprocess_contract(result, generator, request, public):
    """What every operation shares, declared once instead of on each view."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            # Every POST and PUT needs its body (a PATCH may send nothing).
            if method in ("post", "put") and "requestBody" in operation:
                operation["requestBody"]["required"] = True
            responses = operation.get("responses", {})
            for code, header_name, header in (
                ("429", "Retry-After", RETRY_AFTER),
                ("401", "WWW-Authenticate", WWW_AUTHENTICATE),
            ):
                if code in responses:
                    responses[code].setdefault("headers", {})[header_name] = header
    for name, component in result.get("components", {}).get("schemas", {}).items():
        # A service may name a field the request did not send (a model rule):
        # any other key is also a list of messages.
        if name.endswith("ValidationError"):
            component["additionalProperties"] = FIELD_MESSAGES
    return result
