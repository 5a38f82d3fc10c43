"""An asset's text in pieces small enough to embed, each with its page.

Piece 0 is the asset's own words (title, summary, tags, competitor); each card
field (objection, response, how we win...) is a piece of its own, since a
rep's question usually matches one of them; then the current file's text,
page by page (the preview task separates pages and slides with a form feed,
content.previews.PAGE_BREAK), cut into windows of about WINDOW_WORDS words.
"""

from __future__ import annotations

from dataclasses import dataclass

from content import file_types
from content.models import Asset, AssetKind
from content.previews import PAGE_BREAK

WINDOW_WORDS = 120
# Bounds the index: a 300-page PDF keeps its first pieces only (it stays
# findable by every word through the full-text index).
MAX_FILE_CHUNKS = 48
CARD_FIELDS = (
    "objection",
    "response",
    "when_to_use",
    "their_strengths",
    "their_weaknesses",
    "landmines",
    "how_we_win",
    "proof_points",
)


@dataclass(frozen=True)
class Piece:
    text: str
    page: int | None = None
    page_label: str = ""


def _words(text: str) -> str:
    return " ".join(text.split())


def asset_pieces(asset: Asset) -> list[Piece]:
    """Every piece of `asset` to embed, in reading order (see the module doc)."""
    head = [asset.title, asset.summary, asset.competitor, *sorted(asset.tags.names())]
    pieces = [Piece(_words(". ".join(part for part in head if part)))]
    for name in CARD_FIELDS:
        value = _words(getattr(asset, name, "") or "")
        if value:
            pieces.append(Piece(value))
    version = asset.current_version
    if version is not None and version.extracted_text:
        pieces += file_pieces(
            version.extracted_text, page_label=_page_label(asset, version)
        )
    return [piece for piece in pieces if piece.text]


def _page_label(asset: Asset, version) -> str:
    file_type = version.file_type
    if file_type is file_types.PPTX:
        return "slide"
    if file_type is file_types.PDF:
        # The demo's and most marketing decks are PDFs of slides.
        return "slide" if asset.kind == AssetKind.DECK else "page"
    return ""


def file_pieces(text: str, *, page_label: str) -> list[Piece]:
    """Windows of the file's text; numbered pages when it has page breaks."""
    pages = text.split(PAGE_BREAK)
    numbered = bool(page_label) and len(pages) > 1
    pieces: list[Piece] = []
    for number, page in enumerate(pages, start=1):
        words = page.split()
        for start in range(0, len(words), WINDOW_WORDS):
            if len(pieces) >= MAX_FILE_CHUNKS:
                return pieces
            pieces.append(
                Piece(
                    " ".join(words[start : start + WINDOW_WORDS]),
                    page=number if numbered else None,
                    page_label=page_label if numbered else "",
                )
            )
    return pieces
