"""django-scim2 lookups, apart from accounts.scim: its adapters import these at
import time (a cycle otherwise)."""

from django_scim.filters import GroupFilterQuery


class ScimGroupFilterQuery(GroupFilterQuery):
    # Okta looks a group up by its display name before creating it.
    attr_map = {("displayName", None, None): "name"}


def scim_linked_only(model):
    """Users and groups SCIM knows: a user SCIM deleted has no scim_id any more."""

    def extra_filter_kwargs(request, *args, **kwargs) -> dict:
        return {"scim_id__isnull": False}

    return extra_filter_kwargs
