"""Share panels that other areas' pages include without knowing about sharing."""

from django import template

from accounts.roles import can_share_externally
from content.forms_sharing import ShareForm
from content.selectors.sharing import (
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
        # A panel that could only say "cannot be shared" (a battle card, a card
        # without a file) is noise: it shows when there is a form or a link to list.
        "show": not reason or bool(links),
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
        "can_share": can_share_externally(user) and deal.owner_id == user.pk,
        "request": context["request"],
    }
