"""Helpers every area's views share: paging, the page's query string, POST data,
and calling a write service on behalf of a form."""

from collections.abc import Callable, Mapping
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from content.forms.errors import add_service_error
from content.models import Asset
from content.selectors.paging import page_of


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def paginate(
    request: HttpRequest, object_list, per_page: int, count: int | None = None
):
    return page_of(object_list, per_page, request.GET.get("page"), count=count)


def posted(request: HttpRequest):
    """The POST data when the request is a POST (even an empty one), else None."""
    return request.POST if request.method == "POST" else None


def published_asset_or_404(user, pk: int) -> Asset:
    asset = get_object_or_404(Asset.objects.visible_to(user), pk=pk)
    if not asset.is_published:
        raise Http404("Only published assets can be rated or used in deals.")
    return asset


T = TypeVar("T")


def form_service_call(
    form: forms.Form,
    service: Callable[..., T],
    *,
    rename: Mapping[str, str | None] | None = None,
    **arguments,
) -> T | None:
    """`service(**arguments)`, or None with its ValidationError on the form.

    A PermissionDenied is answered as a 404: an object the user may not touch
    is one the site does not show them.
    """
    try:
        return service(**arguments)
    except ValidationError as error:
        add_service_error(form, error, rename=rename)
    except PermissionDenied as error:
        raise Http404 from error
    return None
