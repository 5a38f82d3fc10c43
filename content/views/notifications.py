"""Following stages, tags and assets; the notifications page and digest choice."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from taggit.models import Tag

from accounts import roles
from accounts.roles import role_required
from content.forms.notifications import NotificationActionForm
from content.models import Asset, DigestState, Notification, Stage, SubscriptionTarget
from content.selectors.notifications import (
    is_following,
    notifications_for,
    subscriptions_for,
)
from content.services.notifications import (
    digest_set_enabled,
    notification_mark_read,
    subscription_create,
    subscription_delete,
)
from content.views.common import paginate
from content.views.redirects import safe_next

NOTIFICATION_PAGE_SIZE = 30


@require_http_methods(["GET", "POST"])
@role_required(roles.can_use_library)
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = NotificationActionForm(request.POST)
        if not form.is_valid():
            # Only a hand-made request gets here: the page's buttons are valid.
            messages.error(request, "That action is not available; nothing changed.")
            return redirect(safe_next(request, reverse("content:notifications")))
        action = form.cleaned_data["action"]
        if action == "read_all":
            count = notification_mark_read(user=user)
            messages.success(
                request, f"{count} notification{'s' if count != 1 else ''} marked read."
            )
        elif action == "read":
            notification = get_object_or_404(
                Notification, pk=form.cleaned_data["id"], user=user
            )
            notification_mark_read(user=user, notification=notification)
        elif action in ("digest_on", "digest_off"):
            digest_set_enabled(user=user, enabled=action == "digest_on")
            messages.success(
                request,
                "You will get the weekly digest by email."
                if action == "digest_on"
                else "No more weekly digest emails.",
            )
        return redirect(safe_next(request, reverse("content:notifications")))
    page_obj = paginate(request, notifications_for(user=user), NOTIFICATION_PAGE_SIZE)
    state = DigestState.objects.filter(user=user).first()
    return render(
        request,
        "content/notifications/list.html",
        {
            "page_obj": page_obj,
            "notifications": page_obj.object_list,
            "subscriptions": subscriptions_for(user=user),
            "digest_enabled": state.enabled if state else True,
            "last_digest_at": state.last_digest_at if state else None,
            "querystring_without_page": "",
        },
    )


def _target(request: HttpRequest, target: str, pk: int) -> dict[str, object]:
    user = request.user
    if target == SubscriptionTarget.STAGE:
        obj = get_object_or_404(Stage, pk=pk, is_active=True)
    elif target == SubscriptionTarget.TAG:
        obj = get_object_or_404(Tag, pk=pk)
    elif target == SubscriptionTarget.ASSET:
        obj = get_object_or_404(Asset.objects.visible_to(user), pk=pk)
    else:
        raise Http404("Nothing to follow here.")
    return {target: obj}


def _target_url(target: dict[str, object]) -> str:
    ((kind, obj),) = target.items()
    if kind == SubscriptionTarget.TAG:
        return reverse("content:search") + f"?tag={obj.slug}"
    return obj.get_absolute_url()


def _follow_response(
    request: HttpRequest, target: dict[str, object], following: bool
) -> HttpResponse:
    ((kind, obj),) = target.items()
    if request.htmx:
        return render(
            request,
            "content/notifications/_follow.html",
            {"target_kind": kind, "target": obj, "following": following},
        )
    label = obj.name if kind != SubscriptionTarget.ASSET else obj.title
    if following:
        messages.success(request, f"You follow “{label}”: news appear in your bell.")
    else:
        messages.info(request, f"You no longer follow “{label}”.")
    return redirect(safe_next(request, _target_url(target)))


@require_POST
@role_required(roles.can_use_library)
def follow(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    chosen = _target(request, target, pk)
    try:
        subscription_create(user=request.user, **chosen)
    except PermissionDenied as error:
        raise Http404 from error
    return _follow_response(request, chosen, following=True)


@require_POST
@role_required(roles.can_use_library)
def unfollow(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    followed = None
    if target == SubscriptionTarget.ASSET:
        # An asset one follows may have been retired since: unfollowing still works.
        followed = Asset.objects.filter(pk=pk, subscriptions__user=request.user).first()
    if followed is not None:
        chosen = {target: followed}
    else:
        chosen = _target(request, target, pk)
    subscription_delete(user=request.user, **chosen)
    following = is_following(user=request.user, **chosen)
    return _follow_response(request, chosen, following=following)
