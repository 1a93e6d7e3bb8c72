from marshmallow import Schema, fields, validate

from smart_qn.api.common import PageArgs, page_schema
from smart_qn.content.search import MAX_CANDIDATES, MAX_QUERY_LENGTH, MAX_TERMS, Kind

KINDS = [kind.value for kind in Kind]


class SearchText(fields.String):
    """Search words: surrounding spaces are removed, then 1 to MAX_QUERY_LENGTH characters must remain."""

    def __init__(self, **kwargs):
        metadata = {
            "description": "Search words, accents optional: `quang nam`, `Quảng Nam` and `QUANG NAM` find "
            "the same items, `duong` finds `Đường`. Every word must begin a word of the item (only the first "
            f"{MAX_TERMS} words count); matches in the title and with the accents as typed rank first.",
            "example": "quang nam",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(
            validate=validate.Length(min=1, max=MAX_QUERY_LENGTH, error="Must be 1 to {max} characters."),
            metadata=metadata,
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


LIST_SEARCH_DESCRIPTION = (
    "Only the items matching these words, best match first (instead of the usual order). "
    f"Search words, accents optional: `duong` finds `Đường`. At most {MAX_CANDIDATES} matches are listed."
)


class SearchArgs(PageArgs):
    q = SearchText(required=True)
    kind = fields.String(validate=validate.OneOf(KINDS), metadata={"description": "Only this kind of item."})


def spans(description: str) -> fields.List:
    span = fields.List(
        fields.Integer(),
        validate=validate.Length(equal=2),
        metadata={"description": "[start, end): character offsets, the end excluded."},
    )
    return fields.List(span, required=True, metadata={"description": description})


class SearchHitSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "Id of the notice or service (`/notices/{id}`, `/services/{id}`); null for an "
            "indicator."
        },
    )
    code = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Code of the indicator (`/indicators/{code}`); null otherwise."},
    )
    title = fields.String(required=True, metadata={"description": "Title or name, in `language`."})
    language = fields.String(required=True, metadata={"description": "Language of `title` and `snippet`."})
    score = fields.Float(
        required=True,
        metadata={
            "description": "0 to 1, higher is better: 1 when every word is in the title with its accents "
            "as typed."
        },
    )
    snippet = fields.String(
        required=True,
        metadata={"description": "Plain text around the matches, at most 160 characters, `…` where cut."},
    )
    highlights = spans("Where the search words are in `snippet`.")
    title_highlights = spans("Where the search words are in `title`.")


SearchPageSchema = page_schema(SearchHitSchema, "SearchPage")
