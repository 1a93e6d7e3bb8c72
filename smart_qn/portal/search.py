"""Search across notices, online services and indicators, accents optional, with highlighted snippets."""

import math

from flask import abort, current_app, render_template, request, url_for
from markupsafe import Markup, escape

from smart_qn.api.common import localized
from smart_qn.content.search import Hit, Kind, SearchQuery, hit_snippet, search
from smart_qn.i18n import current_language
from smart_qn.portal import bp
from smart_qn.portal.notices import page_number
from smart_qn.portal.services import MAX_QUERY_LENGTH


def highlighted(text: str, spans: list[tuple[int, int]]) -> Markup:
    """`text` with the [start, end) `spans` marked, everything else escaped."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def hit_link(hit: Hit) -> str:
    row = hit.row._mapping
    if hit.kind is Kind.NOTICE:
        return url_for("portal.notice", notice_id=row["id"])
    if hit.kind is Kind.SERVICE:
        return url_for("portal.service", service_id=row["id"])
    return url_for("portal.indicator", code=row["code"])


def present_hit(hit: Hit, query: SearchQuery, lang: str) -> dict:
    name = "title" if hit.kind is Kind.NOTICE else "name"
    used, text = localized(hit.row, lang, name)
    cut = hit_snippet(hit, used, query)
    return {
        "kind": hit.kind,
        "language": used,
        "title": highlighted(text[name], query.spans(text[name])),
        "snippet": highlighted(cut.text, cut.highlights),
        "url": hit_link(hit),
    }


@bp.get("/search", endpoint="search")
def search_page():
    words = request.args.get("q", "").strip()[:MAX_QUERY_LENGTH]
    kind = request.args.get("kind")
    if kind is not None and kind not in set(Kind):
        abort(404)
    page = page_number()
    page_size = current_app.config["PAGE_SIZE_DEFAULT"]
    query = SearchQuery.parse(words)
    results = search(
        query, kinds=[Kind(kind)] if kind else list(Kind), offset=(page - 1) * page_size, limit=page_size
    )
    lang = current_language()
    return render_template(
        "portal/search.html",
        words=words,
        kind=kind,
        kinds=list(Kind),
        hits=[present_hit(hit, query, lang) for hit in results.hits],
        total=results.total,
        page=page,
        total_pages=math.ceil(results.total / page_size),
    )
