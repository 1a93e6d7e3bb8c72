from marshmallow import Schema, fields

from smart_qn.api.common import LanguageArgs, UnitRefSchema
from smart_qn.api.indicators.schemas import FreshnessSchema


class HomeArgs(LanguageArgs):
    unit = fields.String(
        metadata={"description": "GSO code of the resident's commune or district; the province when omitted."}
    )


class HomeNoticeSchema(Schema):
    id = fields.Integer(required=True)
    language = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    urgency = fields.String(required=True)
    category = fields.String(required=True, metadata={"description": "Category slug."})
    published_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True, allow_none=True)


class PeriodValueSchema(Schema):
    period = fields.String(required=True)
    value = fields.Float(required=True)


class HomeIndicatorSchema(Schema):
    code = fields.String(required=True)
    language = fields.String(required=True)
    name = fields.String(required=True)
    measure_unit = fields.String(required=True)
    unit = fields.Nested(UnitRefSchema, required=True, metadata={"description": "Whose figure this is."})
    period = fields.String(required=True)
    value = fields.Float(required=True)
    target = fields.Float(
        required=True, allow_none=True, metadata={"description": "The target for this period, if any."}
    )
    previous = fields.Nested(PeriodValueSchema, required=True, allow_none=True)
    trend = fields.String(required=True, allow_none=True, metadata={"description": "up, down or flat."})
    better = fields.Boolean(
        required=True, allow_none=True, metadata={"description": "Whether the change is an improvement."}
    )
    freshness = fields.Nested(
        FreshnessSchema, required=True, metadata={"description": "Whether this unit's values are current."}
    )


class HomeServiceSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True)
    url = fields.String(required=True)


class HomeSchema(Schema):
    unit = fields.Nested(UnitRefSchema, required=True)
    alerts = fields.List(
        fields.Nested(HomeNoticeSchema),
        required=True,
        metadata={"description": "Live emergency and important notices."},
    )
    pinned = fields.List(fields.Nested(HomeNoticeSchema), required=True)
    indicators = fields.List(fields.Nested(HomeIndicatorSchema), required=True)
    services = fields.List(fields.Nested(HomeServiceSchema), required=True)
