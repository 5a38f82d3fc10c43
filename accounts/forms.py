import unicodedata
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from accounts.models import User
from accounts.roles import can_manage_users
from accounts.throttling import throttle_allow, throttle_key


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Username",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if settings.WINGMAN_LOCAL_LOGIN:
            return
        # Password login is off: only the break-glass way for admins remains.
        if settings.WINGMAN_BREAK_GLASS_LOGIN and can_manage_users(user):
            return
        raise forms.ValidationError(
            "Password sign-in is switched off here: use your company's single sign-on.",
            code="local_login_off",
        )


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def password_reset_email_allowed(email: str) -> bool:
    """Count one reset request for this address; False past the hourly limit.

    Counted whether or not an account has the address, so the answer never
    tells an outsider which addresses have accounts.
    """
    normalized = unicodedata.normalize("NFKC", email).strip().casefold()
    return throttle_allow(
        key=throttle_key("password-reset-email", normalized),
        limit=settings.WINGMAN_PASSWORD_RESET_LIMIT,
        window_seconds=settings.WINGMAN_PASSWORD_RESET_WINDOW,
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends at most WINGMAN_PASSWORD_RESET_LIMIT emails an hour to an address
    and to an account; past it, the same answer and no email."""

    def get_users(self, email: str) -> Iterator[User]:
        if not password_reset_email_allowed(email):
            return
        for user in super().get_users(email):
            # Per account too: differently written addresses can match one.
            if throttle_allow(
                key=throttle_key("password-reset-user", str(user.pk)),
                limit=settings.WINGMAN_PASSWORD_RESET_LIMIT,
                window_seconds=settings.WINGMAN_PASSWORD_RESET_WINDOW,
            ):
                yield user
