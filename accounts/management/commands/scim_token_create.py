"""Create a SCIM bearer token for an identity provider; prints the secret once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services_scim import scim_token_create


class Command(BaseCommand):
    help = "Create a SCIM token (e.g. for Okta); only an admin may own it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="e.g. Okta")
        parser.add_argument(
            "--admin", required=True, help="username of the admin creating it"
        )

    def handle(self, *args, name: str, admin: str, **options) -> None:
        user = User.objects.filter(username=admin).first()
        if user is None:
            raise CommandError(f"No user named {admin!r}.")
        try:
            token, secret = scim_token_create(created_by=user, name=name)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"SCIM token {token.name!r} created. Its secret (shown once):"
        )
        self.stdout.write(secret)
