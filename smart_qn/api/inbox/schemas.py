from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from smart_qn.api.common import PageArgs, page_schema
from smart_qn.api.devices.schemas import MAX_CATEGORIES, unit_field
from smart_qn.api.notices.schemas import URGENCIES


class CategorySlugs(fields.String):
    """Comma-separated category slugs, read as a list without repeats; empty pieces are ignored, so that
    `categories=` is no category at all."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        text = super()._deserialize(value, attr, data, **kwargs)
        slugs = list(dict.fromkeys(piece.strip() for piece in text.split(",") if piece.strip()))
        if len(slugs) > MAX_CATEGORIES:
            raise ValidationError(_("At most %(count)d categories.", count=MAX_CATEGORIES))
        return slugs


class InboxArgs(PageArgs):
    unit = unit_field(required=True)
    categories = CategorySlugs(
        metadata={
            "description": "Slugs of the categories the resident follows, comma-separated, as the device "
            "registered them (see /api/v1/categories). A push for chosen categories reached only the "
            "devices following one of them: without this parameter, only pushes for every category are "
            "listed.",
            "example": "thien-tai,y-te",
        }
    )


class InboxItemSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The push notification's id."})
    language = fields.String(required=True, metadata={"description": "Language of the title and body."})
    title = fields.String(required=True)
    body = fields.String(required=True)
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    sent_at = fields.DateTime(required=True, metadata={"description": "When it began going out to phones."})
    notice_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "The published notice the push links to (open it with /api/v1/notices/{id}); "
            "null when it links to none, or the notice is no longer published."
        },
    )


InboxPageSchema = page_schema(InboxItemSchema, "InboxPage")
