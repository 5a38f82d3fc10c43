"""Page images of a version: one picture per page or slide, for the viewer.

Made by the file job (content/services/pages.py) after the thumbnail; stored
through the default (private) storage like the files themselves, and served
only through a view that checks who may see the asset.
"""

import uuid

from django.db import models

from content.models.library import Version


def page_upload_to(instance: "VersionPage", filename: str) -> str:
    """A random name: a page's address says nothing of its asset or number."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"pages/{uuid.uuid4().hex}.{suffix[:5]}"


class VersionPage(models.Model):
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="pages")
    number = models.PositiveSmallIntegerField(help_text="1-based page or slide.")
    image = models.ImageField(upload_to=page_upload_to, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # True for an outline drawn from the deck's own content (no LibreOffice):
    # legible, but not what the slide looks like; the viewer says so.
    simplified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="version_page_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="version_page_number_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} page {self.number}"
