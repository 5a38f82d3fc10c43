"""Helpers every area's views share: paging, the page's query string, POST data."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

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
