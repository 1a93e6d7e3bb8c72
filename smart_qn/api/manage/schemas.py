from flask import current_app
from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from smart_qn.accounts.api_tokens import Scope
from smart_qn.api.common import NamedRefSchema, PageArgs, UnitRefSchema, page_schema
from smart_qn.api.indicators.schemas import PeriodField
from smart_qn.reporting.values import NOTE_LENGTH, Outcome

STATUSES = ("draft", "published", "pending")


class TokenSchema(Schema):
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "The token's public part, as logged."})
    organization = fields.Nested(NamedRefSchema, required=True)
    scopes = fields.List(
        fields.String(validate=validate.OneOf([scope.value for scope in Scope])), required=True
    )
    expires_on = fields.Date(
        required=True, allow_none=True, metadata={"description": "Last day of validity; null: no end."}
    )


class ValueItemSchema(Schema):
    class Meta:
        unknown = RAISE

    indicator = fields.String(required=True, metadata={"example": "POOR_HOUSEHOLD_RATE"})
    unit = fields.String(required=True, metadata={"description": "GSO code", "example": "20818"})
    period = fields.String(required=True, metadata={"example": "2025"})
    value = fields.Raw(
        required=True,
        metadata={
            "description": "A number, or text with a decimal point or comma and no thousands separators.",
            "oneOf": [{"type": "number"}, {"type": "string"}],
            "example": 4.1,
        },
    )
    note = fields.String(allow_none=True, validate=validate.Length(max=NOTE_LENGTH))


class ValuesUpsertSchema(Schema):
    class Meta:
        unknown = RAISE

    items = fields.List(fields.Nested(ValueItemSchema), required=True)
    publish = fields.Boolean(
        load_default=False,
        metadata={"description": "Publish the figures too (needs the `indicator-values:publish` scope)."},
    )

    @validates("items")
    def _within_limit(self, items: list, **_kwargs) -> None:
        limit = current_app.config["MANAGE_API_MAX_ITEMS"]
        if not items:
            raise ValidationError(_("Give at least one figure."))
        if len(items) > limit:
            raise ValidationError(_("At most %(limit)s figures per call.", limit=limit))


class ItemOutcomeSchema(Schema):
    index = fields.Integer(required=True, metadata={"description": "Position of the item in the request."})
    indicator = fields.String(required=True)
    unit = fields.String(required=True)
    period = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf([outcome.value for outcome in Outcome]))
    previous_value = fields.Float(
        required=True, allow_none=True, metadata={"description": "The figure of the previous period."}
    )
    warning = fields.String(
        required=True, allow_none=True, metadata={"description": "An implausible jump, worth checking."}
    )


class CountsSchema(Schema):
    new = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


class UpsertResultSchema(Schema):
    published = fields.Boolean(required=True)
    counts = fields.Nested(CountsSchema, required=True)
    items = fields.List(fields.Nested(ItemOutcomeSchema), required=True)


class ValueListArgs(PageArgs):
    indicator = fields.String(metadata={"description": "Indicator code."})
    unit = fields.String(metadata={"description": "GSO code."})
    period = PeriodField(metadata={"description": "e.g. `2025`, `2025-Q3`, `2025-09`."})
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "`draft`: never published; `published`: published (perhaps with a pending "
            "correction); `pending`: published with a correction awaiting publication."
        },
    )


class OwnValueSchema(Schema):
    indicator = fields.String(required=True)
    unit = fields.Nested(UnitRefSchema, required=True)
    period = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["draft", "published"]))
    value = fields.Float(required=True, metadata={"description": "The draft, or the published figure."})
    note = fields.String(required=True, allow_none=True)
    pending_value = fields.Float(
        required=True, allow_none=True, metadata={"description": "A correction awaiting publication."}
    )
    pending_note = fields.String(required=True, allow_none=True)
    published_at = fields.DateTime(required=True, allow_none=True)
    updated_at = fields.DateTime(required=True)


OwnValuePageSchema = page_schema(OwnValueSchema, "OwnValuePage")
