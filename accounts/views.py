from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView

from accounts.client_address import client_ip
from accounts.forms import LoginForm, ThrottledPasswordResetForm
from accounts.mfa import has_totp, start_pending_login
from accounts.roles import RoleRequiredMixin
from accounts.sso import INACTIVE, refused, sso_buttons
from accounts.throttling import throttle_allow, throttle_key

RESET_FLOOD_MESSAGE = (
    "Too many password reset requests from your network. Wait an hour, or ask "
    "your Wingman admin to reset your password."
)


class ProfileView(RoleRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view with two throttles in the shared cache: per client
    address (answered 429, whichever address was asked for) and per e-mail
    address and account (ThrottledPasswordResetForm: the usual answer, no
    email). Neither tells an outsider whether an account exists."""

    form_class = ThrottledPasswordResetForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        allowed = throttle_allow(
            key=throttle_key("password-reset-client", client_ip(request)),
            limit=settings.WINGMAN_PASSWORD_RESET_CLIENT_LIMIT,
            window_seconds=settings.WINGMAN_PASSWORD_RESET_WINDOW,
        )
        if allowed:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        form.is_valid()  # show what was typed, with the reason
        form.add_error(None, RESET_FLOOD_MESSAGE)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        response["Retry-After"] = str(settings.WINGMAN_PASSWORD_RESET_WINDOW)
        return response


class LoginView(auth_views.LoginView):
    """Password login (throttled by django-axes), the single sign-on buttons,
    and the second step for users with two factors."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        break_glass = (
            not settings.WINGMAN_LOCAL_LOGIN
            and settings.WINGMAN_BREAK_GLASS_LOGIN
            and "break-glass" in self.request.GET
        )
        context.update(
            sso_buttons=sso_buttons(self.request),
            # A refused password post shows its reason, whatever the switch.
            show_password_form=(
                settings.WINGMAN_LOCAL_LOGIN or break_glass or context["form"].is_bound
            ),
            break_glass=break_glass,
            break_glass_available=(
                not settings.WINGMAN_LOCAL_LOGIN and settings.WINGMAN_BREAK_GLASS_LOGIN
            ),
        )
        return context

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        if has_totp(user):
            return start_pending_login(self.request, user, self.get_redirect_url())
        return super().form_valid(form)


def sso_inactive(request: HttpRequest) -> HttpResponse:
    return refused(request, INACTIVE)
