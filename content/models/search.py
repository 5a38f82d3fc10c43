"""What semantic search reads: each asset's text in chunks, with their vectors.

The vectors live here, in the database, on both SQLite and PostgreSQL; the
in-memory index (content.semantic.index) is rebuilt from these rows and is
never the only copy.
"""

from django.db import models


class SearchChunk(models.Model):
    """One piece of an asset's text and its embedding.

    Ordinal 0 is the asset's own words (title, summary, card fields, tags);
    the others are pieces of its current file's text, with the page or slide
    they come from when the file has pages.
    """

    asset = models.ForeignKey(
        "content.Asset", on_delete=models.CASCADE, related_name="search_chunks"
    )
    ordinal = models.PositiveIntegerField()
    # 1-based page or slide of the file; null for the card chunk and pageless files.
    page = models.PositiveIntegerField(null=True, blank=True)
    # "page" or "slide": how the result names `page`.
    page_label = models.CharField(max_length=8, blank=True)
    text = models.TextField()
    # float32 little-endian, L2-normalised; its length is the encoder's size.
    vector = models.BinaryField()
    # The encoder that made the vector (WINGMAN_SEARCH_ENCODER): the index
    # only reads vectors of the encoder in use, so a switch never mixes them.
    encoder = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "ordinal"], name="search_chunk_unique_ordinal"
            ),
        ]
        indexes = [models.Index(fields=["encoder", "id"])]

    def __str__(self) -> str:
        return f"{self.asset_id} #{self.ordinal}"

    @property
    def location(self) -> str:
        """ "slide 7", "page 4", or "" when the text has no page."""
        return f"{self.page_label} {self.page}" if self.page and self.page_label else ""
