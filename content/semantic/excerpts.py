"""What a search result shows of where the answer is: a few words around the
match, the matching words marked, and the page or slide they are on.

Keyword matches are cut by the database: FTS5's snippet() on SQLite,
ts_headline() on PostgreSQL. A match found by meaning alone shows its nearest
chunk, with the query's words marked. Only the assets of the page being shown
are read, and they have already passed the user's visibility filter: an
excerpt never quotes an asset the user may not open.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.urls import reverse

from content.models import Asset, SearchChunk
from content.search_index import FTS_TABLE, fts_match_expression

START, STOP = "\x02", "\x03"
EXCERPT_WORDS = 28
_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    "the and for are but not you your our with that this they them their have has "
    "had was were what when where which who how why does did can could would should "
    "will its it's from into about there then than say says said too very just also "
    "we're they're don't "
    # How reps quote a prospect: "customer says...", "prospect tells me...".
    "customer customers prospect prospects client clients tell tells told".split()
)


@dataclass
class Excerpt:
    """Text in parts, each (text, is_a_matching_word), and where it is."""

    parts: list[tuple[str, bool]] = field(default_factory=list)
    page: int | None = None
    page_label: str = ""
    url: str = ""

    @property
    def location(self) -> str:
        return f"{self.page_label} {self.page}" if self.page and self.page_label else ""

    def __bool__(self) -> bool:
        return bool(self.parts)


def split_marked(text: str) -> list[tuple[str, bool]]:
    """'a \\x02b\\x03 c' -> [('a ', False), ('b', True), (' c', False)]."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _MARKED.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group(1), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return [(part.replace(START, "").replace(STOP, ""), hit) for part, hit in parts]


def query_words(terms: Sequence[str]) -> list[str]:
    """The words of `terms` that carry meaning: no stopword, three letters up."""
    return [
        token
        for term in terms
        for token in _WORD.findall(term.lower())
        if len(token) >= 3 and token not in _STOPWORDS
    ]


def query_stems(terms: Sequence[str]) -> list[str]:
    return [word[: max(4, len(word) - 2)] for word in query_words(terms)]


def mark_words(text: str, stems: Sequence[str], *, words: int = EXCERPT_WORDS) -> str:
    """About `words` words of `text` around its first word that starts like one
    of `stems`, those words marked."""
    tokens = " ".join(text.split()).split(" ")
    stems = tuple(stems)
    # Each token is checked once (str.startswith takes the stems at once).
    hits = [i for i, token in enumerate(tokens) if _bare(token).startswith(stems)]
    start = max(0, (hits[0] - words // 3) if hits else 0)
    found = set(hits)
    marked = [
        f"{START}{token}{STOP}" if start + i in found else token
        for i, token in enumerate(tokens[start : start + words])
    ]
    text = " ".join(marked)
    if start > 0:
        text = "… " + text
    if start + words < len(tokens):
        text += " …"
    return text


def _bare(token: str) -> str:
    return token.lower().strip(".,;:!?\"'()[]“”‘’«»")


def _normal(text: str) -> str:
    return " ".join(text.split())


def keyword_snippets(ids: Sequence[int], include: list[str], exclude: list[str]):
    """{asset id: marked snippet} from the database's full-text index."""
    if not ids or not include:
        return {}
    if connection.vendor == "sqlite":
        expression = fts_match_expression(include, exclude)
        if not expression:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, 0, %s, %s, '…', {EXCERPT_WORDS}) "  # noqa: S608 - our constants
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [START, STOP, expression, *ids])
            return {row[0]: _normal(row[1]) for row in cursor.fetchall()}
    if connection.vendor == "postgresql":
        # The best matching chunk of each asset, cut and marked by ts_headline.
        sql = (
            "SELECT DISTINCT ON (c.asset_id) c.asset_id, c.id, ts_headline("
            "'english', c.text, q, %s) FROM content_searchchunk c, "
            "websearch_to_tsquery('english', %s) q "
            "WHERE c.asset_id = ANY(%s) AND to_tsvector('english', c.text) @@ q "
            "ORDER BY c.asset_id, ts_rank(to_tsvector('english', c.text), q) DESC, "
            "c.ordinal"
        )
        options = (
            f'StartSel="{START}", StopSel="{STOP}", MaxWords={EXCERPT_WORDS}, '
            "MinWords=12, MaxFragments=1"
        )
        query = " ".join(
            [f'"{t}"' if " " in t else t for t in include] + [f"-{t}" for t in exclude]
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [options, query, list(ids)])
            return {row[0]: (row[1], _normal(row[2])) for row in cursor.fetchall()}
    return {}


def excerpts_for(
    assets: Sequence[Asset],
    *,
    include: list[str],
    exclude: list[str],
    chunks: dict[int, int],
    keyword_ids: Collection[int] | None = None,
) -> dict[int, Excerpt]:
    """The excerpt of each of `assets` (already visible to the user).

    `chunks` maps an asset found by meaning to its nearest chunk;
    `keyword_ids` are the assets that match the words themselves (None: all
    of them): only those can have a keyword snippet, so only those are asked
    of the full-text index. Of the chunks, only those an excerpt may come
    from are read: a meaning match's nearest one, and the file chunks of the
    others.
    """
    ids = [asset.pk for asset in assets]
    if not ids or not include:
        return {}
    matched = ids if keyword_ids is None else [i for i in ids if i in keyword_ids]
    snippets = keyword_snippets(matched, include, exclude)
    wanted = _chunks_wanted(ids, snippets, chunks)
    rows = (
        SearchChunk.objects.filter(wanted).only(
            "asset_id", "ordinal", "page", "page_label", "text"
        )
        if wanted
        else SearchChunk.objects.none()
    )
    by_asset: dict[int, list[SearchChunk]] = {}
    by_id: dict[int, SearchChunk] = {}
    for row in rows.order_by("asset_id", "ordinal"):
        by_asset.setdefault(row.asset_id, []).append(row)
        by_id[row.pk] = row
    stems = query_stems(include)
    excerpts: dict[int, Excerpt] = {}
    for asset in assets:
        chunk: SearchChunk | None = None
        marked = ""
        snippet = snippets.get(asset.pk)
        if isinstance(snippet, tuple):  # PostgreSQL: the chunk is known
            chunk, marked = by_id.get(snippet[0]), snippet[1]
        elif snippet:
            marked = snippet
            chunk = _chunk_of(marked, by_asset.get(asset.pk, []))
        elif asset.pk in chunks and chunks[asset.pk] in by_id:
            chunk = by_id[chunks[asset.pk]]
            if chunk.ordinal == 0:  # the title and summary: the tile shows them
                continue
            marked = mark_words(chunk.text, stems)
        else:
            chunk = _best_by_words(by_asset.get(asset.pk, []), stems)
            marked = mark_words(chunk.text, stems) if chunk is not None else ""
        if not marked:
            continue
        excerpt = Excerpt(parts=split_marked(marked))
        if chunk is not None and chunk.page and chunk.page_label:
            excerpt.page, excerpt.page_label = chunk.page, chunk.page_label
        excerpt.url = _url(asset, excerpt.page)
        excerpts[asset.pk] = excerpt
    return excerpts


def _chunks_wanted(ids: list[int], snippets: dict, chunks: dict[int, int]) -> Q:
    """The chunk rows `excerpts_for` reads: the chunk a PostgreSQL snippet or a
    meaning match names; a SQLite snippet's file pages (to find its page);
    the file chunks of an asset with neither (the one with most query words)."""
    known: list[int] = []
    paged: list[int] = []
    scanned: list[int] = []
    for pk in ids:
        snippet = snippets.get(pk)
        if isinstance(snippet, tuple):
            known.append(snippet[0])
        elif snippet:
            paged.append(pk)
        elif pk in chunks:
            known.append(chunks[pk])
        else:
            scanned.append(pk)
    wanted = Q()
    if known:
        wanted |= Q(pk__in=known)
    if paged:
        wanted |= Q(asset_id__in=paged, ordinal__gt=0, page__isnull=False)
    if scanned:
        wanted |= Q(asset_id__in=scanned, ordinal__gt=0)
    return wanted


def _best_by_words(chunks: list[SearchChunk], stems: list[str]) -> SearchChunk | None:
    """The file chunk with the most of the query's words, if any has one."""
    best, best_hits = None, 0
    prefixes = tuple(stems)
    for chunk in chunks:
        if not chunk.ordinal:
            continue
        hits = sum(1 for t in chunk.text.split() if _bare(t).startswith(prefixes))
        if hits > best_hits:
            best, best_hits = chunk, hits
    return best


def _chunk_of(marked: str, chunks: list[SearchChunk]) -> SearchChunk | None:
    """The file chunk a snippet of the whole search text was cut from."""
    words = [w for w in marked.replace("…", " ").split(" ") if w]
    first = next((i for i, w in enumerate(words) if START in w), None)
    if first is None:
        return None
    plain = [w.replace(START, "").replace(STOP, "") for w in words]
    for width in (4, 2, 0):
        core = " ".join(plain[max(0, first - width) : first + width + 1])
        for chunk in chunks:
            if chunk.ordinal and chunk.page and core in chunk.text:
                return chunk
    return None


def _url(asset: Asset, page: int | None) -> str:
    """The asset at that page: the PDF itself where the browser can show it."""
    version = asset.current_version
    if page and version is not None and version.is_previewable:
        download = reverse("content:download", kwargs={"pk": version.pk})
        return f"{download}?inline=1#page={page}"
    return asset.get_absolute_url()
