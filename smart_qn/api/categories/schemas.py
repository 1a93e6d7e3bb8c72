from marshmallow import Schema, fields


class CategorySchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(required=True)
