from marshmallow import Schema, fields, validate

from smart_qn.accounts.organizations import OrganizationKind
from smart_qn.api.common import UnitRefSchema
from smart_qn.api.units.schemas import AsOfArgs

KINDS = [kind.value for kind in OrganizationKind]


class OrganizationListArgs(AsOfArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))


class OrganizationSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    unit = fields.Nested(UnitRefSchema, required=True, allow_none=True)
    website = fields.String(required=True, allow_none=True)
    valid_from = fields.Date(required=True, allow_none=True)
    valid_to = fields.Date(required=True, allow_none=True)
    successor_codes = fields.List(fields.String(), required=True)
