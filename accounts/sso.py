"""Single sign-on (django-allauth, OIDC and SAML): who may come in, as what.

- Local sign-up stays closed: AccountAdapter.is_open_for_signup is False.
- A person the identity provider vouches for is created at their first
  sign-in (WINGMAN_SSO_JIT) with the role their groups map to, or linked to
  the user SCIM or an admin made for them (never to a password account).
- No mapped group: a clear "no access" page, and nothing is written.
"""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role, User
from accounts.services_sso import (
    groups_from_claims,
    role_for_groups,
    scim_groups_of,
    user_apply_role,
)

NO_GROUP = "no-group"
NO_JIT = "no-jit"
INACTIVE = "inactive"
LOCAL_ACCOUNT = "local-account"


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", {"reason": reason}, status=403)


def sso_buttons(request: HttpRequest) -> list[dict[str, str]]:
    """One "Sign in with <name>" button per configured identity provider."""
    buttons = []
    for app in get_social_adapter().list_apps(request):
        provider = app.get_provider(request)
        buttons.append({"name": provider.name, "url": provider.get_login_url(request)})
    return buttons


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """OIDC: the ID token's claims with userinfo's over them; SAML: attributes."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return data


def _first(value: Any) -> str:
    # SAML attributes are lists of values.
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def _provisioned_match(sociallogin: SocialLogin) -> User | None:
    """The user SCIM (or an admin) made for this person: same username or e-mail,
    and no password, so single sign-on never takes over a password account."""
    user = sociallogin.user
    keys = Q()
    if user.username:
        keys |= Q(username__iexact=user.username)
    if user.email:
        keys |= Q(email__iexact=user.email)
    if not keys:
        return None
    for candidate in User.objects.filter(keys).order_by("pk"):
        if not candidate.has_usable_password():
            return candidate
    return None


def _password_account_with_same_email(sociallogin: SocialLogin) -> bool:
    email = sociallogin.user.email
    if not email:
        return False
    return any(
        u.has_usable_password() for u in User.objects.filter(email__iexact=email)
    )


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # No self-registration, ever: admins and the identity provider make users.
        return False

    def respond_user_inactive(self, request: HttpRequest, user) -> HttpResponse:
        return refused(request, INACTIVE)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(
        self, request: HttpRequest, sociallogin: SocialLogin
    ) -> bool:
        return settings.WINGMAN_SSO_JIT

    def is_auto_signup_allowed(
        self, request: HttpRequest, sociallogin: SocialLogin
    ) -> bool:
        # There is no sign-up form to fall back to: a person is created from
        # what the IdP says, or refused (pre_social_login).
        return True

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = claims_of(sociallogin) if sociallogin.account.extra_data else {}
        username = (
            _first(data.get("username"))
            or _first(claims.get("preferred_username"))
            or _first(data.get("email"))
            or _first(sociallogin.account.uid)
        )
        user.username = username[:150]
        # Never from the IdP's data: only the group mapping sets a role.
        user.role = Role.REP
        user.is_staff = user.is_superuser = False
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Decide before anything is written: link, create, or refuse."""
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None:
            user = _provisioned_match(sociallogin)
            if user is None and _password_account_with_same_email(sociallogin):
                raise ImmediateHttpResponse(refused(request, LOCAL_ACCOUNT))
        if user is not None and not user.is_active:
            raise ImmediateHttpResponse(refused(request, INACTIVE))
        groups = groups_from_claims(claims_of(sociallogin))
        if groups is None and user is not None:
            # The IdP sends no groups claim: the groups SCIM pushed decide.
            groups = scim_groups_of(user)
        role = role_for_groups(groups or [])
        if role is None:
            raise ImmediateHttpResponse(refused(request, NO_GROUP))
        if user is None:
            if not settings.WINGMAN_SSO_JIT:
                raise ImmediateHttpResponse(refused(request, NO_JIT))
            sociallogin.user.role = role
            sociallogin.user.is_staff = sociallogin.user.is_superuser = (
                role == Role.ADMIN
            )
            return
        user_apply_role(user=user, role=role)
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):
        # Single sign-on users have no password: they cannot use the local form.
        sociallogin.user.set_unusable_password()
        return super().save_user(request, sociallogin, form)


def identity_provider_origins(request: HttpRequest) -> list[str]:
    """Where the sign-in forms send the browser: each configured IdP's origin."""
    origins = []
    for app in get_social_adapter().list_apps(request):
        settings_ = app.settings or {}
        url = settings_.get("server_url") or (settings_.get("idp") or {}).get(
            "sso_url", ""
        )
        parts = urlsplit(url or "")
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


class SsoFormActionMiddleware:
    """Let the sign-in pages' forms lead to the identity provider.

    The site's CSP has `form-action 'self'`, and browsers apply it to the
    redirect that follows a form post too: "Sign in with ..." posts to
    Wingman, which redirects to the IdP. On the sign-in paths only, the IdPs'
    origins are added (SecurityHeadersMiddleware keeps a header already set).
    """

    PATHS = ("/accounts/login/", "/accounts/oidc/", "/accounts/saml/")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.PATHS):
            origins = identity_provider_origins(request)
            if origins:
                from enablement.middleware import CONTENT_SECURITY_POLICY

                response.headers["Content-Security-Policy"] = (
                    CONTENT_SECURITY_POLICY.replace(
                        "form-action 'self'", "form-action 'self' " + " ".join(origins)
                    )
                )
        return response
