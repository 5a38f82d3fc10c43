"""Answering the field: the asset's owner (or an admin) answers a rating's
comment in place, and the rep who wrote it is told."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from accounts.models import User
from content.models import Notification, NotificationVerb, Rating, RatingReply

REPLY_MAX = 2000


def may_answer(*, user: User, rating: Rating) -> bool:
    """The owner of the rated asset answers for it; admins run the library."""
    if not roles.can_manage_content(user) or not rating.comment:
        return False
    return rating.asset.owner_id == user.pk or roles.can_manage_users(user)


@transaction.atomic
def rating_reply_set(*, actor: User, rating: Rating, text: str) -> RatingReply:
    """Write (or rewrite) the answer to a rating's comment and notify its author.

    Nothing is written on a refusal or bad text; the notification is written in
    the same transaction, so a rep is never told of an answer that is not there.
    """
    if not may_answer(user=actor, rating=rating):
        raise PermissionDenied("Only the asset's owner or an admin answers comments.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the answer first."})
    if len(text) > REPLY_MAX:
        raise ValidationError(
            {"text": f"Keep the answer under {REPLY_MAX} characters."}
        )
    reply = RatingReply.objects.filter(rating=rating).first()
    if reply is None:
        reply = RatingReply(rating=rating, author=actor, text=text)
    else:
        reply.author, reply.text = actor, text
    reply.full_clean()
    reply.save()
    if rating.user_id != actor.pk and rating.user.is_active:
        asset = rating.asset
        Notification.objects.create(
            user_id=rating.user_id,
            verb=NotificationVerb.RATING_ANSWERED,
            # A partner only hears of partner assets they could rate anyway.
            asset=asset,
            message=(f"{actor.display_name} answered your comment on {asset.title}")[
                :300
            ],
        )
    return reply
