import math

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from smart_qn.api.common import json_response, localized
from smart_qn.api.search.schemas import SearchArgs, SearchPageSchema
from smart_qn.content.search import Hit, Kind, SearchQuery, hit_snippet, search
from smart_qn.i18n import current_language

blp = Blueprint(
    "search", __name__, description="Search notices, online services and indicators, accents optional."
)


def present_hit(hit: Hit, query: SearchQuery, lang: str) -> dict:
    name = "title" if hit.kind is Kind.NOTICE else "name"
    used, text = localized(hit.row, lang, name)
    title = text[name]
    cut = hit_snippet(hit, used, query)
    indicator = hit.kind is Kind.INDICATOR
    row = hit.row._mapping  # by name: much quicker than a row's attributes
    # Spans are (start, end) tuples: JSON arrays as they are.
    return {
        "kind": hit.kind.value,
        "id": None if indicator else row["id"],
        "code": row["code"] if indicator else None,
        "title": title,
        "language": used,
        "score": hit.score,
        "snippet": cut.text,
        "highlights": cut.highlights,
        "title_highlights": query.spans(title),
    }


@blp.route("")
class Search(MethodView):
    @blp.arguments(SearchArgs(), location="query", unknown=RAISE)
    @blp.response(200, SearchPageSchema)
    def get(self, args):
        """Search notices, online services and indicators, accents optional

        Live notices, published services and all indicators, best match first: every search word must
        begin a word of the item; a word scores most in the title with its accents as typed, then in the
        title without them, then elsewhere with and without them. Equal scores list services, then
        indicators, then the newest notices. Each hit has a short plain-text snippet with the places of
        the search words in it.
        """
        page = args["page"]
        page_size = args.get("page_size") or current_app.config["PAGE_SIZE_DEFAULT"]
        query = SearchQuery.parse(args["q"])
        kinds = [Kind(args["kind"])] if "kind" in args else list(Kind)
        results = search(query, kinds=kinds, offset=(page - 1) * page_size, limit=page_size)
        lang = current_language()
        return json_response(
            {
                "items": [present_hit(hit, query, lang) for hit in results.hits],
                "pagination": {
                    "page": page,
                    "page_size": page_size,
                    "total": results.total,
                    "total_pages": math.ceil(results.total / page_size),
                },
            }
        )
