"""Share panels that other areas' pages include without knowing about sharing."""

from django import template

from accounts.roles import can_share_externally
from content.forms.sharing import ShareForm
from content.selectors.engagement import deal_visits
from content.selectors.sharing import (
    INTERNAL_ONLY_KINDS,
    asset_share_links,
    deal_share_engagement,
    why_not_shareable,
)

register = template.Library()


@register.inclusion_tag("content/sharing/_asset_sharing_panel.html", takes_context=True)
def asset_sharing_panel(context, asset):
    """The asset page's "Share with a prospect" form and the user's links to it."""
    user = context["request"].user
    if not can_share_externally(user):
        return {"show": False}
    reason = why_not_shareable(asset)
    links = asset_share_links(user=user, asset=asset)
    return {
        # "Cannot be shared" helps a rep who might want to send this file (an
        # internal deck); on a battle card or a card without a file it is noise.
        "show": not reason
        or bool(links)
        or (
            asset.current_version_id is not None
            and asset.kind not in INTERNAL_ONLY_KINDS
        ),
        "asset": asset,
        "not_shareable": reason,
        "form": None if reason else ShareForm(user=user, auto_id="share_%s"),
        "links": links,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag(
    "content/sharing/_deal_engagement_panel.html", takes_context=True
)
def deal_engagement_panel(context, deal):
    """Prospect engagement with what the rep shared for `deal`."""
    user = context["request"].user
    return {
        "deal": deal,
        "engagement": deal_share_engagement(user=user, deal=deal),
        "visits": deal_visits(user=user, deal=deal),
        "can_share": can_share_externally(user) and deal.owner_id == user.pk,
        "request": context["request"],
    }
