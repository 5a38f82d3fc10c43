"""Deployment checks: `manage.py check --deploy` fails on what would be unsafe."""

from django.conf import settings
from django.core.checks import Error, Tags, register

DEMO_KEY_CHECK_ID = "wingman.E001"


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_demo_key(app_configs=None, **kwargs) -> list[Error]:
    """The demo key is in the source code: anyone can sign sessions, password
    reset links and share-visitor fingerprints with it. A deployment must set
    its own (see docs/security.md)."""
    demo_key = getattr(settings, "DEMO_SECRET_KEY", None)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if demo_key and demo_key in keys:
        return [
            Error(
                "DJANGO_SECRET_KEY is not set: the site would sign sessions and "
                "password reset links with the demo key published in settings.py.",
                hint="Set DJANGO_SECRET_KEY to a long random value, e.g. the output "
                "of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id=DEMO_KEY_CHECK_ID,
            )
        ]
    return []


SSO_ROLE_MAP_CHECK_ID = "wingman.E002"


@register()
def check_sso_role_map(app_configs=None, **kwargs) -> list[Error]:
    """A typo in a role would silently give a group no access (docs/sso.md)."""
    from accounts.models import Role

    wrong = {
        group: role
        for group, role in getattr(settings, "WINGMAN_SSO_ROLE_MAP", {}).items()
        if role not in Role.values
    }
    if not wrong:
        return []
    return [
        Error(
            f"WINGMAN_SSO_ROLE_MAP maps groups to unknown roles: {wrong}.",
            hint=f"Each role must be one of {sorted(Role.values)}.",
            id=SSO_ROLE_MAP_CHECK_ID,
        )
    ]
