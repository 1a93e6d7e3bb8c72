from marshmallow import Schema, fields, validate

from smart_qn.api.common import LanguageArgs, UnitRefSchema


class AsOfArgs(LanguageArgs):
    as_of = fields.Date(
        metadata={
            "description": "Which administrative map: the units in force on this date. "
            "Defaults to the configured date (2024-12-31: 18 districts, 241 communes)."
        }
    )


class UnitListArgs(AsOfArgs):
    level = fields.Integer(validate=validate.Range(min=1, max=3), metadata={"description": "1, 2 or 3."})
    parent = fields.String(metadata={"description": "Only the children of this unit (GSO code)."})
    format = fields.String(
        load_default="flat",
        validate=validate.OneOf(["flat", "tree"]),
        metadata={"description": "`flat` list, or `tree` nested from the top units."},
    )


class UnitSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "Vietnamese name."})
    name_en = fields.String(required=True)
    type = fields.String(
        required=True, metadata={"description": "Tỉnh, Huyện, Thị xã, Thành phố, Xã, Phường…"}
    )
    level = fields.Integer(required=True)
    parent_code = fields.String(required=True, allow_none=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True, allow_none=True)


class UnitTreeSchema(UnitSchema):
    children = fields.List(fields.Nested(lambda: UnitTreeSchema()), required=True)


class UnitListSchema(Schema):
    as_of = fields.Date(required=True)
    format = fields.String(required=True)
    items = fields.List(fields.Nested(UnitTreeSchema(partial=("children",))), required=True)


class DatedUnitRefSchema(UnitRefSchema):
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True, allow_none=True)


class UnitDetailSchema(UnitSchema):
    parent = fields.Nested(UnitRefSchema, required=True, allow_none=True)
    children = fields.List(fields.Nested(UnitRefSchema), required=True)
    predecessors = fields.List(fields.Nested(DatedUnitRefSchema), required=True)
    successors = fields.List(fields.Nested(DatedUnitRefSchema), required=True)
    change_note = fields.String(required=True, allow_none=True)
