"""API authentication by personal token: `Authorization: Token <key>` or `Bearer`."""

from rest_framework import authentication, exceptions

from accounts.services_tokens import api_token_for_key, api_token_touch

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A wrong, revoked or malformed key is a 401, never a silent anonymous user."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid Authorization header: send 'Token <key>' or 'Bearer <key>'."
            )
        try:
            raw_key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid API token.") from None
        token = api_token_for_key(raw_key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API token.")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'
