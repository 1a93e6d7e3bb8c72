"""Notices in the admin: the list of the user's organizations' notices, the editing form, the lifecycle's
buttons, and the revision history.

The views only translate between pages and smart_qn.content.lifecycle, which checks access, makes the
revisions and writes the audit rows: AccessDenied answers 404 or 403, IllegalTransition 409, a stale save
409 with what changed, invalid content 422 with the messages beside the fields. Times are typed and shown
in the province's time zone and kept in UTC.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.content import lifecycle
from smart_qn.content.access import AccessDenied, Action, can, editable, require
from smart_qn.content.attachments import AttachmentRejected, attachments_in_order, store_upload
from smart_qn.content.categories import Category
from smart_qn.content.markdown import render_markdown
from smart_qn.content.notices import Notice, NoticeState, Urgency
from smart_qn.content.revisions import (
    DATETIME_FIELDS,
    content_of,
    diff,
    loaded_datetime,
    revision_number,
    revisions_of,
)
from smart_qn.content.search import rank_notices
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, units_on
from smart_qn.i18n import current_language
from smart_qn.localtime import province_zone

PAGE_SIZE = 25
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

URGENCY_LABELS = {
    Urgency.NORMAL: _l("Normal"),
    Urgency.IMPORTANT: _l("Important"),
    Urgency.EMERGENCY: _l("Emergency"),
}
FIELD_LABELS = {
    "title_vi": _l("Title (Vietnamese)"),
    "summary_vi": _l("Summary (Vietnamese)"),
    "body_vi": _l("Text (Vietnamese)"),
    "title_en": _l("Title (English)"),
    "summary_en": _l("Summary (English)"),
    "body_en": _l("Text (English)"),
    "category_id": _l("Category"),
    "urgency": _l("Urgency"),
    "pinned": _l("Pinned"),
    "publish_at": _l("Publish at"),
    "expire_at": _l("Expire at"),
    "audience_unit_ids": _l("Audience"),
    "attachment_ids": _l("Attachments"),
}
# Where a notice is in its life, as an editor thinks of it: the states, with "published" split by the clock.
STATUS_LABELS = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "scheduled": _l("Scheduled"),
    "live": _l("Published"),
    "expired": _l("Expired"),
    "unpublished": _l("Unpublished"),
    "archived": _l("Archived"),
}
# What the list can be filtered by: the statuses, and the dashboard's other counts.
FILTER_LABELS = STATUS_LABELS | {
    "pending": _l("Published, with an edit not yet published"),
    "recently_published": _l("Published in the last 7 days"),
    "expiring_soon": _l("Expiring within 7 days"),
}
SOON = timedelta(days=7)
REVISION_REASON_LABELS = {
    "initial": _l("Content before revisions were kept"),
    "create": _l("Created"),
    "save": _l("Saved"),
    "restore": _l("Restored from an earlier revision"),
}


def status_condition(status: str, now: datetime) -> ColumnElement[bool] | None:
    """The WHERE clause of one of FILTER_LABELS' filters at `now` (None for an unknown one)."""
    published = Notice.state == NoticeState.PUBLISHED
    live = Notice.live(now)
    conditions = {
        "draft": Notice.state == NoticeState.DRAFT,
        # Edits of published notices wait for an approver too.
        "in_review": or_(Notice.state == NoticeState.IN_REVIEW, Notice.pending_in_review),
        "scheduled": and_(published, Notice.publish_at > now),
        "live": live,
        "expired": and_(published, Notice.expire_at <= now),
        "unpublished": Notice.state == NoticeState.UNPUBLISHED,
        "archived": Notice.state == NoticeState.ARCHIVED,
        "pending": and_(published, Notice.pending_revision_number.is_not(None)),
        "recently_published": and_(live, Notice.publish_at > now - SOON),
        "expiring_soon": and_(live, Notice.expire_at <= now + SOON),
    }
    return conditions.get(status)


def status_of(notice: Notice, now: datetime) -> str:
    if notice.state is not NoticeState.PUBLISHED:
        return notice.state.value
    if notice.publish_at > now:
        return "scheduled"
    if notice.expire_at is not None and notice.expire_at <= now:
        return "expired"
    return "live"


def local_time(stored: str | None) -> datetime | None:
    """A revision's UTC time as the naive local time a datetime-local input shows."""
    moment = loaded_datetime(stored)
    return None if moment is None else moment.astimezone(province_zone()).replace(tzinfo=None)


def utc_time(typed: datetime | None) -> datetime | None:
    """A time typed in the province's time zone, in UTC."""
    return None if typed is None else typed.replace(tzinfo=province_zone()).astimezone(UTC)


class NoticeForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int, validators=[InputRequired()])
    title_vi = StringField(FIELD_LABELS["title_vi"], validators=[DataRequired(), Length(max=300)])
    summary_vi = TextAreaField(FIELD_LABELS["summary_vi"], validators=[DataRequired(), Length(max=1000)])
    body_vi = TextAreaField(FIELD_LABELS["body_vi"], validators=[DataRequired()])
    title_en = StringField(FIELD_LABELS["title_en"], validators=[Optional(), Length(max=300)])
    summary_en = TextAreaField(FIELD_LABELS["summary_en"], validators=[Optional(), Length(max=1000)])
    body_en = TextAreaField(FIELD_LABELS["body_en"], validators=[Optional()])
    urgency = RadioField(
        _l("Urgency"),
        choices=[SelectChoice(urgency.value, label) for urgency, label in URGENCY_LABELS.items()],
        default=Urgency.NORMAL.value,
    )
    pinned = BooleanField(_l("Pinned at the top of the lists"))
    publish_at = DateTimeLocalField(
        FIELD_LABELS["publish_at"], format=DATETIME_FORMAT, validators=[Optional()]
    )
    expire_at = DateTimeLocalField(FIELD_LABELS["expire_at"], format=DATETIME_FORMAT, validators=[Optional()])
    audience = SelectMultipleField(
        _l("Audience"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one unit: the province to reach everyone."))],
    )
    # Files already stored, in order; unticking one removes it from the notice.
    attachment_ids = SelectMultipleField(_l("Attachments"), coerce=int, validate_choice=False)
    new_attachments = MultipleFileField(
        _l("Add files"), render_kw={"accept": "application/pdf,image/png,image/jpeg,image/webp"}
    )
    # The version the editor loaded: a save from an older one is refused (smart_qn.content.lifecycle).
    version = HiddenField()

    def validate_expire_at(self, field):
        if field.data and self.publish_at.data and field.data <= self.publish_at.data:
            raise ValidationError(_("The expiry must come after the publication time."))

    def content_fields(self) -> dict[str, Any]:
        """The form's values as the lifecycle takes them."""
        return {
            "category_id": self.category_id.data,
            "title_vi": self.title_vi.data.strip(),
            "summary_vi": self.summary_vi.data.strip(),
            "body_vi": self.body_vi.data,
            "title_en": (self.title_en.data or "").strip() or None,
            "summary_en": (self.summary_en.data or "").strip() or None,
            "body_en": self.body_en.data if (self.body_en.data or "").strip() else None,
            "urgency": self.urgency.data,
            "pinned": self.pinned.data,
            "publish_at": utc_time(self.publish_at.data),
            "expire_at": utc_time(self.expire_at.data),
            "audience_unit_ids": self.audience.data,
            "attachment_ids": self.attachment_ids.data,
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the lifecycle's messages beside the fields they are about."""
        for name, message in errors.items():
            field = {"audience_unit_ids": self.audience, "attachment_ids": self.new_attachments}.get(name)
            field = field or getattr(self, name, None)
            (field.errors if field is not None else self.form_errors).append(message)


class NewNoticeForm(NoticeForm):
    organization_id = SelectField(_l("Organization"), coerce=int, validators=[InputRequired()])


def form_values(content: dict[str, Any]) -> dict[str, Any]:
    """A revision's content as the form's initial values."""
    values = {
        name: value for name, value in content.items() if name not in DATETIME_FIELDS | {"audience_unit_ids"}
    }
    values.setdefault("attachment_ids", [])
    values.update(
        publish_at=local_time(content.get("publish_at")),
        expire_at=local_time(content.get("expire_at")),
        audience=content.get("audience_unit_ids", []),
    )
    return values


@dataclass(frozen=True)
class DistrictChoices:
    district: AdminUnit
    communes: list[AdminUnit]


@dataclass(frozen=True)
class AudienceChoices:
    """The units a notice can be addressed to, as the picker shows them: the province, then each district
    with its communes. Units no longer in force that a notice still names are listed apart, so that
    editing it does not silently drop them."""

    province: AdminUnit
    districts: list[DistrictChoices]
    former: list[AdminUnit]

    def ids(self) -> list[int]:
        units = [self.province, *self.former]
        for entry in self.districts:
            units += [entry.district, *entry.communes]
        return [unit.id for unit in units]


def audience_choices(chosen_ids: list[int]) -> AudienceChoices:
    # The map the app shows residents (UNITS_AS_OF), so that a notice reaches the units they choose.
    current = units_on(current_app.config["UNITS_AS_OF"])
    province = next(unit for unit in current if unit.level == UnitLevel.PROVINCE)
    communes_by_district: dict[int, list[AdminUnit]] = {}
    for unit in current:
        if unit.level == UnitLevel.COMMUNE:
            communes_by_district.setdefault(unit.parent_id, []).append(unit)
    districts = [
        DistrictChoices(unit, communes_by_district.get(unit.id, []))
        for unit in current
        if unit.level == UnitLevel.DISTRICT
    ]
    current_ids = {unit.id for unit in current}
    former_ids = [unit_id for unit_id in chosen_ids if unit_id not in current_ids]
    former = (
        db.session.scalars(select(AdminUnit).where(AdminUnit.id.in_(former_ids))).all() if former_ids else []
    )
    return AudienceChoices(province, districts, list(former))


def category_choices() -> list[SelectChoice]:
    english = _is_english()
    return [
        SelectChoice(category.id, category.name_en if english else category.name_vi)
        for category in db.session.scalars(select(Category).order_by(Category.position, Category.id))
    ]


def organizations_for(user: User, action: Action) -> list[Organization]:
    query = select(Organization).order_by(Organization.name_vi)
    if not user.is_admin:
        query = query.where(Organization.id.in_(user.organization_ids))
    return [organization for organization in db.session.scalars(query) if can(user, action, organization.id)]


def organization_name(organization: Organization) -> str:
    return organization.name_en if _is_english() and organization.name_en else organization.name_vi


def _is_english() -> bool:
    return current_language() == "en"


def _prepare(form: NoticeForm, chosen_ids: list[int]) -> AudienceChoices:
    audience = audience_choices(chosen_ids)
    form.category_id.choices = category_choices()
    form.audience.choices = [SelectChoice(unit_id, str(unit_id)) for unit_id in audience.ids()]
    return audience


def notice_for(notice_id: int, action: Action) -> Notice:
    """The notice, if the signed-in user may do `action` to it; else 404 or 403 (smart_qn.content.access)."""
    notice = db.session.get(Notice, notice_id) or abort(404)
    allow(notice, action)
    return notice


def allow(notice: Notice, action: Action) -> None:
    try:
        require(signed_in_user(), action, notice)
    except AccessDenied as denied:
        abort(denied.status)


def listed_notices(user: User, args) -> tuple[Select, dict[str, Any]]:
    """The notices the list shows for the request's filters, and the filters as understood."""
    now = utcnow()
    query = select(Notice).where(editable(user, Notice))
    filters = {
        "q": (args.get("q") or "").strip(),
        "status": args.get("status") or "",
        "organization": args.get("organization", type=int),
        "category": args.get("category", type=int),
        "urgency": args.get("urgency") or "",
    }
    if (condition := status_condition(filters["status"], now)) is not None:
        query = query.where(condition)
    if filters["organization"] is not None:
        query = query.where(Notice.organization_id == filters["organization"])
    if filters["category"] is not None:
        query = query.where(Notice.category_id == filters["category"])
    if filters["urgency"] in set(Urgency):
        query = query.where(Notice.urgency == filters["urgency"])
    if filters["q"]:
        query = rank_notices(query, filters["q"])
    else:
        query = query.order_by(Notice.updated_at.desc(), Notice.id.desc())
    return query, filters


@bp.route("/notices")
def notices():
    user = signed_in_user()
    page = max(request.args.get("page", 1, type=int), 1)
    query, filters = listed_notices(user, request.args)
    rows = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    now = utcnow()
    return render_template(
        "admin/notices.html",
        notices=rows[:PAGE_SIZE],
        total=total,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        filters=filters,
        now=now,
        status_of=status_of,
        status_labels=STATUS_LABELS,
        filter_labels=FILTER_LABELS,
        urgency_labels=URGENCY_LABELS,
        organizations=organizations_for(user, Action.VIEW),
        categories=category_choices(),
        may_create=bool(organizations_for(user, Action.EDIT)),
    )


@bp.route("/notices/new", methods=["GET", "POST"])
def new_notice():
    user = signed_in_user()
    organizations = organizations_for(user, Action.EDIT)
    if not organizations:
        abort(403)
    form = NewNoticeForm(data={"organization_id": request.args.get("organization", type=int)})
    form.organization_id.choices = [
        SelectChoice(organization.id, organization_name(organization)) for organization in organizations
    ]
    audience = _prepare(form, form.audience.data or [])
    if form.is_submitted():
        valid = form.validate()
        organization = next((org for org in organizations if org.id == form.organization_id.data), None)
        if organization is not None:
            take_uploads(form, organization, user)
        if valid and not form.errors and _saving():
            try:
                notice = lifecycle.create_draft(organization, form.content_fields(), by=user)
            except lifecycle.InvalidContent as invalid:
                db.session.rollback()
                form.show_errors(invalid.errors)
            else:
                db.session.commit()
                flash(_("The draft has been saved."), "info")
                return redirect(url_for("admin.edit_notice", notice_id=notice.id))
    return render_template(
        "admin/notice_form.html", form=form, notice=None, audience=audience, **_form_page_helpers(form)
    ), 422 if form.errors else 200


@bp.route("/notices/<int:notice_id>", methods=["GET", "POST"])
def edit_notice(notice_id: int):
    user = signed_in_user()
    notice = notice_for(notice_id, Action.VIEW)
    form = NoticeForm(data=form_values(lifecycle.working_content(notice)) | {"version": notice.version})
    audience = _prepare(form, form.audience.data or [])
    status, conflict = 200, None
    if form.is_submitted():
        allow(notice, Action.EDIT)
        valid = form.validate()
        take_uploads(form, notice.organization, user)
        if valid and not form.errors and _saving():
            try:
                saved = lifecycle.save(notice, form.content_fields(), int(form.version.data or 0), by=user)
            except lifecycle.StaleEdit as stale:
                db.session.rollback()
                conflict, status = stale, 409
                # The next save is made knowing what changed: it is compared with the version shown now.
                form.version.data = stale.current_version
            except lifecycle.InvalidContent as invalid:
                db.session.rollback()
                form.show_errors(invalid.errors)
            except lifecycle.IllegalTransition as illegal:
                db.session.rollback()
                return _refused(notice, illegal)
            else:
                db.session.commit()
                flash(_saved_message(notice, saved), "info")
                return redirect(url_for("admin.edit_notice", notice_id=notice.id))
    if form.errors and status == 200:
        status = 422
    return render_template(
        "admin/notice_form.html",
        form=form,
        notice=notice,
        audience=audience,
        conflict=conflict,
        **_notice_page_context(notice),
        **_form_page_helpers(form),
    ), status


def take_uploads(form: NoticeForm, organization: Organization, user: User) -> None:
    """Store the files chosen in the form and add them to its attachments, each committed at once: a
    browser cannot keep a file input filled, so a mistake elsewhere in the form must not make the editor
    choose the files again. Files that end up attached to nothing are removed after a day
    (smart_qn.content.attachments.remove_orphans)."""
    for upload in form.new_attachments.data or []:
        if not upload or not upload.filename:
            continue
        try:
            attachment = store_upload(upload, organization, by=user)
        except AttachmentRejected as rejected:
            db.session.rollback()
            form.new_attachments.errors = [
                *form.new_attachments.errors,
                f"{upload.filename}: {rejected.message}",
            ]
        else:
            db.session.commit()
            form.attachment_ids.data = [*(form.attachment_ids.data or []), attachment.id]


def _saving() -> bool:
    """Whether the form was sent to be saved, rather than to see the preview."""
    return request.form.get("action") != "preview"


def _saved_message(notice: Notice, revision) -> str:
    if revision is None:
        return _("Nothing had changed: nothing was saved.")
    if notice.state is NoticeState.PUBLISHED:
        return _(
            "Your edit has been saved. Residents keep seeing the published version until the edit is "
            "published."
        )
    return _("The notice has been saved.")


def _form_page_helpers(form: NoticeForm) -> dict[str, Any]:
    return {
        "render_markdown": render_markdown,
        "field_labels": FIELD_LABELS,
        "describe": describe_value,
        "attachments": attachments_in_order(form.attachment_ids.data or []),
    }


def _notice_page_context(notice: Notice) -> dict[str, Any]:
    user = signed_in_user()
    pending = lifecycle.pending_revision(notice)
    return {
        "status": status_of(notice, utcnow()),
        "status_labels": STATUS_LABELS,
        "may": {action.value: can(user, action, notice) for action in Action},
        "pending": pending,
        # What an approver is asked to publish: the live content against the pending edit.
        "pending_changes": diff(content_of(notice), pending) if pending else None,
        "organization_name": organization_name(notice.organization),
    }


def _refused(notice: Notice, illegal: lifecycle.IllegalTransition):
    """The lifecycle refused a step the notice's state does not allow (someone may have moved it on)."""
    return render_template(
        "admin/notice_refused.html",
        notice=notice,
        reason=str(illegal),
        **_notice_page_context(notice),
    ), 409


TRANSITIONS = {
    "submit": (lifecycle.submit, Action.SUBMIT, _l("The notice has been sent for review.")),
    "publish": (lifecycle.publish, Action.PUBLISH, _l("The notice has been published.")),
    "unpublish": (lifecycle.unpublish, Action.PUBLISH, _l("The notice has been unpublished.")),
    "archive": (lifecycle.archive, Action.PUBLISH, _l("The notice has been archived.")),
    "delete": (lifecycle.delete_draft, Action.DELETE, _l("The draft has been deleted.")),
}


@bp.route(
    "/notices/<int:notice_id>/<any(submit, publish, unpublish, archive, delete):step>", methods=["POST"]
)
def notice_step(notice_id: int, step: str):
    operation, action, done = TRANSITIONS[step]
    notice = notice_for(notice_id, action)
    try:
        operation(notice, by=signed_in_user())
    except lifecycle.IllegalTransition as illegal:
        db.session.rollback()
        return _refused(notice, illegal)
    db.session.commit()
    if step == "delete":
        flash(str(done), "info")
        return redirect(url_for("admin.notices"))
    if step == "publish" and notice.publish_at > utcnow():
        flash(_("The notice is scheduled: residents see it from its publication time."), "info")
    else:
        flash(str(done), "info")
    return redirect(url_for("admin.edit_notice", notice_id=notice.id))


@bp.route("/notices/<int:notice_id>/history")
def notice_history(notice_id: int):
    notice = notice_for(notice_id, Action.VIEW)
    revisions = revisions_of(notice)
    return render_template(
        "admin/notice_history.html",
        notice=notice,
        revisions=list(reversed(revisions)),
        reason_labels=REVISION_REASON_LABELS,
        **_notice_page_context(notice),
    )


@bp.route("/notices/<int:notice_id>/revisions/<int:number>")
def notice_revision(notice_id: int, number: int):
    notice = notice_for(notice_id, Action.VIEW)
    revision = revision_number(notice, number) or abort(404)
    previous = revision_number(notice, number - 1) if number > 1 else None
    changes = diff(previous, revision) if previous else diff({}, revision)
    return render_template(
        "admin/notice_revision.html",
        notice=notice,
        revision=revision,
        previous=previous,
        changes=changes,
        reason_labels=REVISION_REASON_LABELS,
        field_labels=FIELD_LABELS,
        describe=describe_value,
        **_notice_page_context(notice),
    )


@bp.route("/notices/<int:notice_id>/revisions/<int:number>/restore", methods=["POST"])
def restore_notice_revision(notice_id: int, number: int):
    notice = notice_for(notice_id, Action.EDIT)
    revision = revision_number(notice, number) or abort(404)
    try:
        lifecycle.restore(notice, revision, by=signed_in_user())
    except lifecycle.IllegalTransition as illegal:
        db.session.rollback()
        return _refused(notice, illegal)
    except lifecycle.InvalidContent as invalid:
        # An old revision may name a category or unit that no longer exists.
        db.session.rollback()
        flash(
            _(
                "This revision cannot be restored as it is: %(problems)s",
                problems="; ".join(
                    f"{FIELD_LABELS.get(name, name)}: {message}" for name, message in invalid.errors.items()
                ),
            ),
            "error",
        )
        return redirect(url_for("admin.notice_revision", notice_id=notice.id, number=number))
    db.session.commit()
    flash(_("Revision %(number)s has been restored as the newest draft.", number=number), "info")
    return redirect(url_for("admin.edit_notice", notice_id=notice.id))


@bp.route("/notices/preview", methods=["POST"])
def preview_markdown():
    """The live preview of a Markdown field: the same rendering (and sanitizing) the published notice gets."""
    return (
        render_markdown(request.form.get("markdown", "")),
        200,
        {"Content-Type": "text/html; charset=utf-8"},
    )


def describe_value(field: str, value: Any) -> str:
    """A revision's stored value as a reader wants to see it: names rather than ids, local times."""
    if value is None or value == "":
        return "—"
    if field in DATETIME_FIELDS:
        return format_datetime(loaded_datetime(value), "short")
    if field == "category_id":
        category = db.session.get(Category, value)
        return (category.name_en if _is_english() else category.name_vi) if category else f"#{value}"
    if field == "audience_unit_ids":
        units = db.session.scalars(select(AdminUnit).where(AdminUnit.id.in_(value)).order_by(AdminUnit.code))
        return ", ".join(unit.name_en if _is_english() else unit.name for unit in units)
    if field == "attachment_ids":
        return ", ".join(value)  # the revisions' diff names the files
    if field == "urgency":
        return str(URGENCY_LABELS[Urgency(value)])
    if field == "pinned":
        return _("Yes") if value else _("No")
    return str(value)
