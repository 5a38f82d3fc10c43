import pytest
from django.urls import reverse

from accounts.models import ApiToken, Role
from accounts.services_tokens import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_changes_a_role_and_the_django_admin_access_follows(admin_client_):
    user = UserFactory(username="promote-me", role=Role.REP)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client_.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "username": user.username,
            "role": Role.ADMIN,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("password", None)
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.ADMIN and user.is_staff


def test_users_cannot_be_deleted_in_the_admin(admin_client_):
    user = UserFactory(username="leaver")
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    assert admin_client_.get(url).status_code == 403


def test_admin_revokes_api_tokens_but_never_sees_or_mints_keys(admin_client_, rep):
    token, raw_key = api_token_create(user=rep, name="CRM sync")
    changelist = admin_client_.get(reverse("admin:accounts_apitoken_changelist"))
    assert changelist.status_code == 200
    assert raw_key.encode() not in changelist.content
    assert admin_client_.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    admin_client_.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_marketers_and_reps_cannot_open_the_django_admin(marketer_client, rep_client):
    for client in (marketer_client, rep_client):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
