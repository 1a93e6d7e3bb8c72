from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from smart_qn.api.common import (
    CategoryRefSchema,
    LanguageArgs,
    NamedRefSchema,
    PageArgs,
    UnitRefSchema,
    page_schema,
)
from smart_qn.api.search.schemas import LIST_SEARCH_DESCRIPTION, SearchText
from smart_qn.content.indicators import Direction
from smart_qn.content.periods import Frequency, Period, PeriodError
from smart_qn.reporting.freshness import FreshnessStatus


class PeriodField(fields.String):
    """A reporting period: `2024`, `2024-Q3` or `2024-09`."""

    def __init__(self, **kwargs):
        metadata = {"pattern": r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> Period:
        try:
            return Period.parse(super()._deserialize(value, attr, data, **kwargs))
        except PeriodError as error:
            raise ValidationError(str(error)) from error


class IndicatorListArgs(PageArgs):
    category = fields.String(metadata={"description": "Category slug, e.g. `kinh-te`."})
    organization = fields.String(metadata={"description": "Code of the owning organization."})
    q = SearchText(metadata={"description": LIST_SEARCH_DESCRIPTION})


class SeriesArgs(LanguageArgs):
    unit = fields.String(metadata={"description": "GSO code; the province when omitted."})
    from_ = PeriodField(data_key="from", metadata={"description": "First period (inclusive), e.g. `2023`."})
    to = PeriodField(metadata={"description": "Last period (inclusive), e.g. `2024-06`."})

    @validates_schema
    def _ordered(self, data, **_kwargs):
        if "from_" in data and "to" in data and data["from_"].start >= data["to"].end:
            raise ValidationError(_("Must not be before `from`."), field_name="to")


class LeagueArgs(LanguageArgs):
    level = fields.Integer(
        load_default=2,
        validate=validate.Range(min=1, max=3),
        metadata={"description": "Unit level to compare: 2 districts (default), 3 communes."},
    )


class ValueSchema(Schema):
    period = fields.String(required=True)
    value = fields.Float(required=True)
    note = fields.String(required=True, allow_none=True)


class UnitValueSchema(ValueSchema):
    unit = fields.Nested(UnitRefSchema, required=True)


class FreshnessSchema(Schema):
    latest_period = fields.String(
        required=True, allow_none=True, metadata={"description": "Period of the latest published value."}
    )
    updated_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "When that value was last published."}
    )
    status = fields.String(
        required=True,
        validate=validate.OneOf([status.value for status in FreshnessStatus]),
        metadata={
            "description": "`up_to_date`: the expected period (or a later one) has a published value; `due`: "
            "so has the expected one, but a newer period has ended whose value is not in yet, within its "
            "grace days; `overdue`: the expected period has no published value."
        },
    )
    expected_period = fields.String(
        required=True,
        metadata={
            "description": "The newest period that should have a value today: it ended, and the grace days "
            "for reporting it (15 for a month, 30 for a quarter, 90 for a year unless the indicator sets "
            "others) have passed."
        },
    )


class LatestValueSchema(UnitValueSchema):
    target = fields.Float(
        required=True, allow_none=True, metadata={"description": "The target for this period, if any."}
    )
    previous = fields.Nested(
        ValueSchema, required=True, allow_none=True, metadata={"description": "The previous period's value."}
    )
    trend = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(["up", "down", "flat"]),
        metadata={"description": "Against the previous period: up, down or flat; null without one."},
    )
    better = fields.Boolean(
        required=True,
        allow_none=True,
        metadata={"description": "Whether the change is an improvement; null when neutral or flat."},
    )


class IndicatorSchema(Schema):
    code = fields.String(required=True)
    language = fields.String(required=True)
    name = fields.String(required=True)
    measure_unit = fields.String(
        required=True, metadata={"description": "Unit of measure, e.g. `%`, `tỷ đồng`."}
    )
    frequency = fields.String(required=True, validate=validate.OneOf([f.value for f in Frequency]))
    levels = fields.List(fields.Integer(), required=True, metadata={"description": "Unit levels reported."})
    direction = fields.String(required=True, validate=validate.OneOf([d.value for d in Direction]))
    target = fields.Float(
        required=True, allow_none=True, metadata={"description": "The standing target, if any."}
    )
    key = fields.Boolean(required=True)
    category = fields.Nested(CategoryRefSchema, required=True)
    organization = fields.Nested(NamedRefSchema, required=True)
    latest = fields.Nested(
        LatestValueSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Latest published province value, with its target and trend."},
    )
    freshness = fields.Nested(
        FreshnessSchema, required=True, metadata={"description": "Whether the province's values are current."}
    )


class IndicatorDetailSchema(IndicatorSchema):
    description = fields.String(required=True, allow_none=True)


class SeriesSchema(Schema):
    indicator = fields.String(required=True)
    unit = fields.Nested(UnitRefSchema, required=True)
    measure_unit = fields.String(required=True)
    values = fields.List(fields.Nested(ValueSchema), required=True)
    freshness = fields.Nested(
        FreshnessSchema, required=True, metadata={"description": "Whether this unit's values are current."}
    )


class LeagueRowSchema(UnitValueSchema):
    freshness = fields.Nested(FreshnessSchema, required=True)


class LeagueSchema(Schema):
    indicator = fields.String(required=True)
    level = fields.Integer(required=True)
    measure_unit = fields.String(required=True)
    direction = fields.String(required=True)
    rows = fields.List(
        fields.Nested(LeagueRowSchema),
        required=True,
        metadata={
            "description": "Every unit of the level with its latest value and its freshness, best first."
        },
    )
    missing = fields.List(
        fields.Nested(UnitRefSchema), required=True, metadata={"description": "Units with no value."}
    )


IndicatorPageSchema = page_schema(IndicatorSchema, "IndicatorPage")
