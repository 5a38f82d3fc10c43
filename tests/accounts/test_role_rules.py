"""Every predicate for every role, and the two ways views apply them.

Unsaved users: the rules read only `role`, `is_active` and `is_authenticated`,
so no database is needed. Written against the survivors of mutation testing
(docs/testing.md).
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from accounts import roles
from accounts.models import Role, User

ALLOWED = {
    roles.is_partner: {"partner"},
    roles.can_use_library: {"rep", "partner", "marketer", "admin"},
    roles.can_share_externally: {"rep", "partner", "marketer", "admin"},
    roles.can_manage_content: {"marketer", "admin"},
    roles.can_manage_stages: {"marketer", "admin"},
    roles.can_triage_requests: {"marketer", "admin"},
    roles.can_view_analytics: {"marketer", "admin"},
    roles.can_manage_users: {"admin"},
}
PREDICATES = list(ALLOWED)


def _user(role: str, *, is_active: bool = True) -> User:
    return User(username=f"u-{role}", role=role, is_active=is_active)


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda p: p.__name__)
@pytest.mark.parametrize("role", Role.values)
def test_each_predicate_allows_exactly_its_roles(predicate, role):
    assert predicate(_user(role)) is (role in ALLOWED[predicate])


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda p: p.__name__)
def test_nobody_without_an_active_signed_in_account_has_a_role(predicate):
    assert predicate(None) is False
    assert predicate(AnonymousUser()) is False
    assert predicate(_user(Role.ADMIN, is_active=False)) is False
    assert predicate(_user(Role.PARTNER, is_active=False)) is False
    # A user object whose session is not authenticated, even if active.
    signed_out = SimpleNamespace(is_authenticated=False, is_active=True, role="admin")
    assert predicate(signed_out) is False
    # Something that is not a user at all.
    assert predicate(object()) is False


# --- role_required (function views) -----------------------------------------------


def _view(request, *args, **kwargs):
    return HttpResponse(f"args={args} kwargs={sorted(kwargs.items())}")


def test_role_required_passes_the_request_and_arguments_through():
    request = RequestFactory().get("/reports/")
    request.user = _user(Role.MARKETER)
    view = roles.role_required(roles.can_view_analytics)(_view)
    response = view(request, 7, week="2")
    assert response.content == b"args=(7,) kwargs=[('week', '2')]"
    assert view.__name__ == "_view"


def test_role_required_refuses_the_wrong_role():
    request = RequestFactory().get("/reports/")
    request.user = _user(Role.REP)
    view = roles.role_required(roles.can_view_analytics)(_view)
    with pytest.raises(PermissionDenied):
        view(request)


def test_role_required_sends_anonymous_users_to_login_and_back():
    request = RequestFactory().get("/reports/?week=2")
    request.user = AnonymousUser()
    response = roles.role_required(roles.can_use_library)(_view)(request)
    assert response.status_code == 302
    assert response.url == redirect_to_login("/reports/?week=2").url
    assert "next=/reports/%3Fweek%3D2" in response.url


# --- The mixins (class-based views) ---------------------------------------------


class _Report(roles.ContentManagerRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return _view(request, *args, **kwargs)


def _dispatch(user, path: str = "/reports/", *args, **kwargs):
    request = RequestFactory().get(path)
    request.user = user
    return _Report.as_view()(request, *args, **kwargs)


def test_a_mixin_view_serves_the_right_role_with_its_arguments():
    response = _dispatch(_user(Role.ADMIN), "/reports/", 3, week="1")
    assert response.content == b"args=(3,) kwargs=[('week', '1')]"


@pytest.mark.parametrize("role", ["rep", "partner"])
def test_a_mixin_view_refuses_the_wrong_role(role):
    with pytest.raises(PermissionDenied):
        _dispatch(_user(role))


def test_a_mixin_view_sends_anonymous_users_to_login_and_back():
    response = _dispatch(AnonymousUser(), "/reports/?week=2")
    assert response.status_code == 302
    assert response.url == redirect_to_login("/reports/?week=2").url


@pytest.mark.parametrize(
    "mixin,predicate",
    [
        (roles.RoleRequiredMixin, roles.can_use_library),
        (roles.ContentManagerRequiredMixin, roles.can_manage_content),
    ],
)
def test_each_mixin_checks_its_predicate(mixin, predicate):
    assert mixin.role_check is predicate
