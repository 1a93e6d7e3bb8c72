from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, fields, validate

from smart_qn.api.common import CODE_PATTERN
from smart_qn.push.devices import TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH, Language, Platform

# FCM registration tokens (and web push ones) are URL-safe Base64 with `:` separators.
TOKEN_PATTERN = r"^[A-Za-z0-9_:\-.]+$"
MAX_CATEGORIES = 20


def token_field(**options) -> fields.String:
    return fields.String(
        validate=[
            validate.Length(min=TOKEN_MIN_LENGTH, max=TOKEN_MAX_LENGTH),
            validate.Regexp(TOKEN_PATTERN, error=_l("Not an FCM registration token.")),
        ],
        metadata={"description": "The FCM registration token of the installation. Never shown back."},
        **options,
    )


def language_field(**options) -> fields.String:
    return fields.String(validate=validate.OneOf([language.value for language in Language]), **options)


def unit_field(**options) -> fields.String:
    return fields.String(
        validate=validate.Regexp(f"^{CODE_PATTERN}$", error=_l("Not a GSO code.")),
        metadata={
            "description": "GSO code of the resident's commune or district (or the province), on the "
            "administrative map the API serves by default (see /api/v1/units).",
            "example": "20818",
        },
        **options,
    )


def categories_field(**options) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=60)),
        validate=validate.Length(max=MAX_CATEGORIES),
        metadata={"description": "Slugs of the categories the resident follows (see /api/v1/categories)."},
        **options,
    )


def app_version_field(**options) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=40), metadata={"example": "1.4.2"}, **options)


class DeviceRegistrationSchema(Schema):
    """Fields a newer app sends that this server does not know are ignored, not refused: apps of mixed
    versions are in use at any time."""

    class Meta:
        unknown = EXCLUDE

    token = token_field(required=True)
    platform = fields.String(
        required=True, validate=validate.OneOf([platform.value for platform in Platform])
    )
    language = language_field(required=True)
    unit = unit_field(required=True)
    categories = categories_field(load_default=list)
    app_version = app_version_field(required=True)


class DeviceUpdateSchema(Schema):
    """Only the fields given change; unknown fields are ignored as on registration."""

    class Meta:
        unknown = EXCLUDE

    token = token_field()
    language = language_field()
    unit = unit_field()
    categories = categories_field()
    app_version = app_version_field()


class DeviceSchema(Schema):
    id = fields.Integer(required=True)
    topics = fields.List(
        fields.String(), required=True, metadata={"description": "The FCM topics the device is put in."}
    )


class RegisteredDeviceSchema(DeviceSchema):
    secret = fields.String(
        required=True,
        metadata={
            "description": "Shown only now: send it as `Authorization: Bearer <secret>` to change or "
            "unregister the device. Registering the same token again issues a new one."
        },
    )
