import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Role, User
from content.models import Stage


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "content", "taggit"}
    }


@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = _row_counts()
    call_command("seed_demo", verbosity=0)
    assert _row_counts() == first


@pytest.mark.django_db(transaction=True)
def test_seed_demo_creates_one_login_per_role_and_the_six_stages(client):
    call_command("seed_demo", verbosity=0)
    for role in Role.values:
        user = User.objects.get(username=role)
        assert user.role == role
        assert user.check_password("wingman")
    assert list(Stage.objects.values_list("name", flat=True)) == [
        "Prospecting",
        "Discovery",
        "Demo",
        "Proposal & negotiation",
        "Closing",
        "Onboarding & expansion",
    ]
    assert client.login(username="rep", password="wingman")
    response = client.get("/")
    assert b"Discovery" in response.content
