from marshmallow import Schema, fields, validate

from smart_qn.api.common import LanguageArgs
from smart_qn.api.indicators.schemas import IndicatorSchema
from smart_qn.api.notices.schemas import NoticeDetailSchema
from smart_qn.api.services.schemas import ServiceSchema
from smart_qn.content.sync import ItemKind


class SyncArgs(LanguageArgs):
    since = fields.String(
        validate=validate.Length(max=1000),
        metadata={"description": "The `cursor` of the previous response; omit it for a first, full sync."},
    )
    limit = fields.Integer(
        load_default=100,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "Items per page."},
    )


class SyncItemSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf([kind.value for kind in ItemKind]))
    id = fields.String(required=True, metadata={"description": "Notice or service id, indicator code."})
    deleted = fields.Boolean(
        required=True, metadata={"description": "A tombstone: unpublished, expired or deleted; forget it."}
    )
    changed_at = fields.DateTime(required=True)
    notice = fields.Nested(NoticeDetailSchema, allow_none=True)
    service = fields.Nested(ServiceSchema, allow_none=True)
    indicator = fields.Nested(IndicatorSchema, allow_none=True)


class SyncPageSchema(Schema):
    items = fields.List(fields.Nested(SyncItemSchema), required=True)
    cursor = fields.String(
        required=True,
        metadata={"description": "Pass as `since` next time: at once while `has_more`, later otherwise."},
    )
    has_more = fields.Boolean(required=True)
    until = fields.DateTime(required=True, metadata={"description": "The moment this sync describes."})
