"""Writes on users. The admin and seed_demo use these too."""

from django.db import transaction

from accounts.models import Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.REP,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    title: str = "",
) -> User:
    # Role is validated here: self-registration does not exist, an admin sets it.
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        title=title,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str) -> User:
    user.role = role
    # The Django admin is the admins' tool for user and role management.
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.full_clean()
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    return user
