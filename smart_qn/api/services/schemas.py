from marshmallow import Schema, fields, validate

from smart_qn.api.common import CategoryRefSchema, NamedRefSchema, PageArgs, page_schema
from smart_qn.api.search.schemas import LIST_SEARCH_DESCRIPTION, SearchText
from smart_qn.content.services import ServiceLevel, ServiceTier

LEVELS = [level.value for level in ServiceLevel]


class ServiceListArgs(PageArgs):
    organization = fields.String(metadata={"description": "Code of the organization that provides the link."})
    field = fields.String(metadata={"description": "Field (lĩnh vực), exactly as listed, e.g. `Hộ tịch`."})
    level = fields.String(
        validate=validate.OneOf(LEVELS),
        metadata={"description": "`full` (toàn trình, fully online) or `partial` (một phần)."},
    )
    q = SearchText(metadata={"description": LIST_SEARCH_DESCRIPTION})


class ServiceSchema(Schema):
    id = fields.Integer(required=True)
    language = fields.String(required=True)
    name = fields.String(required=True)
    procedure_code = fields.String(required=True, allow_none=True)
    field = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    level_label = fields.String(required=True)
    tier = fields.String(required=True, validate=validate.OneOf([tier.value for tier in ServiceTier]))
    organization = fields.Nested(NamedRefSchema, required=True)
    agency_name = fields.String(required=True, allow_none=True)
    category = fields.Nested(CategoryRefSchema, required=True, allow_none=True)
    url = fields.String(required=True)
    fee = fields.String(required=True, allow_none=True)
    processing_time = fields.String(required=True, allow_none=True)
    tags = fields.List(fields.String(), required=True)
    featured = fields.Boolean(required=True)


ServicePageSchema = page_schema(ServiceSchema, "ServicePage")
