"""Push notifications in the admin, for communicators and administrators: the list, the composing form with
what a push will do before it is sent (its reach, its size, whether a second person must approve it), the
state machine's buttons, what went out, and the registered devices.

The views translate between pages and smart_qn.push.notifications, which checks the rules and writes the
audit rows: IllegalTransition answers 409, PushRefused its own status with its reason, InvalidPush 422 with
the messages beside the fields. Each operation is committed at once: the delivery jobs start after the
commit. Times are typed and shown in the province's time zone and kept in UTC.
"""

from collections import Counter
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from smart_qn.accounts import audit
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import admin_only, communicator_only, signed_in_user
from smart_qn.admin.notices import (
    DATETIME_FORMAT,
    URGENCY_LABELS,
    audience_choices,
    province_zone,
    utc_time,
)
from smart_qn.content.categories import Category
from smart_qn.content.notices import Notice, Urgency
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel
from smart_qn.i18n import current_language
from smart_qn.push import delivery, notifications
from smart_qn.push.devices import Device
from smart_qn.push.notifications import (
    BODY_MAX,
    CANCELLABLE,
    MAX_TTL,
    TITLE_MAX,
    IllegalTransition,
    InvalidPush,
    PushNotification,
    PushRefused,
    PushState,
)
from smart_qn.push.outbox import OutboxKind, PushOutboxMessage
from smart_qn.push.topics import MAX_CATEGORIES, unit_tree
from smart_qn.push.transport import transport_for

PAGE_SIZE = 25
# How many live notices the form offers to link to, newest first.
LINKABLE_NOTICES = 50
# The outbox rows shown on a push's page (a province-wide push is a few dozen conditions).
OUTBOX_ROWS_SHOWN = 200
MAX_TTL_HOURS = int(MAX_TTL.total_seconds() // 3600)

STATE_LABELS = {
    PushState.DRAFT: _l("Draft"),
    PushState.PENDING_APPROVAL: _l("Awaiting approval"),
    PushState.APPROVED: _l("Approved"),
    PushState.SCHEDULED: _l("Scheduled"),
    PushState.SENDING: _l("Sending"),
    PushState.SENT: _l("Sent"),
    PushState.PARTLY_FAILED: _l("Partly failed"),
    PushState.FAILED: _l("Failed"),
    PushState.CANCELLED: _l("Cancelled"),
}
# States in which the page shows what went out.
DELIVERED_STATES = {PushState.SENDING, PushState.SENT, PushState.PARTLY_FAILED, PushState.FAILED}
# The domain's field names, as the form names them.
FORM_FIELDS = {
    "audience_unit_ids": "audience",
    "audience_categories": "categories",
    "ttl_seconds": "ttl_hours",
}


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "", "None") else int(value)


class PushForm(FlaskForm):
    title_vi = StringField(_l("Title (Vietnamese)"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body_vi = TextAreaField(_l("Text (Vietnamese)"), validators=[DataRequired(), Length(max=BODY_MAX)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=TITLE_MAX)])
    body_en = TextAreaField(_l("Text (English)"), validators=[Optional(), Length(max=BODY_MAX)])
    notice_id = SelectField(_l("Opens the notice"), coerce=_optional_int, validate_choice=False)
    audience = SelectMultipleField(
        _l("Audience"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one unit: the province to reach everyone."))],
    )
    categories = SelectMultipleField(_l("Only residents who follow"), coerce=str)
    urgency = RadioField(
        _l("Urgency"),
        choices=[SelectChoice(urgency.value, label) for urgency, label in URGENCY_LABELS.items()],
        default=Urgency.NORMAL.value,
    )
    ttl_hours = IntegerField(
        _l("Keep trying to deliver for (hours)"),
        default=24,
        validators=[
            InputRequired(),
            NumberRange(
                min=1,
                max=MAX_TTL_HOURS,
                message=_l("Between 1 and %(max)d hours (28 days).", max=MAX_TTL_HOURS),
            ),
        ],
    )
    timing = RadioField(
        _l("When"),
        choices=[SelectChoice("now", _l("As soon as it is approved")), SelectChoice("at", _l("At a time"))],
        default="now",
    )
    send_at = DateTimeLocalField(_l("Send at"), format=DATETIME_FORMAT, validators=[Optional()])
    # The version the composer loaded: a save from an older one is refused.
    version = HiddenField()

    def validate_categories(self, field):
        if len(field.data or []) > MAX_CATEGORIES:
            raise ValidationError(_("Choose at most %(count)d categories.", count=MAX_CATEGORIES))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A time is needed only when the push is to wait for it (the field's own check skips an empty one).
        if self.timing.data == "at" and not self.send_at.errors:
            if self.send_at.data is None:
                self.send_at.errors.append(
                    _("Give the time to send it, or choose to send it as soon as it is approved.")
                )
            elif utc_time(self.send_at.data) <= utcnow():
                self.send_at.errors.append(_("This time has passed."))
        return valid and not self.send_at.errors

    def content_fields(self) -> dict[str, Any]:
        """The form's values as smart_qn.push.notifications takes them."""
        return {
            "title_vi": self.title_vi.data.strip(),
            "body_vi": self.body_vi.data.strip(),
            "title_en": (self.title_en.data or "").strip() or None,
            "body_en": (self.body_en.data or "").strip() or None,
            "notice_id": self.notice_id.data,
            "audience_unit_ids": self.audience.data,
            "audience_categories": self.categories.data or [],
            "urgency": self.urgency.data,
            "ttl_seconds": self.ttl_hours.data * 3600,
            "send_at": utc_time(self.send_at.data) if self.timing.data == "at" else None,
        }

    def show_errors(self, errors: dict[str, Any]) -> None:
        """Put the domain's messages beside the fields they are about."""
        for name, message in errors.items():
            field = getattr(self, FORM_FIELDS.get(name, name), None)
            (field.errors if field is not None else self.form_errors).append(str(message))


def form_values(push: PushNotification) -> dict[str, Any]:
    send_at = push.send_at.astimezone(province_zone()).replace(tzinfo=None) if push.send_at else None
    return {
        "title_vi": push.title_vi,
        "body_vi": push.body_vi,
        "title_en": push.title_en,
        "body_en": push.body_en,
        "notice_id": push.notice_id,
        "audience": list(push.audience_unit_ids),
        "categories": list(push.audience_categories),
        "urgency": push.urgency.value,
        "ttl_hours": max(push.ttl_seconds // 3600, 1),
        "timing": "at" if send_at else "now",
        "send_at": send_at,
        "version": push.version,
    }


def _is_english() -> bool:
    return current_language() == "en"


def _prepare(form: PushForm, linked_notice_id: int | None):
    audience = audience_choices(form.audience.data or [])
    form.audience.choices = [SelectChoice(unit_id, str(unit_id)) for unit_id in audience.ids()]
    english = _is_english()
    form.categories.choices = [
        SelectChoice(category.slug, category.name_en if english else category.name_vi)
        for category in db.session.scalars(select(Category).order_by(Category.position, Category.id))
    ]
    notices = list(
        db.session.scalars(
            select(Notice)
            .where(Notice.live(utcnow()))
            .order_by(Notice.publish_at.desc())
            .limit(LINKABLE_NOTICES)
        )
    )
    if linked_notice_id is not None and all(notice.id != linked_notice_id for notice in notices):
        linked = db.session.get(Notice, linked_notice_id)
        notices += [linked] if linked is not None else []
    form.notice_id.choices = [SelectChoice("", _("No notice"))] + [
        SelectChoice(notice.id, f"{notice.title_vi[:80]} (#{notice.id})") for notice in notices
    ]
    return audience


def push_for(push_id: int) -> PushNotification:
    return db.session.get(PushNotification, push_id) or abort(404)


def outbox_in_use() -> bool:
    return transport_for(current_app).name == "outbox"


def before_sending(push: PushNotification) -> dict[str, Any]:
    """What the composer sees before sending: reach, size problems per language, approval and why."""
    reach = delivery.estimated_reach(push)
    return {
        "reach": reach,
        "problems": notifications.payload_problems_of(push),
        "approval_reasons": notifications.approval_reasons(push, reach),
    }


def audience_names(push: PushNotification) -> str:
    if not push.audience_unit_ids:
        return _("Everyone")
    english = _is_english()
    units = db.session.scalars(
        select(AdminUnit).where(AdminUnit.id.in_(push.audience_unit_ids)).order_by(AdminUnit.code)
    )
    return ", ".join(unit.name_en if english and unit.name_en else unit.name for unit in units)


def masked(token: str) -> str:
    return f"{token[:4]}…{token[-4:]}"


def _page_context(push: PushNotification) -> dict[str, Any]:
    user = signed_in_user()
    results = delivery.results(push)
    outbox = []
    if outbox_in_use() and results["rows"]:
        outbox = db.session.scalars(
            select(PushOutboxMessage)
            .where(PushOutboxMessage.kind == OutboxKind.SEND, PushOutboxMessage.notification_id == push.id)
            .order_by(PushOutboxMessage.id)
            .limit(OUTBOX_ROWS_SHOWN)
        ).all()
    return {
        "push": push,
        "state_labels": STATE_LABELS,
        "urgency_labels": URGENCY_LABELS,
        "audience_names": audience_names(push),
        "before": before_sending(push)
        if push.state in (PushState.DRAFT, PushState.PENDING_APPROVAL)
        else None,
        "results": results,
        "show_results": push.state in DELIVERED_STATES or bool(results["rows"]),
        "outbox": outbox,
        "outbox_in_use": outbox_in_use(),
        "masked": masked,
        "may_decide": push.state is PushState.PENDING_APPROVAL and push.submitted_by_id != user.id,
        "cancellable": push.state in CANCELLABLE,
        "has_test_devices": bool(delivery.test_devices_of(user.id)),
    }


def _refused(push: PushNotification, reason: str, status: int):
    return render_template("admin/push_refused.html", reason=reason, **_page_context(push)), status


@bp.route("/push")
@communicator_only
def push_list():
    page = max(request.args.get("page", 1, type=int), 1)
    state = request.args.get("state") or ""
    query = select(PushNotification)
    if state in set(PushState):
        query = query.where(PushNotification.state == state)
    rows = db.session.scalars(
        query.order_by(PushNotification.created_at.desc(), PushNotification.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return render_template(
        "admin/push_list.html",
        pushes=rows[:PAGE_SIZE],
        total=total,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        state=state,
        state_labels=STATE_LABELS,
        urgency_labels=URGENCY_LABELS,
        outbox_in_use=outbox_in_use(),
    )


@bp.route("/push/new", methods=["GET", "POST"])
@communicator_only
def new_push():
    user = signed_in_user()
    form = PushForm()
    audience = _prepare(form, form.notice_id.data)
    if form.validate_on_submit():
        try:
            push = notifications.create_draft(form.content_fields(), by=user)
        except InvalidPush as invalid:
            db.session.rollback()
            form.show_errors(invalid.errors)
        else:
            db.session.commit()
            flash(_("The draft has been saved."), "info")
            return redirect(url_for("admin.push_page", push_id=push.id))
    return render_template(
        "admin/push_form.html",
        form=form,
        audience=audience,
        push=None,
        outbox_in_use=outbox_in_use(),
        max_categories=MAX_CATEGORIES,
    ), 422 if form.errors else 200


@bp.route("/push/<int:push_id>", methods=["GET", "POST"])
@communicator_only
def push_page(push_id: int):
    """A draft's form, or what a push submitted is, does and did."""
    user = signed_in_user()
    push = push_for(push_id)
    if push.state is not PushState.DRAFT:
        if request.method == "POST":
            return _refused(push, _("Only a draft can be edited."), 409)
        return render_template("admin/push_page.html", **_page_context(push))
    form = PushForm(data=form_values(push))
    audience = _prepare(form, form.notice_id.data)
    status, conflict = 200, False
    if form.validate_on_submit():
        try:
            notifications.save(push, form.content_fields(), int(form.version.data or 0), by=user)
        except InvalidPush as invalid:
            db.session.rollback()
            form.show_errors(invalid.errors)
        except IllegalTransition as illegal:
            db.session.rollback()
            if push.state is not PushState.DRAFT:
                return _refused(push, str(illegal), 409)
            # Someone saved it meanwhile: the composer's text stays in the form, to be saved over theirs.
            conflict, status = True, 409
            form.version.data = push.version
        else:
            db.session.commit()
            flash(_("The draft has been saved."), "info")
            return redirect(url_for("admin.push_page", push_id=push.id))
    if form.errors and status == 200:
        status = 422
    return render_template(
        "admin/push_form.html",
        form=form,
        audience=audience,
        conflict=conflict,
        max_categories=MAX_CATEGORIES,
        **_page_context(push),
    ), status


def _test_send(push: PushNotification, user: User):
    try:
        count = delivery.send_test(push, user)
    except PushRefused as refused:
        db.session.rollback()
        return _refused(push, refused.message, refused.status)
    db.session.commit()
    flash(
        ngettext(
            "The push has been sent to your %(num)d test device.",
            "The push has been sent to your %(num)d test devices.",
            count,
        ),
        "info",
    )
    return None


STEPS = {
    "submit": _l("The push has been submitted."),
    "approve": _l("The push has been approved."),
    "reject": _l("The push has been sent back to its composer as a draft."),
    "cancel": _l("The push has been cancelled."),
}


@bp.route("/push/<int:push_id>/<any(test, submit, approve, reject, cancel):step>", methods=["POST"])
@communicator_only
def push_step(push_id: int, step: str):
    user = signed_in_user()
    push = push_for(push_id)
    try:
        if step == "test":
            if (refused := _test_send(push, user)) is not None:
                return refused
            return redirect(url_for("admin.push_page", push_id=push.id))
        if step == "submit":
            notifications.submit(push, by=user, estimated_reach=delivery.estimated_reach(push))
        else:
            getattr(notifications, step)(push, by=user)
    except IllegalTransition as illegal:
        db.session.rollback()
        return _refused(push, str(illegal), 409)
    except PushRefused as refused:
        db.session.rollback()
        return _refused(push, str(refused.message), refused.status)
    db.session.commit()
    if step == "submit" and push.state is PushState.PENDING_APPROVAL:
        flash(_("The push is waiting for a second person's approval."), "info")
    elif step in ("submit", "approve") and push.state is PushState.SCHEDULED:
        flash(_("The push is scheduled: it goes out at its time."), "info")
    else:
        flash(str(STEPS[step]), "info")
    return redirect(url_for("admin.push_page", push_id=push.id))


@bp.route("/push/announce", methods=["POST"])
@communicator_only
def announce_notice():
    """A push draft announcing a published notice (the notice page's button)."""
    notice = db.session.get(Notice, request.form.get("notice", type=int) or 0) or abort(404)
    try:
        push = notifications.draft_for_notice(notice, by=signed_in_user())
    except IllegalTransition as illegal:
        db.session.rollback()
        flash(str(illegal), "error")
        return redirect(url_for("admin.edit_notice", notice_id=notice.id)), 303
    except InvalidPush as invalid:
        # The notice is addressed to a unit or carries text the push cannot take as it is.
        db.session.rollback()
        flash(_("This notice cannot be announced as it is: %(problems)s", problems=str(invalid)), "error")
        return redirect(url_for("admin.edit_notice", notice_id=notice.id)), 303
    db.session.commit()
    flash(_("A push draft announcing the notice has been made: check it, then send it."), "info")
    return redirect(url_for("admin.push_page", push_id=push.id))


def adoption() -> dict[str, Any]:
    """Registered devices by platform, language and district (a commune's devices count for its district)."""
    platforms = dict(
        db.session.execute(select(Device.platform, func.count()).group_by(Device.platform)).all()
    )
    languages = dict(
        db.session.execute(select(Device.language, func.count()).group_by(Device.language)).all()
    )
    by_unit = db.session.execute(
        select(Device.admin_unit_id, func.count()).group_by(Device.admin_unit_id)
    ).all()
    tree = unit_tree()
    levels = dict(db.session.execute(select(AdminUnit.id, AdminUnit.level)).all())
    by_district: Counter[int | None] = Counter()
    for unit_id, count in by_unit:
        district = unit_id
        while district is not None and levels.get(district) != UnitLevel.DISTRICT:
            district = tree[district].parent_id
        by_district[district] += count
    english = _is_english()
    names = {
        unit.id: (unit.name_en if english and unit.name_en else unit.name)
        for unit in db.session.scalars(
            select(AdminUnit).where(AdminUnit.id.in_([d for d in by_district if d]))
        )
    }
    districts = sorted(
        ((names.get(unit_id, _("Province level")), count) for unit_id, count in by_district.items()),
        key=lambda entry: (-entry[1], entry[0]),
    )
    return {
        "total": sum(platforms.values()),
        "platforms": sorted(platforms.items(), key=lambda entry: -entry[1]),
        "languages": sorted(languages.items(), key=lambda entry: -entry[1]),
        "districts": districts,
    }


def testers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.active, User.is_communicator | User.is_admin)
            .order_by(User.display_name, User.id)
        )
    )


class TesterForm(FlaskForm):
    device_id = IntegerField(_l("Device number"), validators=[InputRequired()])
    tester_id = SelectField(_l("Test device of"), coerce=_optional_int, validate_choice=False)


@bp.route("/push/devices", methods=["GET"])
@communicator_only
def push_devices():
    return _devices_page(TesterForm(), 200)


def _devices_page(form: TesterForm, status: int):
    people = testers()
    form.tester_id.choices = [SelectChoice("", _("Nobody (an ordinary device)"))] + [
        SelectChoice(person.id, f"{person.display_name} <{person.email}>") for person in people
    ]
    test_devices = db.session.scalars(
        select(Device).where(Device.tester_id.is_not(None)).order_by(Device.tester_id, Device.id)
    ).all()
    return render_template(
        "admin/push_devices.html",
        form=form,
        figures=adoption(),
        test_devices=test_devices,
        testers={person.id: person for person in people},
        may_set_testers=signed_in_user().is_admin,
    ), status


@bp.route("/push/devices/tester", methods=["POST"])
@admin_only
def set_device_tester():
    """Make a device a user's test device (or an ordinary one again): test sends go to it."""
    form = TesterForm()
    form.tester_id.choices = []
    if not form.validate():
        return _devices_page(form, 422)
    device = db.session.get(Device, form.device_id.data)
    tester = db.session.get(User, form.tester_id.data) if form.tester_id.data is not None else None
    if device is None:
        form.device_id.errors.append(_("No registered device has this number."))
    if form.tester_id.data is not None and (tester is None or tester not in testers()):
        form.tester_id.errors.append(_("Only an active communicator or administrator can have test devices."))
    if form.errors:
        return _devices_page(form, 422)
    before = {"tester_id": device.tester_id}
    device.tester_id = tester.id if tester else None
    audit.record(
        "device.tester_set",
        actor=signed_in_user(),
        object_type="device",
        object_id=device.id,
        before=before,
        after={"tester_id": device.tester_id},
    )
    db.session.commit()
    if tester:
        flash(
            _("Device %(id)s is now a test device of %(name)s.", id=device.id, name=tester.display_name),
            "info",
        )
    else:
        flash(_("Device %(id)s is no longer a test device.", id=device.id), "info")
    return redirect(url_for("admin.push_devices"))
