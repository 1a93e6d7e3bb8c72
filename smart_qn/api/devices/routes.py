from flask import current_app, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from sqlalchemy.exc import IntegrityError

from smart_qn.api.common import MAX_ID
from smart_qn.api.devices.schemas import (
    DeviceRegistrationSchema,
    DeviceSchema,
    DeviceUpdateSchema,
    RegisteredDeviceSchema,
)
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, unit_on
from smart_qn.push import devices
from smart_qn.push.devices import Device, Language, Platform, UnknownCategories, WrongSecret
from smart_qn.push.topics import topics_of

blp = Blueprint(
    "devices",
    __name__,
    description="Register the app for push notifications, and change or remove the registration.",
)
SECURITY = [{"deviceSecret": []}]
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "The secret returned when the device was registered.",
}


def present(device: Device, secret: str | None = None) -> dict:
    presented = {"id": device.id, "topics": sorted(topics_of(device))}
    return presented if secret is None else {**presented, "secret": secret}


@blp.route("")
class Devices(MethodView):
    @blp.arguments(DeviceRegistrationSchema)
    @blp.response(201, RegisteredDeviceSchema, description="A new device.")
    @blp.alt_response(200, schema=RegisteredDeviceSchema, description="This token was registered already.")
    def post(self, fields: dict):
        """Register the app installation for push notifications (idempotent by token)"""
        values = {
            "token": fields["token"],
            "platform": Platform(fields["platform"]),
            "language": Language(fields["language"]),
            "admin_unit": _unit(fields["unit"]),
            "categories": fields["categories"],
            "app_version": fields["app_version"],
        }
        try:
            registration = _registered(values)
        except IntegrityError:
            # The same token registered by a concurrent request: it is there now, update it.
            db.session.rollback()
            values["admin_unit"] = _unit(fields["unit"])
            registration = _registered(values)
        return present(registration.device, registration.secret), 201 if registration.created else 200


@blp.route(f"/<int(min=1, max={MAX_ID}):device_id>")
class DeviceDetail(MethodView):
    @blp.arguments(DeviceUpdateSchema)
    @blp.response(200, DeviceSchema)
    @blp.alt_response(401, response="DEFAULT_ERROR", description="No `Authorization: Bearer` secret.")
    @blp.alt_response(404, response="NOT_FOUND", description="No device with this id and secret.")
    @blp.doc(security=SECURITY)
    def patch(self, fields: dict, device_id: int):
        """Change the token, language, unit, categories or app version of a registered device"""
        device = _authenticated(device_id)
        changes = {name: value for name, value in fields.items() if name != "unit"}
        if "language" in changes:
            changes["language"] = Language(changes["language"])
        if "unit" in fields:
            changes["admin_unit"] = _unit(fields["unit"])
        try:
            devices.update(device, **changes)
        except UnknownCategories as error:
            _unknown_categories(error)
        db.session.commit()
        return present(device)

    @blp.response(204)
    @blp.alt_response(401, response="DEFAULT_ERROR", description="No `Authorization: Bearer` secret.")
    @blp.alt_response(404, response="NOT_FOUND", description="No device with this id and secret.")
    @blp.doc(security=SECURITY)
    def delete(self, device_id: int):
        """Unregister a device: it receives no more push notifications"""
        devices.unregister(_authenticated(device_id))
        db.session.commit()


def _registered(values: dict) -> devices.Registration:
    try:
        registration = devices.register(**values)
    except UnknownCategories as error:
        _unknown_categories(error)
    db.session.commit()
    return registration


def _unit(code: str) -> AdminUnit:
    """The unit of the map the API serves by default: the topics of a device are those of one map."""
    as_of = current_app.config["UNITS_AS_OF"]
    unit = unit_on(code, as_of)
    if unit is None:
        message = _(
            "No administrative unit with code %(code)s on %(date)s.", code=code, date=as_of.isoformat()
        )
        abort(422, errors={"json": {"unit": [message]}})
    return unit


def _authenticated(device_id: int) -> Device:
    """The device whose secret the request presents. A wrong secret is answered like an unknown id, so
    that which ids exist cannot be found out."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(
            401,
            message=_("Send the device secret as “Authorization: Bearer <secret>”."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        device = devices.authenticate(device_id, secret.strip())
    except WrongSecret:
        device = None
    if device is None:
        abort(404, message=_("No device with this id and secret."))
    return device


def _unknown_categories(error: UnknownCategories):
    db.session.rollback()
    abort(
        422,
        errors={"json": {"categories": [_("Unknown categories: %(slugs)s.", slugs=", ".join(error.slugs))]}},
    )
