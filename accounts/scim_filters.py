"""django-scim2 lookups, apart from accounts.scim: its adapters import these at
import time (a cycle otherwise)."""

from django_scim.filters import GroupFilterQuery


class ScimGroupFilterQuery(GroupFilterQuery):
    # Okta looks a group up by its display name before creating it.
    attr_map = {("displayName", None, None): "name"}


def scim_unlinked(model):
    """Leaves out what SCIM deleted: such a user has no scim_id any more. (An
    exclude, not a filter: django-scim2 applies these to raw search results by
    plain attribute comparison, where `scim_id=None` works and lookups do not.)"""

    def extra_exclude_kwargs(request, *args, **kwargs) -> dict:
        return {"scim_id": None}

    return extra_exclude_kwargs
