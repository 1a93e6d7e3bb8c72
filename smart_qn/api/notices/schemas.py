from marshmallow import Schema, fields, validate

from smart_qn.api.attachments.schemas import AttachmentSchema
from smart_qn.api.common import CategoryRefSchema, NamedRefSchema, PageArgs, UnitRefSchema, page_schema
from smart_qn.api.search.schemas import LIST_SEARCH_DESCRIPTION, SearchText
from smart_qn.content.notices import Urgency

URGENCIES = [urgency.value for urgency in Urgency]


class NoticeListArgs(PageArgs):
    category = fields.String(metadata={"description": "Category slug, e.g. `thien-tai`."})
    unit = fields.String(
        metadata={
            "description": "GSO code of the resident's unit: a commune also gets its district's and the "
            "province's notices.",
            "example": "20335",
        }
    )
    urgency = fields.String(validate=validate.OneOf(URGENCIES))
    organization = fields.String(metadata={"description": "Code of the issuing organization, e.g. `SYT`."})
    q = SearchText(metadata={"description": LIST_SEARCH_DESCRIPTION})


class NoticeSchema(Schema):
    id = fields.Integer(required=True)
    language = fields.String(required=True, metadata={"description": "Language of the text fields."})
    available_languages = fields.List(fields.String(), required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    pinned = fields.Boolean(required=True)
    category = fields.Nested(CategoryRefSchema, required=True)
    organization = fields.Nested(NamedRefSchema, required=True)
    audience = fields.List(fields.Nested(UnitRefSchema), required=True)
    published_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True, allow_none=True)
    updated_at = fields.DateTime(required=True)


class NoticeDetailSchema(NoticeSchema):
    body_html = fields.String(
        required=True, metadata={"description": "Sanitized HTML rendered from Markdown."}
    )
    attachments = fields.List(
        fields.Nested(AttachmentSchema), required=True, metadata={"description": "Attached files, in order."}
    )


NoticePageSchema = page_schema(NoticeSchema, "NoticePage")
