"""Two factors for local (password) accounts, on allauth.mfa's models.

Wingman keeps its own login view (django-axes counts its failures), so the
second step and the enrolment are Wingman views around allauth.mfa's TOTP and
recovery codes:

- login: a right password for a user with TOTP stores a pending login in the
  session and asks for a code (`mfa_login`); only a right code logs in.
- enrolment (`mfa_setup`): a secret and QR code, confirmed by a first code;
  recovery codes are shown once.
- WINGMAN_MFA_REQUIRED_ROLES: such a user with a password and no TOTP sees
  nothing but the enrolment page (MfaEnrolmentRequiredMiddleware).
"""

import base64
from collections.abc import Callable

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
    validate_totp_code,
)
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import MfaCodeForm
from accounts.models import User

PENDING_USER = "wingman_mfa_pending_user"
PENDING_BACKEND = "wingman_mfa_pending_backend"
PENDING_NEXT = "wingman_mfa_pending_next"
PENDING_FAILURES = "wingman_mfa_pending_failures"
SETUP_SECRET = "wingman_mfa_setup_secret"  # noqa: S105 - a session key name
# Wrong codes allowed for one pending login before the password is asked again.
MAX_CODE_FAILURES = 5
# Paths a user who must enrol may still open.
ENROLMENT_OPEN_PREFIXES = (
    "/accounts/2fa/setup/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/favicon.ico",
)


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def must_enrol(user: User) -> bool:
    """A local account of a role that must use two factors, not enrolled yet."""
    return (
        user.role in settings.WINGMAN_MFA_REQUIRED_ROLES
        and user.has_usable_password()
        and not has_totp(user)
    )


class MfaEnrolmentRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            getattr(user, "is_authenticated", False)
            and isinstance(user, User)
            and not request.path.startswith(ENROLMENT_OPEN_PREFIXES)
            and must_enrol(user)
        ):
            return redirect("accounts:mfa_setup")
        return self.get_response(request)


def start_pending_login(
    request: HttpRequest, user: User, next_url: str
) -> HttpResponse:
    """The password was right; the second factor is still to come."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_NEXT] = next_url
    request.session[PENDING_FAILURES] = 0
    return redirect("accounts:mfa_login")


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, PENDING_FAILURES):
        request.session.pop(key, None)


def code_is_valid(user: User, code: str) -> bool:
    """A current TOTP code (each used once) or an unused recovery code."""
    code = code.strip().replace(" ", "")
    for authenticator in Authenticator.objects.filter(user=user):
        wrapped = authenticator.wrap()
        if isinstance(wrapped, TOTP | RecoveryCodes) and wrapped.validate_code(code):
            authenticator.record_usage()
            return True
    return False


@never_cache
@sensitive_post_parameters("code")
def mfa_login(request: HttpRequest) -> HttpResponse:
    user_pk = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    if user is None:
        return redirect("accounts:login")
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if code_is_valid(user, form.cleaned_data["code"]):
            backend = request.session[PENDING_BACKEND]
            next_url = request.session.get(PENDING_NEXT) or ""
            _clear_pending(request)
            auth_login(request, user, backend=backend)
            # Checked already: LoginView.get_redirect_url() gives "" for off-site.
            return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
        failures = request.session.get(PENDING_FAILURES, 0) + 1
        if failures >= MAX_CODE_FAILURES:
            _clear_pending(request)
            return redirect("accounts:login")
        request.session[PENDING_FAILURES] = failures
        form.add_error("code", "That code is not right. Try the current one.")
    status = 200 if request.method == "GET" or form.is_valid() else 400
    return render(request, "accounts/mfa_login.html", {"form": form}, status=status)


def _totp_qr(user: User, secret: str) -> tuple[str, str]:
    adapter = get_mfa_adapter()
    url = adapter.build_totp_url(user, secret)
    svg = adapter.build_totp_svg(url)
    return url, "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@never_cache
@sensitive_post_parameters("code")
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol TOTP; the recovery codes are shown once, on success."""
    user = request.user
    if not user.has_usable_password():
        # Single sign-on users have their second factor at the IdP.
        return render(request, "accounts/mfa_setup.html", {"sso_user": True})
    if has_totp(user):
        return render(request, "accounts/mfa_setup.html", {"enrolled": True})
    secret = request.session.get(SETUP_SECRET)
    if not secret:
        secret = request.session[SETUP_SECRET] = generate_totp_secret()
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if validate_totp_code(secret, form.cleaned_data["code"].strip()):
            with transaction.atomic():
                TOTP.activate(user, secret)
                codes = RecoveryCodes.activate(user).get_unused_codes()
            request.session.pop(SETUP_SECRET, None)
            return render(request, "accounts/mfa_setup.html", {"recovery_codes": codes})
        form.add_error("code", "That code is not right. Try the current one.")
    totp_url, qr = _totp_qr(user, secret)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "secret": secret, "qr": qr, "totp_url": totp_url},
        status=status,
    )
