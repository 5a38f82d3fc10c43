"""Marketing's answer to a rating's comment: closing the loop with the field."""

from django.conf import settings
from django.db import models

from content.models.base import TimeStampedModel


class RatingReply(TimeStampedModel):
    """One answer per rating, by the asset's owner or an admin; editable."""

    rating = models.OneToOneField(
        "content.Rating", on_delete=models.CASCADE, related_name="reply"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=2000)

    class Meta:
        verbose_name_plural = "rating replies"

    def __str__(self) -> str:
        return f"Answer to {self.rating}"
