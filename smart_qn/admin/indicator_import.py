"""Indicator figures from and to spreadsheets in the admin: the import (upload, preview, confirm), the
templates to fill in, and exports, per indicator or per organization.

The import is two requests. The upload is read (smart_qn.reporting.spreadsheets) and planned by the entry
engine (smart_qn.reporting.values), and the preview shows what would change; the file is kept on the server,
named by its SHA-256 in a folder of the uploading user, so that the confirmation names nothing but that
digest. Confirming reads and plans the file again, since figures may have changed meanwhile: if the plan is
not the one previewed, the new preview is shown instead; otherwise it is applied whole and committed.

Members reach the indicators their organizations own or report, administrators all of them; which cells a
user may write is the engine's to say, row by row.
"""

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.http import dump_options_header
from wtforms import BooleanField, HiddenField

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.content.indicators import Indicator, IndicatorReporter
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit
from smart_qn.localtime import province_today
from smart_qn.reporting import spreadsheets, uploads
from smart_qn.reporting.assignments import EntryRights, reported_units
from smart_qn.reporting.values import Actor, Outcome, Plan, ValueSource, apply, plan

# The preview lists this many new and changed figures, and this many problems, with the totals.
PREVIEW_ROWS = 500
PROBLEM_ROWS = 200
# An upload not confirmed within a day is removed at the next upload of the same user.
_MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class UploadForm(FlaskForm):
    spreadsheet = FileField(_l("Spreadsheet (XLSX or CSV)"), validators=[FileRequired(_l("Choose a file."))])
    publish = BooleanField(_l("Publish the figures on import (residents see them at once)"))


class ConfirmForm(FlaskForm):
    digest = HiddenField()
    filename = HiddenField()
    publish = HiddenField()
    # What the preview showed, so that a different plan at confirmation is shown rather than applied.
    fingerprint = HiddenField()


def may_publish_some(rights: EntryRights) -> bool:
    return rights.publishing_organization_ids is None or bool(rights.publishing_organization_ids)


@bp.route("/indicators/import", methods=["GET", "POST"])
def indicator_import():
    user = signed_in_user()
    rights = EntryRights.of_user(user)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, rights), 422 if form.errors else 200
    upload = form.spreadsheet.data
    data = upload.stream.read(spreadsheets.MAX_BYTES + 1)
    filename = Path(upload.filename or "").name
    publish = bool(form.publish.data)
    try:
        sheet = spreadsheets.read(data, filename)
    except spreadsheets.SpreadsheetError as error:
        form.spreadsheet.errors.append(str(error))
        return _upload_page(form, rights), 422
    planned = _plan(sheet, rights, publish)
    if not planned.ok:
        return _upload_page(form, rights, sheet=sheet, planned=planned), 422
    digest = uploads.keep(user.id, data)
    return _preview_page(sheet, planned, digest=digest, filename=filename)


@bp.route("/indicators/import/confirm", methods=["POST"])
def indicator_import_confirm():
    user = signed_in_user()
    rights = EntryRights.of_user(user)
    form = ConfirmForm()
    digest = form.digest.data or ""
    data = uploads.kept(user.id, digest)
    if not form.validate_on_submit() or data is None:
        flash(_("The uploaded file is no longer kept: please upload it again."), "error")
        return redirect(url_for("admin.indicator_import"))
    filename = Path(form.filename.data or "").name
    sheet = spreadsheets.read(data, filename)
    publish = form.publish.data == "1"
    planned = _plan(sheet, rights, publish)
    if not planned.ok or _fingerprint(planned) != form.fingerprint.data:
        # The figures changed since the preview (someone saved some, or the rights changed).
        return _preview_page(sheet, planned, digest=digest, filename=filename, changed_since=True), 409
    try:
        counts = apply(planned, Actor.of_user(user), ValueSource.IMPORT)
        db.session.commit()
    except IntegrityError:
        # Someone entered one of the new figures while this plan was being written (or the form was sent
        # twice): nothing of this import is kept, and the plan as it is now is shown.
        db.session.rollback()
        planned = _plan(sheet, rights, publish)
        return _preview_page(sheet, planned, digest=digest, filename=filename, changed_since=True), 409
    uploads.forget(user.id, digest)
    written = counts["new"] + counts["changed"]
    if not written:
        flash(_("Nothing had changed: nothing was saved."), "info")
    elif planned.publish:
        flash(
            _(
                "%(new)s new and %(changed)s changed figures published.",
                new=counts["new"],
                changed=counts["changed"],
            ),
            "info",
        )
    else:
        flash(
            _(
                "%(new)s new and %(changed)s changed figures saved as drafts.",
                new=counts["new"],
                changed=counts["changed"],
            ),
            "info",
        )
    return redirect(url_for("admin.indicator_import"))


@bp.route("/indicators/<code>/<any(template, export):kind>.<any(xlsx, csv):file_format>")
def indicator_spreadsheet(code: str, kind: str, file_format: str):
    """One indicator: a template of the user's units and recent periods, or every figure the user may see."""
    user = signed_in_user()
    indicator = db.session.scalar(
        select(Indicator).where(Indicator.code == code, _reachable_indicators(user))
    ) or abort(404)
    rights = EntryRights.of_user(user)
    units_as_of = current_app.config["UNITS_AS_OF"]
    if kind == "template":
        organizations = (
            None if user.is_admin else [membership.organization for membership in user.memberships]
        )
        rows = _template_rows(indicator, _units_of(indicator, organizations, units_as_of), rights)
    else:
        rows = spreadsheets.export_rows(indicator, reported_units(indicator, None, units_as_of), rights)
    return _spreadsheet_response(rows, [indicator], f"{indicator.code}-{kind}", file_format)


@bp.route("/indicators/template.xlsx", defaults={"kind": "template", "file_format": "xlsx"})
@bp.route("/indicators/template.csv", defaults={"kind": "template", "file_format": "csv"})
@bp.route("/indicators/export.xlsx", defaults={"kind": "export", "file_format": "xlsx"})
@bp.route("/indicators/export.csv", defaults={"kind": "export", "file_format": "csv"})
def organization_spreadsheet(kind: str, file_format: str):
    """Every indicator an organization reports, for the units it reports: a template, or the figures."""
    user = signed_in_user()
    organization = db.session.scalar(
        select(Organization).where(Organization.code == request.args.get("organization", ""))
    )
    if organization is None or not (user.is_admin or organization.id in user.organization_ids):
        abort(404)
    rights = EntryRights.of_user(user)
    units_as_of = current_app.config["UNITS_AS_OF"]
    indicators = _reported_by(organization)
    rows = []
    for indicator in indicators:
        units = _units_of(indicator, [organization], units_as_of)
        if kind == "template":
            rows.extend(_template_rows(indicator, units, rights))
        else:
            rows.extend(spreadsheets.export_rows(indicator, units, rights))
    return _spreadsheet_response(rows, indicators, f"{organization.code}-{kind}", file_format)


def _plan(sheet: spreadsheets.Sheet, rights: EntryRights, publish: bool) -> Plan:
    return plan(
        sheet.entries,
        rights,
        today=province_today(),
        units_as_of=current_app.config["UNITS_AS_OF"],
        publish=publish,
    )


def _fingerprint(planned: Plan) -> str:
    """What a plan would do, figure by figure, and to which stored figure, as a digest."""
    described = sorted(
        (
            change.indicator.code,
            change.unit.code,
            str(change.period),
            change.outcome.value,
            str(change.value),
            change.note,
            change.existing.updated_at.isoformat() if change.existing else None,
        )
        for change in planned.changes
    )
    return hashlib.sha256(json.dumps([planned.publish, described]).encode()).hexdigest()


def _reachable_indicators(user: User):
    """A WHERE clause: the indicators the user's organizations own or report (all for administrators)."""
    if user.is_admin:
        return Indicator.id.is_not(None)
    return or_(
        Indicator.organization_id.in_(user.organization_ids),
        Indicator.id.in_(
            select(IndicatorReporter.indicator_id).where(
                IndicatorReporter.organization_id.in_(user.organization_ids)
            )
        ),
    )


def _reported_by(organization: Organization) -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .join(IndicatorReporter)
            .where(IndicatorReporter.organization_id == organization.id)
            .order_by(Indicator.position, Indicator.code)
        )
    )


def _units_of(indicator: Indicator, organizations: list[Organization] | None, as_of: date) -> list[AdminUnit]:
    """The units whose figures `organizations` report (every organization's when None), in map order."""
    if organizations is None:
        return reported_units(indicator, None, as_of)
    reported = {
        unit.id for organization in organizations for unit in reported_units(indicator, organization, as_of)
    }
    return [unit for unit in reported_units(indicator, None, as_of) if unit.id in reported]


def _template_rows(
    indicator: Indicator, units: list[AdminUnit], rights: EntryRights
) -> list[spreadsheets.Row]:
    periods = spreadsheets.recent_periods(indicator.frequency, province_today())
    return spreadsheets.template_rows(indicator, units, periods, rights)


def _spreadsheet_response(
    rows: list[spreadsheets.Row], indicators: list[Indicator], name: str, file_format: str
) -> Response:
    if file_format == "xlsx":
        body = spreadsheets.write_xlsx(rows, spreadsheets.instructions(indicators))
    else:
        body = spreadsheets.write_csv(rows)
    filename = f"{name}-{province_today().isoformat()}.{file_format}"
    return Response(
        body,
        mimetype=_MEDIA_TYPES[file_format],
        headers={"Content-Disposition": dump_options_header("attachment", {"filename": filename})},
    )


def _upload_page(
    form: UploadForm,
    rights: EntryRights,
    *,
    sheet: spreadsheets.Sheet | None = None,
    planned: Plan | None = None,
) -> str:
    user = signed_in_user()
    if user.is_admin:
        organizations = db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(select(IndicatorReporter.organization_id)))
            .order_by(Organization.name_vi)
        ).all()
    else:
        organizations = sorted(
            (membership.organization for membership in user.memberships),
            key=lambda organization: organization.name_vi,
        )
    problems = planned.problems if planned else []
    return render_template(
        "admin/indicator_import.html",
        form=form,
        may_publish=may_publish_some(rights),
        indicators=db.session.scalars(
            select(Indicator).where(_reachable_indicators(user)).order_by(Indicator.position, Indicator.code)
        ).all(),
        organizations=organizations,
        problems=sheet.locate_all(problems)[:PROBLEM_ROWS] if sheet else [],
        problem_total=len(problems),
        limits={"rows": spreadsheets.MAX_ROWS, "mebibytes": spreadsheets.MAX_BYTES // 2**20},
    )


def _preview_page(
    sheet: spreadsheets.Sheet, planned: Plan, *, digest: str, filename: str, changed_since: bool = False
) -> str:
    shown = [change for change in planned.changes if change.outcome is not Outcome.UNCHANGED]
    # Never from the request's form: the fields describe this plan, not the one that was posted.
    confirm = ConfirmForm(
        formdata=None,
        data={
            "digest": digest,
            "filename": filename,
            "publish": "1" if planned.publish else "",
            "fingerprint": _fingerprint(planned),
        },
    )
    return render_template(
        "admin/indicator_import_preview.html",
        sheet=sheet,
        planned=planned,
        counts={outcome.value: planned.count(outcome) for outcome in Outcome},
        changes=shown[:PREVIEW_ROWS],
        change_total=len(shown),
        problems=sheet.locate_all(planned.problems)[:PROBLEM_ROWS],
        problem_total=len(planned.problems),
        warning_total=len(planned.warnings),
        confirm=confirm,
        changed_since=changed_since,
        plain=_plain_number,
    )


def _plain_number(value: Any) -> str:
    return "—" if value is None else format(value.normalize(), "f")
