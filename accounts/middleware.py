"""Every page but login, password reset and public share links needs a login."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

# Paths anyone may open. Share links are public by design; the API answers 401
# itself (token auth), and static files are public assets of the site.
PUBLIC_PREFIXES = (
    "/accounts/login/",  # and login/2fa/, the second step of a password login
    # Single sign-on round trips with the identity provider (accounts/urls_sso.py).
    "/accounts/oidc/",
    "/accounts/saml/",
    "/accounts/sso/",
    "/accounts/password-reset/",
    "/accounts/reset/",
    "/s/",
    "/static/",
    "/healthz",
    "/favicon.ico",
    # The CRM panel: its views send anonymous users to its own framed login
    # (content.views.embed), since the site's login page refuses framing.
    "/embed/",
)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.headers.get("Authorization"):
                return self.get_response(request)
            return JsonResponse(
                {"detail": "Authentication credentials were not provided."},
                status=401,
                headers={"WWW-Authenticate": 'Token realm="api"'},
            )
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
