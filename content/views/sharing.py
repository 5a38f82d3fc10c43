"""Share links: the rep's side (create, list, revoke). The prospect's page is
in share_public.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import can_share_externally, role_required
from content.forms.errors import add_service_error
from content.forms.sharing import DealRoomForm, ShareForm
from content.models import Asset, ShareLink, ShareLinkItem
from content.selectors.engagement import share_visits
from content.selectors.sharing import (
    share_deal_choices,
    share_link_events,
    share_links_for,
    why_not_shareable,
)
from content.services import sharing as sharing_services
from content.views.common import paginate
from content.views.redirects import safe_next


def _created_response(
    request: HttpRequest, share: ShareLink, raw_token: str
) -> HttpResponse:
    """The new link's page, with its URL, as the answer to the POST that made it.

    The URL is shown once and stored nowhere: not in the database (a hash only),
    not in the session (a redirect would have to park it there until the next
    page view, or for the session's life if that view never came).
    """
    url = request.build_absolute_uri(
        reverse("content:share_public", kwargs={"token": raw_token})
    )
    share = get_object_or_404(share_links_for(user=request.user), pk=share.pk)
    response = _detail_response(request, share, new_link=url, status=201)
    # The page holds a secret: no cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


def _detail_response(
    request: HttpRequest, share: ShareLink, *, new_link: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "content/sharing/share_detail.html",
        {
            "share": share,
            "items": list(share.items.all()),
            "events": share_link_events(share=share),
            "visits": share_visits(share=share),
            "new_link": new_link,
        },
        status=status,
    )


@role_required(can_share_externally)
@require_http_methods(["GET", "POST"])
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Share one asset: the form sits on the asset page; errors render here."""
    asset = get_object_or_404(
        Asset.objects.visible_to(request.user).select_related("current_version"),
        pk=pk,
    )
    reason = why_not_shareable(asset)
    form = ShareForm(request.POST or None, user=request.user)
    if request.method == "POST" and not reason and form.is_valid():
        try:
            share, raw_token = sharing_services.share_create(
                user=request.user,
                assets=[asset],
                recipient=form.cleaned_data["recipient"],
                deal=form.cleaned_data["deal"],
                message=form.cleaned_data["message"],
                expires_at=form.cleaned_data["expires_on"],
                **form.service_controls(),
            )
        except ValidationError as exc:
            add_service_error(form, exc, rename=form.service_fields)
        else:
            messages.success(request, f"Link for {share.recipient} created.")
            return _created_response(request, share, raw_token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "content/sharing/share_add.html",
        {"asset": asset, "form": form, "not_shareable": reason},
        status=status,
    )


@role_required(can_share_externally)
@require_http_methods(["GET", "POST"])
def share_room_add(request: HttpRequest) -> HttpResponse:
    """A deal room: several assets for one deal, on one page for the prospect."""
    initial = {}
    deal_pk = request.GET.get("deal", "")
    if deal_pk.isdigit():
        initial["deal"] = (
            share_deal_choices(user=request.user).filter(pk=deal_pk).first()
        )
    form = DealRoomForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            share, raw_token = sharing_services.share_create(
                user=request.user,
                # Checkbox order is the library's order; the rep reorders afterwards.
                assets=list(form.cleaned_data["assets"]),
                recipient=form.cleaned_data["recipient"],
                deal=form.cleaned_data["deal"],
                message=form.cleaned_data["message"],
                expires_at=form.cleaned_data["expires_on"],
                **form.service_controls(),
            )
        except ValidationError as exc:
            add_service_error(form, exc, rename=form.service_fields)
        else:
            messages.success(request, f"Deal room for {share.recipient} created.")
            return _created_response(request, share, raw_token)
    return render(
        request,
        "content/sharing/share_room_add.html",
        {
            "form": form,
            "has_deals": form.fields["deal"].queryset.exists(),
            "has_assets": form.fields["assets"].queryset.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(can_share_externally)
@require_GET
def share_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, share_links_for(user=request.user), 20)
    return render(
        request,
        "content/sharing/share_list.html",
        {"page_obj": page, "links": page.object_list},
    )


@role_required(can_share_externally)
@require_GET
def share_detail(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(share_links_for(user=request.user), pk=pk)
    return _detail_response(request, share)


@role_required(can_share_externally)
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(ShareLink.objects.created_by(request.user), pk=pk)
    sharing_services.share_revoke(user=request.user, share=share)
    messages.success(
        request, f"The link for {share.recipient} is revoked: it no longer opens."
    )
    return redirect(safe_next(request, share.get_absolute_url()))


@role_required(can_share_externally)
@require_POST
def share_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    share = get_object_or_404(ShareLink.objects.created_by(request.user), pk=pk)
    item = get_object_or_404(ShareLinkItem.objects.filter(share=share), pk=item_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Choose up or down.")
    else:
        sharing_services.share_item_move(
            user=request.user, share=share, item=item, offset=offset
        )
    return redirect(share)
