"""Accent-insensitive Vietnamese search over notices, online-service links and indicators.

Stored forms. Every searchable row keeps four columns, written by its model's listener through
`fill_search_columns`:

* `search_text`: the folded words of all its searchable text (`fold_vi`: đ→d, no diacritics, casefolded),
  separated by single spaces ("Cảnh báo lũ (sông Thu Bồn)" → "canh bao lu song thu bon");
* `search_title`: the same for its title (names, and the code of an indicator);
* `search_text_accented`, `search_title_accented`: the same words casefolded but keeping their accents
  ("cảnh báo lũ sông thu bồn"), to tell an exact match from an accent-insensitive one.

Matching. The query is split the same way into words (at most `MAX_TERMS`); a row matches when every word
begins a word of its folded text: "duong" finds "Đường", "quang nam" finds "Quảng Nam" and "QUẢNG NAM",
"quan" finds "Quảng" (a word being typed), but "an" does not find "Quảng". On PostgreSQL a pg_trgm index on
`search_text` serves these LIKE patterns; SQLite scans the column (5,000 notices in a few milliseconds).

Ranking. Each query word scores where it is found best: 4 in the title with the accents as typed, 3 in the
title without them, 2 elsewhere with the accents, 1 elsewhere without them. A hit's score is the sum over
the words divided by the maximum, so 1.0 means every word is in the title exactly as typed. Ties go to the
newest notice, the featured service, the first indicator in the province's own order.

Snippets and highlights are computed on the original text, so offsets point at what the reader sees.
"""

import html
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import reduce
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, false, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import case

from smart_qn.content.indicators import Indicator
from smart_qn.content.notices import Notice, live_notices
from smart_qn.content.services import ServiceLink
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.text import fold_vi

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# At most this many hits are reachable through `search` (all kinds together): refine the query beyond.
MAX_RESULTS = 1000
SNIPPET_LENGTH = 160
# How much text a snippet shows before its first highlighted word.
SNIPPET_LEAD = 40
ELLIPSIS = "…"

_WORD = re.compile(r"[^\W_]+")  # letters and digits: "GRDP_GROWTH" is two words
_LIKE_ESCAPE = "/"


class Kind(StrEnum):
    NOTICE = "notice"
    SERVICE = "service"
    INDICATOR = "indicator"


# ---------------------------------------------------------------------------------------------------------
# Stored forms
# ---------------------------------------------------------------------------------------------------------


def casefold_accented(text: str | None) -> str:
    """Casefold but keep the accents: "Đường QUẢNG" → "đường quảng" (NFC, whatever the input's form)."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def folded_words(*parts: str | None) -> str:
    """The folded words of `parts`, separated by single spaces: what `search_text` and `search_title` hold."""
    return " ".join(word for part in parts if part for word in _WORD.findall(fold_vi(part)))


def accented_words(*parts: str | None) -> str:
    """The casefolded words of `parts` with their accents: the `*_accented` columns."""
    return " ".join(word for part in parts if part for word in _WORD.findall(casefold_accented(part)))


def fill_search_columns(row, *, title: Iterable[str | None], body: Iterable[str | None]) -> None:
    """Write the four search columns of a notice, service link or indicator (called by their listeners)."""
    title, body = tuple(title), tuple(body)
    row.search_title = folded_words(*title)
    row.search_title_accented = accented_words(*title)
    row.search_text = folded_words(*title, *body)
    row.search_text_accented = accented_words(*title, *body)


# ---------------------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    accented: str  # casefolded as typed: "quảng"
    folded: str  # "quang"


def _escape_like(word: str) -> str:
    return word.replace(_LIKE_ESCAPE, 2 * _LIKE_ESCAPE).replace("%", "/%").replace("_", "/_")


def _begins_a_word(column: InstrumentedAttribute, word: str) -> ColumnElement[bool]:
    """`word` begins one of the space-separated words of `column`."""
    escaped = _escape_like(word)
    return or_(
        column.like(f"{escaped}%", escape=_LIKE_ESCAPE),
        column.like(f"% {escaped}%", escape=_LIKE_ESCAPE),
    )


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: its words, casefolded as typed and folded."""

    text: str
    terms: tuple[Term, ...]
    _patterns: tuple[re.Pattern, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        patterns = tuple(re.compile(r"(?<![^\W_])" + re.escape(term.folded)) for term in self.terms)
        object.__setattr__(self, "_patterns", patterns)

    @classmethod
    def parse(cls, text: str) -> "SearchQuery":
        terms: dict[str, Term] = {}
        for word in _WORD.findall(casefold_accented(text)):
            folded = fold_vi(word)
            if folded and word not in terms:
                terms[word] = Term(accented=word, folded=folded)
        return cls(text=text, terms=tuple(terms.values())[:MAX_TERMS])

    def matches(self, model) -> ColumnElement[bool]:
        """Every word of the query begins a word of the row's folded text."""
        if not self.terms:
            return false()
        return and_(*(_begins_a_word(model.search_text, term.folded) for term in self.terms))

    def score(self, model) -> ColumnElement[int]:
        """The sum over the words of where each is found best (4, 3, 2 or 1; see the module docstring)."""
        if not self.terms:
            return literal(0)
        scores = [
            case(
                (_begins_a_word(model.search_title_accented, term.accented), 4),
                (_begins_a_word(model.search_title, term.folded), 3),
                (_begins_a_word(model.search_text_accented, term.accented), 2),
                else_=1,
            )
            for term in self.terms
        ]
        return reduce(operator.add, scores)

    def normalized(self, raw_score: int) -> float:
        """A raw score as a share of the best possible one: 1.0 = every word in the title, as typed."""
        return round(raw_score / (4 * len(self.terms)), 3) if self.terms else 0.0

    def rank(self, query: Select, model, *tie_breaks) -> Select:
        """`query` restricted to the matching rows, best first, then by `tie_breaks`."""
        return query.where(self.matches(model)).order_by(self.score(model).desc(), *tie_breaks)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query's words begin words of `text` (folded alike), as merged [start, end) offsets
        into `text` itself."""
        return _merge([(start, end) for start, end, _term in self._find(text)])

    def _find(self, text: str, limit_per_term: int = 200) -> list[tuple[int, int, int]]:
        """(start, end, term index) of every match in `text`, offsets into the original text."""
        folded, origins = _fold_mapped(text)
        found = []
        for index, pattern in enumerate(self._patterns):
            for count, match in enumerate(pattern.finditer(folded)):
                if count == limit_per_term:
                    break
                start, end = match.span()
                if origins is not None:
                    start, end = origins[start], origins[end - 1] + 1
                # A decomposed letter keeps its marks: "Đu\u031bo\u031b\u0300ng" highlights whole letters.
                while end < len(text) and unicodedata.combining(text[end]):
                    end += 1
                found.append((start, end, index))
        return found


NOTICE_ORDER = (Notice.publish_at.desc(), Notice.id.desc())
SERVICE_ORDER = (ServiceLink.featured.desc(), ServiceLink.name_vi, ServiceLink.id)
INDICATOR_ORDER = (Indicator.position, Indicator.code)


def rank_notices(query: Select, text: str) -> Select:
    """Restrict a select of notices to those matching `text`, best first, then newest."""
    return SearchQuery.parse(text).rank(query, Notice, *NOTICE_ORDER)


def rank_services(query: Select, text: str) -> Select:
    """Restrict a select of service links to those matching `text`, best first, then featured, by name."""
    return SearchQuery.parse(text).rank(query, ServiceLink, *SERVICE_ORDER)


def rank_indicators(query: Select, text: str) -> Select:
    """Restrict a select of indicators to those matching `text`, best first, then in the usual order."""
    return SearchQuery.parse(text).rank(query, Indicator, *INDICATOR_ORDER)


def _searchable(kind: Kind, now: datetime):
    """What one kind searches: its model, the select of its visible rows, its tie-break order."""
    if kind is Kind.NOTICE:
        return Notice, live_notices(now), NOTICE_ORDER
    if kind is Kind.SERVICE:
        return ServiceLink, select(ServiceLink).where(ServiceLink.published.is_(True)), SERVICE_ORDER
    return Indicator, select(Indicator), INDICATOR_ORDER


@dataclass(frozen=True)
class Hit:
    kind: Kind
    row: Notice | ServiceLink | Indicator
    score: float


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int  # reachable hits, at most MAX_RESULTS


# Equal scores list services, then indicators, then notices: the few reference items before the many notices.
_KIND_ORDER = {kind: position for position, kind in enumerate((Kind.SERVICE, Kind.INDICATOR, Kind.NOTICE))}


class _Candidate(NamedTuple):
    score: float
    kind: Kind
    position: int  # within its kind, best first
    row_id: int

    def sort_key(self) -> tuple:
        return -self.score, _KIND_ORDER[self.kind], self.position


def search(
    query: SearchQuery,
    *,
    kinds: Sequence[Kind] = tuple(Kind),
    offset: int = 0,
    limit: int = 20,
    now: datetime | None = None,
) -> SearchResults:
    """Search live notices, published service links and indicators; best first across kinds.

    Each kind costs one query, which returns its best `offset + limit` candidates (never more than
    MAX_RESULTS) and the count of all its matches; the page's rows are then loaded by id.
    """
    now = now or utcnow()
    wanted = max(min(offset + limit, MAX_RESULTS), 1)
    candidates: list[_Candidate] = []
    total = 0
    for kind in kinds:
        model, visible, order = _searchable(kind, now)
        score = query.score(model).label("score")
        ranked = (
            visible.with_only_columns(model.id, score, func.count().over().label("matches"))
            .where(query.matches(model))
            .order_by(score.desc(), *order)
            .limit(wanted)
        )
        rows = db.session.execute(ranked).all()
        total += rows[0].matches if rows else 0
        candidates += [
            _Candidate(query.normalized(row.score), kind, position, row.id)
            for position, row in enumerate(rows)
        ]
    candidates.sort(key=_Candidate.sort_key)
    page = candidates[offset : min(offset + limit, MAX_RESULTS)]
    loaded = {}
    for kind in {candidate.kind for candidate in page}:
        model = _searchable(kind, now)[0]
        ids = [candidate.row_id for candidate in page if candidate.kind is kind]
        loaded |= {(kind, row.id): row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}
    return SearchResults(
        hits=[
            Hit(candidate.kind, loaded[candidate.kind, candidate.row_id], candidate.score)
            for candidate in page
        ],
        total=min(total, MAX_RESULTS),
    )


# ---------------------------------------------------------------------------------------------------------
# Snippets
# ---------------------------------------------------------------------------------------------------------


class _FoldTable(dict):
    """`str.translate` table folding one character at a time (cached): `ord(c)` → `fold_vi(c)`."""

    def __missing__(self, codepoint: int) -> str:
        folded = fold_vi(chr(codepoint))
        if len(self) < 50_000:
            self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _fold_mapped(text: str) -> tuple[str, list[int] | None]:
    """`text` folded character by character, and for each folded character the offset of the original one
    it came from; None when the two line up (every character folds to exactly one: composed Vietnamese).
    A decomposed mark folds to nothing, "ß" to "ss": then the offsets are listed."""
    folded = text.translate(_FOLD_TABLE)
    if len(folded) == len(text) and all(len(_FOLD_TABLE[ord(char)]) == 1 for char in set(text)):
        return folded, None
    origins = []
    for offset, char in enumerate(text):
        origins.extend([offset] * len(_FOLD_TABLE[ord(char)]))
    return folded, origins


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]]  # [start, end) offsets into `text`


_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|br|hr|table|tr|td|th)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def plain_text(sanitized_html: str | None) -> str:
    """The text of sanitized HTML (a rendered notice body), whitespace collapsed."""
    if not sanitized_html:
        return ""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", sanitized_html))).split())


def snippet(text: str | None, query: SearchQuery, length: int = SNIPPET_LENGTH) -> Snippet:
    """At most `length` characters of `text` around the place where most of the query's words are, cut at
    word boundaries with an ellipsis where cut, and where those words are in it."""
    text = " ".join((text or "").split())
    found = query._find(text)
    if len(text) <= length:
        return Snippet(text, _merge((start, end) for start, end, _ in found))
    budget = length - 2 * len(ELLIPSIS)
    anchor_start, anchor_end = _anchor(found, budget)
    start = max(0, anchor_start - SNIPPET_LEAD)
    if start + budget > len(text):
        start = max(0, len(text) - budget)
    end = min(len(text), start + budget)
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, anchor_start)
        start = space + 1 if space != -1 else start
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", max(start, anchor_end), end)
        end = space if space != -1 else end
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    highlights = _merge(
        (match_start + shift, match_end + shift)
        for match_start, match_end, _ in found
        if match_start >= start and match_end <= end
    )
    return Snippet(prefix + text[start:end] + suffix, highlights)


def _anchor(found: list[tuple[int, int, int]], budget: int) -> tuple[int, int]:
    """The match to start a snippet near: the first one after which a window shows the most distinct
    query words."""
    if not found:
        return 0, 0
    ordered = sorted(found)
    best, best_words = ordered[0], -1
    for candidate in ordered[:50]:
        window_start = max(0, candidate[0] - SNIPPET_LEAD)
        words = {
            index for start, end, index in ordered if start >= window_start and end <= window_start + budget
        }
        if len(words) > best_words:
            best, best_words = candidate, len(words)
    return best[0], best[1]


def body_text(row: Notice | ServiceLink | Indicator, lang: str) -> str:
    """The text a hit's snippet is cut from, in `lang` where the row has it (Vietnamese otherwise)."""
    if isinstance(row, Notice):
        summary = getattr(row, f"summary_{lang}", None) or row.summary_vi
        body = getattr(row, f"body_html_{lang}", None) or row.body_html_vi
        return f"{summary} {plain_text(body)}"
    if isinstance(row, ServiceLink):
        return " · ".join(part for part in (row.field, row.agency_name, ", ".join(row.tags or ())) if part)
    return getattr(row, f"description_{lang}", None) or row.description_vi or ""
