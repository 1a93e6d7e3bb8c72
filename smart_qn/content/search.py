"""Accent-insensitive Vietnamese search over notices, online-service links and indicators.

Stored forms. Every searchable row keeps four columns for the search, written by its model's listener
through `fill_search_columns`:

* `search_folded`: the folded words of all its searchable text (`fold_vi`: đ→d, no diacritics,
  casefolded), each capitalized, separated by single spaces: "Cảnh báo lũ (sông Thu Bồn)" →
  "Canh Bao Lu Song Thu Bon";
* `search_title_folded`: the same for its title (names, and the code of an indicator);
* `search_accented`, `search_title_accented`: the same words keeping their accents
  ("Cảnh Báo Lũ Sông Thu Bồn"), to tell an exact match from an accent-insensitive one.

Matching. The query is split the same way into words (letters and digits, at most `MAX_TERMS`); a row
matches when every word begins a word of its folded text: "duong" finds "Đường", "quang nam" finds
"Quảng Nam" and "QUẢNG NAM", "quan" finds "Quảng" (a word being typed), but "an" does not find "Quảng".
The capital marks where words begin, so "begins a word" is a single case-sensitive substring test:
`search_folded LIKE '%Quang%'` on PostgreSQL, served by a pg_trgm index, and `GLOB '*Quang*'` on SQLite
(whose LIKE ignores case). On SQLite the notices, too many to scan on every search, are matched through
`notice_search`, an FTS5 index of their `search_folded` kept by triggers, with one prefix query per word
(`"quang"*`); whether each notice it finds is live is read from a narrow index by id, not from the row.
Services and indicators, a few dozen rows, are matched and scored by the same tests in the process
(`matches_row`, `score_row`), on a snapshot of their committed rows (see `IN_PROCESS_KINDS`).

Ranking. Each query word scores where it is found best: 4 in the title with the accents as typed, 3 in the
title without them, 2 elsewhere with the accents, 1 elsewhere without them. A hit's score is the sum over
the words divided by the maximum, so 1.0 means every word is in the title exactly as typed. Ties go to the
newest notice, the featured service, the first indicator in the province's own order.

Snippets and highlights are computed on the original text, so offsets point at what the reader sees. The
words are found in a copy folded one character for one (to ASCII when the text allows: nearly always). A
notice's snippet is cut from text stored with it (`fill_snippet_columns`): the plain text of its summary and
rendered body in each language, and that text's ASCII fold, so that a search neither strips HTML nor folds
the twenty texts it shows.
"""

import bisect
import functools
import html
import operator
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import reduce
from itertools import islice

from flask import current_app
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    column,
    false,
    func,
    literal,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import case
from sqlalchemy.sql.selectable import Alias
from sqlalchemy.sql.util import ClauseAdapter

from smart_qn.cache_store import UNCOMMITTED_CONTENT, content_generation
from smart_qn.content.indicators import Indicator
from smart_qn.content.notices import Notice
from smart_qn.content.services import ServiceLink
from smart_qn.dbtypes import UTCDateTime, utcnow
from smart_qn.extensions import db
from smart_qn.text import fold_vi

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Only the first this many matching rows of each kind, in its own order (the newest notices), are ranked:
# this bounds the cost of a search that matches nearly everything.
MAX_CANDIDATES = 200
SNIPPET_LENGTH = 160
# How much text a snippet shows before its first highlighted word.
SNIPPET_LEAD = 40
ELLIPSIS = "…"

_WORD = re.compile(r"[^\W_]+")  # letters and digits: "GRDP_GROWTH" is two words


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


def _marked(word: str) -> str:
    """A casefolded word with its start marked: "quảng" → "Quảng"."""
    return word[:1].upper() + word[1:]


def folded_words(*parts: str | None) -> str:
    """What `search_folded` and `search_title_folded` hold: "Đường (QL1A)" → "Duong Ql1a"."""
    return " ".join(_marked(word) for part in parts if part for word in _WORD.findall(fold_vi(part)))


def accented_words(*parts: str | None) -> str:
    """What `search_accented` and `search_title_accented` hold: "Đường (QL1A)" → "Đường Ql1a"."""
    return " ".join(
        _marked(word) for part in parts if part for word in _WORD.findall(casefold_accented(part))
    )


def fill_search_columns(row, *, title: Iterable[str | None], body: Iterable[str | None]) -> None:
    """Write the four search columns of a notice, service link or indicator (called by their listeners)."""
    title, body = tuple(title), tuple(body)
    row.search_folded = folded_words(*title, *body)
    row.search_accented = accented_words(*title, *body)
    row.search_title_folded = folded_words(*title)
    row.search_title_accented = accented_words(*title)


def snippet_source(summary: str | None, body_html: str | None) -> tuple[str, str | None]:
    """What a notice's snippets are cut from in one language: the plain text of its summary then its
    rendered body, whitespace collapsed, and that text's ASCII fold (`_fold_ascii`, None when the text does
    not fold one character for one)."""
    text = " ".join(part for part in (_collapsed(summary or ""), plain_text(body_html)) if part)
    return text, _fold_ascii(text)


def fill_snippet_columns(notice) -> None:
    """Write a notice's `snippet_text_*` and `snippet_folded_*` (called by its listener, after its body is
    rendered). The English text is what an English reader's snippet is cut from: the English summary and
    body, each falling back to the Vietnamese one; None when the notice has neither in English."""
    notice.snippet_text_vi, notice.snippet_folded_vi = snippet_source(notice.summary_vi, notice.body_html_vi)
    if notice.summary_en or notice.body_html_en:
        notice.snippet_text_en, notice.snippet_folded_en = snippet_source(
            notice.summary_en or notice.summary_vi, notice.body_html_en or notice.body_html_vi
        )
    else:
        notice.snippet_text_en = notice.snippet_folded_en = None


# ---------------------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    accented: str  # casefolded as typed: "quảng"
    folded: str  # "quang"


# SQLite only: the FTS5 index of `notice.search_folded` (see the migration that creates it). Its hidden
# column of the same name is what MATCH is applied to.
NOTICE_SEARCH_INDEX = "notice_search"
_notice_search_index = table(NOTICE_SEARCH_INDEX, column("rowid"), column(NOTICE_SEARCH_INDEX))


# SQLite only: the narrow index that tells which notices are live, by id (see the Notice model). SQLite's
# planner, without statistics, would read each notice's whole row instead (about 3 KB, bodies included).
NOTICE_LIVENESS_INDEX = "ix_notice_live_by_id"


class _IndexedBy(Alias):
    """A table in FROM as itself, read through the named index on SQLite (`notice INDEXED BY ix_…`)."""

    inherit_cache = True


@compiles(_IndexedBy)
def _render_indexed_by(element: _IndexedBy, compiler, asfrom: bool = False, **kw) -> str:
    if not asfrom:
        return compiler.visit_alias(element, asfrom=asfrom, **kw)
    table = compiler.preparer.format_table(element.element)
    return f"{table} INDEXED BY {NOTICE_LIVENESS_INDEX}" if compiler.dialect.name == "sqlite" else table


_NOTICE_BY_LIVENESS = _IndexedBy._construct(Notice.__table__, name=Notice.__tablename__)


def declared_by_models(name: str, type_: str, _parent_names: dict) -> bool:
    """Alembic's `include_name` filter: everything but the FTS5 index and its shadow tables, which a
    migration makes and no model declares, is compared with the models."""
    return not (
        type_ == "table" and (name == NOTICE_SEARCH_INDEX or name.startswith(f"{NOTICE_SEARCH_INDEX}_"))
    )


def _word_start_pattern(word: str, dialect: str) -> str:
    """The pattern that finds `word` (casefolded) at the start of a word of a stored form: a case-sensitive
    substring test, GLOB on SQLite (whose LIKE ignores ASCII case), LIKE elsewhere. Words are letters and
    digits only, so neither pattern needs escaping."""
    return f"*{_marked(word)}*" if dialect == "sqlite" else f"%{_marked(word)}%"


def _begins_a_word(column: InstrumentedAttribute, pattern: BindParameter) -> ColumnElement[bool]:
    if db.engine.dialect.name == "sqlite":
        return column.op("GLOB", is_comparison=True)(pattern)
    return column.like(pattern)


def _bound(key: str) -> BindParameter:
    return bindparam(key, type_=String())


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: its words, casefolded as typed and folded, longest first.

    Its SQL (`matches`, `score`) only depends on the number of words: the words themselves are bound
    parameters (`bind_values`), so that a statement built once serves every query of that length."""

    text: str
    terms: tuple[Term, ...]

    @classmethod
    def parse(cls, text: str) -> "SearchQuery":
        terms: dict[str, Term] = {}
        for word in _WORD.findall(casefold_accented(text)):
            folded = fold_vi(word)
            if folded and word not in terms:
                terms[word] = Term(accented=word, folded=folded)
        # Longest first: a longer word is usually rarer, and rows that lack it are not tested further.
        kept = sorted(tuple(terms.values())[:MAX_TERMS], key=lambda term: len(term.folded), reverse=True)
        return cls(text=text, terms=tuple(kept))

    @classmethod
    def of_length(cls, term_count: int) -> "SearchQuery":
        """A query of `term_count` words, to build statements from (the words are bound later)."""
        return cls(text="", terms=tuple(Term(accented="x", folded="x") for _ in range(term_count)))

    @property
    def prefix_query(self) -> str:
        """The FTS5 query for the notices' index: every word as a prefix, quoted so that none can be read
        as an operator ("and", "near")."""
        return " ".join(dict.fromkeys(f'"{term.folded}"*' for term in self.terms))

    def bind_values(self) -> dict[str, str | int]:
        dialect = db.engine.dialect.name
        values = {"prefix_query": self.prefix_query, "candidate_limit": MAX_CANDIDATES}
        for index, term in enumerate(self.terms):
            values[f"term{index}_accented"] = _word_start_pattern(term.accented, dialect)
            values[f"term{index}_folded"] = _word_start_pattern(term.folded, dialect)
        return values

    def matches(self, model) -> ColumnElement[bool]:
        """Every word of the query begins a word of the row's folded text."""
        if not self.terms:
            return false()
        return and_(
            *(_begins_a_word(model.search_folded, _bound(f"term{index}_folded")) for index in self.indexes)
        )

    def score(self, model) -> ColumnElement[int]:
        """The sum over the words of where each is found best (4, 3, 2 or 1; see the module docstring)."""
        if not self.terms:
            return literal(0)
        scores = [
            case(
                (_begins_a_word(model.search_title_accented, _bound(f"term{index}_accented")), 4),
                (_begins_a_word(model.search_title_folded, _bound(f"term{index}_folded")), 3),
                (_begins_a_word(model.search_accented, _bound(f"term{index}_accented")), 2),
                else_=1,
            )
            for index in self.indexes
        ]
        return reduce(operator.add, scores)

    @functools.cached_property
    def _marked_terms(self) -> tuple[tuple[str, str], ...]:
        return tuple((_marked(term.accented), _marked(term.folded)) for term in self.terms)

    def matches_row(self, row) -> bool:
        """`matches` for a row held in the process (`search_folded` read): the same substring tests."""
        folded = row.search_folded
        return bool(self.terms) and all(word in folded for _accented, word in self._marked_terms)

    def score_row(self, row) -> int:
        """`score` for a row held in the process (its four search columns read)."""
        total = 0
        for accented, folded in self._marked_terms:
            if accented in row.search_title_accented:
                total += 4
            elif folded in row.search_title_folded:
                total += 3
            elif accented in row.search_accented:
                total += 2
            else:
                total += 1
        return total

    @property
    def indexes(self) -> range:
        return range(len(self.terms))

    def normalized(self, raw_score: int) -> float:
        """A raw score as a share of the best possible one: 1.0 = every word in the title, as typed."""
        return round(raw_score / (4 * len(self.terms)), 3) if self.terms else 0.0

    def candidates(self, query: Select, model, order) -> Select:
        """The ids of the first MAX_CANDIDATES rows of `query` (in `order`) that match.

        Notices on SQLite are matched through their FTS5 index, joined so that only the notices it finds
        are read to check the rest of `query`."""
        ids = query.with_only_columns(model.id)
        if model is Notice and db.engine.dialect.name == "sqlite" and self.terms:
            index = _notice_search_index
            ids = ids.join(index, index.c.rowid == Notice.id).where(
                index.c[NOTICE_SEARCH_INDEX].op("MATCH")(_bound("prefix_query"))
            )
        else:
            ids = ids.where(self.matches(model))
        return ids.order_by(None).order_by(*order).limit(bindparam("candidate_limit", type_=Integer()))

    def rank(self, query: Select, model, order) -> Select:
        """`query` restricted to its matching candidates, best first, then in `order`.

        The candidates are looked for here, once: the select returned only has their ids to go by, so that
        counting its rows and reading a page of them (`paginate`) do not scan the table twice, and the
        score is only computed for them."""
        values = self.bind_values()
        ids = db.session.scalars(self.candidates(query, model, order), values).all()
        ranked = query.where(model.id.in_(ids)).order_by(self.score(model).desc(), *order)
        return ranked.params(values)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query's words begin words of `text` (folded alike), as merged [start, end) offsets
        into `text` itself."""
        return _merge([(start, end) for start, end, _term in self.occurrences(text)])

    @functools.cached_property
    def _patterns(self) -> tuple[re.Pattern | None, ...] | None:
        return _ascii_patterns(tuple(term.folded for term in self.terms))

    def occurrences(
        self, text: str, limit_per_term: int = 200, *, folded: str | None = None
    ) -> list[tuple[int, int, int]]:
        """(start, end, term index) of every match in `text`, offsets into the original text. `folded`:
        `_fold_ascii(text)` when it is already known."""
        patterns = self._patterns
        if patterns is not None and (ascii_folded := folded or _fold_ascii(text)) is not None:
            return [
                (*match.span(), index)
                for index, pattern in enumerate(patterns)
                if pattern is not None
                for match in islice(pattern.finditer(ascii_folded), limit_per_term)
            ]
        folded, origins = _fold_mapped(text)
        found = []
        for index, term in enumerate(self.terms):
            word, count = term.folded, 0
            start = folded.find(word)
            while start != -1 and count < limit_per_term:
                if start == 0 or not folded[start - 1].isalnum():
                    count += 1
                    end = start + len(word)
                    if origins is not None:
                        begin, end = origins[start], origins[end - 1] + 1
                    else:
                        begin = start
                    # A decomposed letter keeps its marks: "Đu\u031bo\u031b\u0300ng" highlights whole letters.
                    while end < len(text) and unicodedata.combining(text[end]):
                        end += 1
                    found.append((begin, end, index))
                start = folded.find(word, start + 1)
        return found


NOTICE_ORDER = (Notice.publish_at.desc(), Notice.id.desc())
SERVICE_ORDER = (ServiceLink.featured.desc(), ServiceLink.name_vi, ServiceLink.id)
INDICATOR_ORDER = (Indicator.position, Indicator.code)


def rank_notices(query: Select, text: str) -> Select:
    """Restrict a select of notices to those matching `text`, best first, then newest."""
    return SearchQuery.parse(text).rank(query, Notice, NOTICE_ORDER)


def rank_services(query: Select, text: str) -> Select:
    """Restrict a select of service links to those matching `text`, best first, then featured, by name."""
    return SearchQuery.parse(text).rank(query, ServiceLink, SERVICE_ORDER)


def rank_indicators(query: Select, text: str) -> Select:
    """Restrict a select of indicators to those matching `text`, best first, then in the usual order."""
    return SearchQuery.parse(text).rank(query, Indicator, INDICATOR_ORDER)


_MODELS = {Kind.NOTICE: Notice, Kind.SERVICE: ServiceLink, Kind.INDICATOR: Indicator}


def _visible(kind: Kind) -> tuple[Select, tuple]:
    """What one kind searches: the select of its visible rows (notices: live at the bound `now`), and its
    tie-break order."""
    if kind is Kind.NOTICE:
        return select(Notice).where(Notice.live(bindparam("now", type_=UTCDateTime()))), NOTICE_ORDER
    if kind is Kind.SERVICE:
        return select(ServiceLink).where(ServiceLink.published.is_(True)), SERVICE_ORDER
    return select(Indicator), INDICATOR_ORDER


# What a hit carries to be shown: its names or titles, and the text its snippet is cut from.
HIT_COLUMNS = {
    Kind.NOTICE: (
        Notice.id,
        Notice.title_vi,
        Notice.title_en,
        Notice.snippet_text_vi,
        Notice.snippet_text_en,
        Notice.snippet_folded_vi,
        Notice.snippet_folded_en,
    ),
    Kind.SERVICE: (
        ServiceLink.id,
        ServiceLink.name_vi,
        ServiceLink.name_en,
        ServiceLink.field,
        ServiceLink.agency_name,
        ServiceLink.tags,
    ),
    Kind.INDICATOR: (
        Indicator.id,
        Indicator.code,
        Indicator.name_vi,
        Indicator.name_en,
        Indicator.description_vi,
        Indicator.description_en,
    ),
}


@functools.cache
def _ranking(kind: Kind, term_count: int, dialect: str) -> Select:
    """The statement that ranks one kind's candidates for any query of `term_count` words: the best
    `wanted`, best first, with their `HIT_COLUMNS`, raw score and the count of all candidates. Built once
    per kind, length and database (the dialect decides how words are matched); the words, `now` and
    `wanted` are bound.

    The candidates are found once (MATERIALIZED) and counted from there: a count over a window would keep
    and sort every scored candidate a second time. They are ranked by id and score alone, and only the
    best `wanted` are read again for what they show: sorting the candidates with their texts would copy
    every candidate's texts through the sort."""
    model, (visible, order) = _MODELS[kind], _visible(kind)
    template = SearchQuery.of_length(term_count)
    candidates = template.candidates(visible, model, order)
    if kind is Kind.NOTICE and dialect == "sqlite":
        # Each notice the FTS5 index finds is checked for liveness in the narrow index, not in its row.
        candidates = ClauseAdapter(_NOTICE_BY_LIVENESS).traverse(candidates)
    candidates = candidates.cte("candidates").prefix_with("MATERIALIZED")
    score = template.score(model).label("score")
    best = (
        select(model.id, score)
        .where(model.id.in_(select(candidates.c.id)))
        .order_by(score.desc(), *order)
        .limit(bindparam("wanted", type_=Integer()))
        .cte("best")
        .prefix_with("MATERIALIZED")
    )
    count = select(func.count()).select_from(candidates).scalar_subquery().label("matches")
    return (
        select(*HIT_COLUMNS[kind], best.c.score, count)
        .join_from(model, best, model.id == best.c.id)
        .order_by(best.c.score.desc(), *order)
    )


@dataclass(frozen=True)
class Hit:
    kind: Kind
    row: Row  # its HIT_COLUMNS (and, ranked in the process, its search columns)
    score: float


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int  # ranked hits: at most MAX_CANDIDATES of each kind


# Equal scores list services, then indicators, then notices: the few reference items before the many notices.
_KIND_ORDER = {kind: position for position, kind in enumerate((Kind.SERVICE, Kind.INDICATOR, Kind.NOTICE))}

# Services and indicators are a few dozen rows that every search looks through and that rarely change: they
# are ranked in the process, from a snapshot of what their search reads taken in each kind's order, instead
# of by two more statements (about a tenth of a search's cost). The ranking is `_ranking`'s (a test compares
# the two on every row and many queries). A snapshot serves until the content generation moves, or for at
# most RESPONSE_CACHE_TTL (the staleness cached responses are allowed where instances share no Redis); a
# session holding content changes it has not committed ranks in SQL, so that it sees them.
IN_PROCESS_KINDS = (Kind.SERVICE, Kind.INDICATOR)
_SEARCH_COLUMNS = ("search_folded", "search_title_folded", "search_title_accented", "search_accented")


@dataclass(frozen=True)
class _Snapshot:
    taken_at: float
    rows: dict[Kind, tuple[Row, ...]]  # each kind's visible rows in its order: HIT_COLUMNS, search columns

    @classmethod
    def take(cls) -> "_Snapshot":
        rows = {}
        for kind in IN_PROCESS_KINDS:
            model, (visible, order) = _MODELS[kind], _visible(kind)
            columns = (*HIT_COLUMNS[kind], *(getattr(model, name) for name in _SEARCH_COLUMNS))
            rows[kind] = tuple(db.session.execute(visible.with_only_columns(*columns).order_by(*order)))
        return cls(taken_at=time.monotonic(), rows=rows)


_snapshots: dict[tuple[int, int], _Snapshot] = {}


def _snapshot() -> _Snapshot:
    key = (id(current_app._get_current_object()), content_generation())
    found = _snapshots.get(key)
    if found is None or time.monotonic() - found.taken_at > current_app.config["RESPONSE_CACHE_TTL"]:
        # Kept under this generation only if its reads begin after the generation was read: a transaction
        # begun earlier may still see content older than the generation (a change committed in between).
        keep = not db.session().in_transaction()
        found = _Snapshot.take()
        if keep:
            _snapshots.clear()
            _snapshots[key] = found
    return found


def forget_snapshots() -> None:
    """Drop the snapshot of services and indicators (the next search takes a new one)."""
    _snapshots.clear()


def _rank_in_process(
    rows: Sequence[Row], query: SearchQuery, wanted: int
) -> tuple[list[tuple[int, Row]], int]:
    """What `_ranking` gives for a kind from its rows in the snapshot: the best `wanted` (raw score, row)
    and the count of the candidates (the first MAX_CANDIDATES matching rows in the kind's order)."""
    candidates = [row for row in rows if query.matches_row(row)][:MAX_CANDIDATES]
    # A stable sort: equal scores keep the kind's order, as `_ranking`'s ORDER BY does.
    scored = sorted(((query.score_row(row), row) for row in candidates), key=lambda pair: -pair[0])
    return scored[:wanted], len(candidates)


def search(
    query: SearchQuery,
    *,
    kinds: Sequence[Kind] = tuple(Kind),
    offset: int = 0,
    limit: int = 20,
    now: datetime | None = None,
) -> SearchResults:
    """Search live notices, published service links and indicators; best first across kinds.

    Notices cost one query, which ranks their candidates and returns the best `offset + limit`, with what
    they show and the count of all candidates; it runs on the session's connection and gives plain rows:
    no ORM objects are made. Services and indicators are ranked alike in the process (`_rank_in_process`).
    """
    now = now or utcnow()
    wanted = max(min(offset + limit, MAX_CANDIDATES), 1)
    if not query.terms:
        return SearchResults(hits=[], total=0)
    values = {**query.bind_values(), "now": now, "wanted": wanted}
    in_process = not db.session.info.get(UNCOMMITTED_CONTENT, False)
    # Before any statement of this search, so that the snapshot, if taken, can be kept (see `_snapshot`).
    snapshot = _snapshot() if in_process and any(kind in IN_PROCESS_KINDS for kind in kinds) else None
    ranked: list[tuple[tuple, Hit]] = []
    total = 0
    for kind in kinds:
        if snapshot is not None and kind in IN_PROCESS_KINDS:
            best, matches = _rank_in_process(snapshot.rows[kind], query, wanted)
        else:
            connection = db.session.connection()
            rows = connection.execute(_ranking(kind, len(query.terms), connection.dialect.name), values).all()
            best, matches = [(row.score, row) for row in rows], rows[0].matches if rows else 0
        total += matches
        for position, (raw_score, row) in enumerate(best):
            score = query.normalized(raw_score)
            ranked.append(((-score, _KIND_ORDER[kind], position), Hit(kind, row, score)))
    ranked.sort(key=operator.itemgetter(0))
    return SearchResults(hits=[hit for _key, hit in ranked[offset : offset + limit]], total=total)


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


_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def _fold_latin(text: str) -> str:
    """`fold_vi` of a text of `_LATIN` characters, in C: for them it gives the same, one for one."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _COMBINING_MARKS.sub("", decomposed).casefold()


def _latin_class() -> re.Pattern:
    """Texts made only of the precomposed Latin letters (Vietnamese's among them), digits, punctuation and
    spaces that `_fold_latin` folds exactly as `fold_vi` does, each to one character."""
    kept = [
        chr(codepoint)
        for codepoint in (*range(0x0000, 0x0250), *range(0x1E00, 0x1F00))
        if len(folded := fold_vi(chr(codepoint))) == 1 and _fold_latin(chr(codepoint)) == folded
    ]
    return re.compile("[" + "".join(re.escape(char) for char in kept) + "]*")


_LATIN = _latin_class()


def _fold_ascii(text: str) -> str | None:
    """`fold_vi` of `text` when it folds one character for one into ASCII (Vietnamese, English: nearly
    every text), else None. Quicker than `_fold_latin`: the marks go with everything else that is not
    ASCII, and the length tells whether anything else went (no character decomposes into more than one
    ASCII character: a test checks every one)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return folded if len(folded) == len(text) else None


@functools.lru_cache(maxsize=1024)
def _ascii_patterns(words: tuple[str, ...]) -> tuple[re.Pattern | None, ...] | None:
    """What finds each folded word at the start of a word of an ASCII folded text: the word, then a look
    back at it and the character before it (not a letter or digit). None for a word that cannot be in
    such a text; None for all when a word holds a character that is not a letter or digit (two of its
    matches could overlap, which the slow path handles)."""
    if not all(word.isalnum() for word in words):
        return None
    return tuple(re.compile(rf"{word}(?<![a-z0-9]{word})") if word.isascii() else None for word in words)


def _fold_mapped(text: str) -> tuple[str, list[int] | None]:
    """`text` folded character by character, and for each folded character the offset of the original one
    it came from; None when the two line up (every character folds to exactly one: composed Vietnamese,
    folded quickly). A decomposed mark folds to nothing, "ß" to "ss": then the offsets are listed."""
    if _LATIN.fullmatch(text):
        return _fold_latin(text), None
    folds = list(map(_FOLD_TABLE.__getitem__, map(ord, text)))
    lengths = list(map(len, folds))
    if lengths.count(1) == len(lengths):
        return "".join(folds), None
    return "".join(folds), [offset for offset, length in enumerate(lengths) for _ in range(length)]


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


def _collapsed(text: str) -> str:
    """`text` with its whitespace collapsed to single spaces, and none at either end."""
    # Printable text has no whitespace but plain spaces: most texts are checked without being split.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def snippet(
    text: str | None, query: SearchQuery, length: int = SNIPPET_LENGTH, *, folded: str | None = None
) -> Snippet:
    """At most `length` characters of `text` around the place where most of the query's words are, cut at
    word boundaries with an ellipsis where cut, and where those words are in it. `folded`: the text's
    `_fold_ascii`, when stored with it (`snippet_source`)."""
    given = text or ""
    text = _collapsed(given)
    # A fold is of the text as given: it still fits when collapsing changed nothing, as for stored texts.
    found = query.occurrences(text, folded=folded if text is given else None)
    if len(text) <= length:
        return Snippet(text, _merge((start, end) for start, end, _ in found))
    budget = length - 2 * len(ELLIPSIS)
    return _cut(text, found, _anchor(found, budget), budget)


def _cut(text: str, found: list[tuple[int, int, int]], anchor: tuple[int, int], budget: int) -> Snippet:
    """`budget` characters of `text` (longer than that) from a little before the match `anchor`, cut at
    word boundaries, with ellipses where cut and the matches in it."""
    anchor_start, anchor_end = anchor
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
    starts = [start for start, _end, _index in ordered]
    everywhere = len({index for _start, _end, index in ordered})
    best, best_words = ordered[0], -1
    for candidate in ordered[:50]:
        window_start = max(0, candidate[0] - SNIPPET_LEAD)
        window_end = window_start + budget
        first = bisect.bisect_left(starts, window_start)
        last = bisect.bisect_right(starts, window_end)
        words = {index for _start, end, index in ordered[first:last] if end <= window_end}
        if len(words) > best_words:
            best, best_words = candidate, len(words)
            if best_words == everywhere:  # no later window can show more
                break
    return best[0], best[1]


def hit_snippet(hit: Hit, lang: str, query: SearchQuery) -> Snippet:
    """The snippet of a hit, cut from its text in `lang` where it has it (Vietnamese otherwise): a notice's
    summary and body, a service's field, agency and tags, an indicator's description."""
    row = hit.row
    if hit.kind is Kind.NOTICE:
        if lang != "vi" and row.snippet_text_en is not None:
            return snippet(row.snippet_text_en, query, folded=row.snippet_folded_en)
        return snippet(row.snippet_text_vi, query, folded=row.snippet_folded_vi)
    if hit.kind is Kind.SERVICE:
        parts = (row.field, row.agency_name, ", ".join(row.tags or ()))
        return snippet(" · ".join(part for part in parts if part), query)
    return snippet(_in_language(row, "description", lang), query)


def _in_language(row: Row, name: str, lang: str) -> str | None:
    return getattr(row, f"{name}_{lang}", None) or getattr(row, f"{name}_vi")
