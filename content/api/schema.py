"""drf-spectacular extensions: document how to authenticate with a token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token from your profile page, sent as "
                "`Authorization: Token <key>` or `Authorization: Bearer <key>`."
            ),
        }
