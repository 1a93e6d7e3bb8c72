from marshmallow import Schema, fields, validate

from smart_qn.content.attachments import MediaType


class AttachmentSchema(Schema):
    id = fields.Integer(required=True)
    filename = fields.String(required=True, metadata={"example": "Lịch tiêm chủng tháng 12.pdf"})
    media_type = fields.String(
        required=True, validate=validate.OneOf([media_type.value for media_type in MediaType])
    )
    size = fields.Integer(required=True, metadata={"description": "In bytes."})
    url = fields.String(
        required=True,
        metadata={
            "description": "Path of the file on this server (`/api/v1/attachments/{id}/{filename}`).",
            "example": "/api/v1/attachments/12/L%E1%BB%8Bch%20ti%C3%AAm%20ch%E1%BB%A7ng.pdf",
        },
    )
