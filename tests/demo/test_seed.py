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


def test_seed_demo_is_idempotent(demo_site, django_capture_on_commit_callbacks):
    """Seeding the seeded demo (`demo_site`: one `seed_demo` on an empty database)
    again changes nothing, including what runs once its transaction commits."""
    first = _row_counts()
    assert first["accounts.User"] and first["content.Asset"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    assert _row_counts() == first


def test_seed_demo_creates_one_login_per_role_and_the_six_stages(demo_site, client):
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
