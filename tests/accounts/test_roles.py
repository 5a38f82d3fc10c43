import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import roles
from accounts.models import Role
from accounts.services import user_set_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# predicate -> roles allowed
EXPECTED = {
    roles.can_use_library: {"rep", "partner", "marketer", "admin"},
    roles.can_manage_content: {"marketer", "admin"},
    roles.can_view_analytics: {"marketer", "admin"},
    roles.can_triage_requests: {"marketer", "admin"},
    roles.can_manage_users: {"admin"},
}


@pytest.mark.parametrize(
    "predicate,allowed", EXPECTED.items(), ids=lambda x: getattr(x, "__name__", "")
)
def test_role_predicates(predicate, allowed):
    for role in Role.values:
        user = UserFactory(username=f"u-{role}", role=role)
        assert predicate(user) is (role in allowed), (predicate.__name__, role)
    assert predicate(AnonymousUser()) is False


def test_inactive_users_have_no_role():
    user = UserFactory(role=Role.ADMIN, is_active=False)
    assert roles.can_manage_users(user) is False


def test_setting_the_admin_role_grants_the_django_admin():
    user = UserFactory(role=Role.REP)
    user_set_role(user=user, role=Role.ADMIN)
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
    user_set_role(user=user, role=Role.MARKETER)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
