"""Who may do what: every role rule of Wingman lives here and nowhere else.

Views use the mixins and decorators; selectors, services and the API call the
predicate functions, so the site, the admin and the API answer the same way.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role

CONTENT_MANAGER_ROLES = frozenset({Role.MARKETER, Role.ADMIN})
ANALYTICS_ROLES = frozenset({Role.MARKETER, Role.ADMIN})
SELLER_ROLES = frozenset({Role.REP, Role.PARTNER, Role.MARKETER, Role.ADMIN})


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active:
        return None
    return user.role


def is_partner(user: Any) -> bool:
    return _role(user) == Role.PARTNER


def can_manage_content(user: Any) -> bool:
    """Create, edit, version, publish, retire and restore assets; see drafts."""
    return _role(user) in CONTENT_MANAGER_ROLES


# What slice of the library a user may see. `Asset.objects.visible_to` filters by
# it and every library cache key carries it, so a cached list is never shared by
# two users who may see different assets.
AUDIENCE_ALL = "all"  # managers: every asset, drafts and retired included
AUDIENCE_INTERNAL = "internal"  # published assets, every audience
AUDIENCE_PARTNER = "partner"  # published assets cleared for partners
AUDIENCE_NONE = "none"  # inactive, anonymous or role-less: nothing


def audience_class(user: Any) -> str:
    """The one rule for who sees which assets (see the constants above)."""
    if can_manage_content(user):
        return AUDIENCE_ALL
    if not can_use_library(user):
        return AUDIENCE_NONE
    if is_partner(user):
        return AUDIENCE_PARTNER
    return AUDIENCE_INTERNAL


def can_manage_stages(user: Any) -> bool:
    return _role(user) in CONTENT_MANAGER_ROLES


def can_triage_requests(user: Any) -> bool:
    return _role(user) in CONTENT_MANAGER_ROLES


def can_view_analytics(user: Any) -> bool:
    return _role(user) in ANALYTICS_ROLES


def can_manage_users(user: Any) -> bool:
    return _role(user) == Role.ADMIN


def can_use_library(user: Any) -> bool:
    """Browse, rate, record usage in own deals, request content."""
    return _role(user) in SELLER_ROLES


def can_share_externally(user: Any) -> bool:
    return _role(user) in SELLER_ROLES


def role_required(
    predicate: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a function view: 403 unless `predicate(request.user)`.

    Anonymous users never get here: LoginRequiredMiddleware sends them to login.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based views set `role_check` to one of the predicates above."""

    role_check: Callable[[Any], bool] = staticmethod(can_use_library)
    raise_exception = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission_anonymous()
        if not type(self).role_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission_anonymous(self) -> HttpResponse:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(self.request.get_full_path())


class ContentManagerRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(can_manage_content)
