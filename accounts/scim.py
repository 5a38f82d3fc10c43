"""SCIM 2.0 provisioning (django-scim2 at /scim/v2/): who may call it and what
Users and Groups do in Wingman.

- Only a SCIM token (ScimToken) opens /scim/v2/; a session or a personal API
  token does not, and a SCIM token opens nothing else.
- A user created over SCIM has no password: they sign in by single sign-on.
- `active: false` (or DELETE) deactivates: sessions and API tokens end at once.
  DELETE keeps the person's history (deals, shares) and unlinks them from SCIM.
- The role follows the mapped groups (WINGMAN_SSO_ROLE_MAP); nothing in a SCIM
  payload sets it directly.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django_scim import exceptions as scim_exceptions
from django_scim.adapters import SCIMGroup, SCIMUser

from accounts.models import ScimToken, User
from accounts.services_scim import scim_token_for_key
from accounts.services_sso import sync_role_from_scim_groups, user_deactivate

SCIM_PREFIX = "/scim/v2/"


class ScimClient(AnonymousUser):
    """Who a valid SCIM token is: authenticated for django-scim2's check, and no
    Wingman user at all (no role, no pk), so no other page lets it in."""

    def __init__(self, token: ScimToken) -> None:
        self.token = token

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True


def is_scim_client(user) -> bool:
    return isinstance(user, ScimClient)


class ScimTokenMiddleware:
    """On /scim/v2/ the caller is the bearer token's client or nobody."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(SCIM_PREFIX):
            request.user = AnonymousUser()
            header = request.headers.get("Authorization", "").split()
            if len(header) == 2 and header[0].lower() == "bearer":
                token = scim_token_for_key(header[1])
                if token is not None:
                    request.user = ScimClient(token)
        return self.get_response(request)


def _validate(user: User) -> None:
    """The model's own rules, as SCIM errors: 409 for a taken userName, else 400."""
    try:
        user.full_clean(
            exclude=["password", "scim_id", "scim_external_id", "scim_username"]
        )
    except ValidationError as exc:
        errors = exc.message_dict
        if any("already exists" in m for m in errors.get("username", [])):
            raise scim_exceptions.IntegrityError("userName is already taken.") from exc
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())
        raise scim_exceptions.BadRequestError(detail) from exc


class ScimUserAdapter(SCIMUser):
    def _remember_state(self) -> None:
        if not hasattr(self, "_was_active"):
            self._was_active = self.obj.is_active if self.obj.pk else True

    def from_dict(self, d):
        self._remember_state()
        # A password in a SCIM payload is ignored: SCIM users sign in by single
        # sign-on. No SCIM attribute maps to the role: mapped groups decide it.
        d = {k: v for k, v in d.items() if k != "password"}
        super().from_dict(d)

    def handle_operations(self, operations):
        self._remember_state()
        super().handle_operations(operations)

    def save(self):
        self._remember_state()
        is_new = self.obj.pk is None
        with transaction.atomic():
            if is_new:
                self.obj.set_unusable_password()
            _validate(self.obj)
            self.obj.save()
            if self._was_active and not self.obj.is_active:
                user_deactivate(user=self.obj)
            self._was_active = self.obj.is_active

    def delete(self):
        with transaction.atomic():
            user_deactivate(user=self.obj)
            User.objects.filter(pk=self.obj.pk).update(
                scim_id=None, scim_external_id=None
            )
            self.obj.scim_group_memberships.clear()


class ScimGroupAdapter(SCIMGroup):
    @property
    def members(self) -> list[dict]:
        # RFC 7643's Group schema: value, $ref and type (no "display").
        return [
            {"value": m["value"], "$ref": m["$ref"], "type": "User"}
            for m in super().members
        ]

    def from_dict(self, d):
        super().from_dict(d)
        self._members = d.get("members")

    def _member_users(self, members) -> list[User]:
        ids = [str(m.get("value", "")) for m in members or []]
        users = list(User.objects.filter(scim_id__in=ids))
        if len(users) != len(set(ids)):
            raise scim_exceptions.BadRequestError("A member is not a known user.")
        return users

    def save(self):
        with transaction.atomic():
            before = set(self.obj.user_set.all()) if self.obj.pk else set()
            self.obj.save()
            members = getattr(self, "_members", None)
            if members is not None:
                self.obj.user_set.set(self._member_users(members))
            self._sync_roles(before | set(self.obj.user_set.all()))

    def handle_operations(self, operations):
        with transaction.atomic():
            before = set(self.obj.user_set.all())
            super().handle_operations(operations)
            self._sync_roles(before | set(self.obj.user_set.all()))

    def handle_replace(self, path, value, operation):
        if path.first_path in (("members", None, None),):
            self.obj.user_set.set(self._member_users(value))
            return
        if (
            path.first_path in (("displayName", None, None),)
            or path.first_path[0] is None
        ):
            name = value if isinstance(value, str) else (value or {}).get("displayName")
            if name:
                self.obj.name = name
                self.obj.save()
            return
        super().handle_replace(path, value, operation)

    def delete(self):
        with transaction.atomic():
            members = list(self.obj.user_set.all())
            self.obj.delete()
            self._sync_roles(members)

    @staticmethod
    def _sync_roles(users) -> None:
        for user in users:
            sync_role_from_scim_groups(user=user)
