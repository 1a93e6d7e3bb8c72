"""The freshness report in the admin: for every indicator and unit, whether its figure is up to date, due
or overdue, with a summary per organization (the report the provincial office reviews every 15 days),
as a page and as CSV or XLSX files.

Administrators see every organization; members their own organizations, and another organization's
report is not found (404). `?as_of=` rebuilds the report of an earlier day.
"""

import csv
import io
from datetime import date
from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask_babel import format_date, format_percent, ngettext
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.admin.services import organization_name
from smart_qn.extensions import db
from smart_qn.localtime import province_today
from smart_qn.reporting.freshness import (
    REPORT_WINDOW_DAYS,
    FreshnessReport,
    FreshnessStatus,
    OrganizationFreshness,
    PairFreshness,
    freshness_report,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_labels() -> dict[FreshnessStatus, str]:
    return {
        FreshnessStatus.UP_TO_DATE: _("Up to date"),
        FreshnessStatus.DUE: _("Due"),
        FreshnessStatus.OVERDUE: _("Overdue"),
    }


def status_detail(pair: PairFreshness) -> str:
    """What a reporter needs to know beside the status: by when, or how late."""
    freshness = pair.freshness
    if freshness.status is FreshnessStatus.DUE:
        detail = _("due by %(date)s", date=format_date(freshness.due_by, "short"))
    elif freshness.status is FreshnessStatus.OVERDUE and freshness.periods_behind is None:
        detail = _("never reported")
    elif freshness.status is FreshnessStatus.OVERDUE:
        detail = ngettext(
            "%(num)d period behind, overdue since %(date)s",
            "%(num)d periods behind, overdue since %(date)s",
            freshness.periods_behind,
            date=format_date(freshness.overdue_since, "short"),
        )
    else:
        detail = ""
    if pair.draft_period is not None:
        waiting = _("draft waiting for %(period)s: publish it", period=str(pair.draft_period))
        detail = f"{detail}; {waiting}" if detail else waiting
    return detail


def visible_organizations(user: User) -> list[Organization]:
    query = select(Organization).order_by(Organization.name_vi)
    if not user.is_admin:
        query = query.where(Organization.id.in_(user.organization_ids))
    return list(db.session.scalars(query))


def report_filters(user: User, args) -> tuple[dict[str, Any], dict[str, str]]:
    """The filters as understood, and a message per filter that could not be."""
    errors = {}
    today = province_today()
    as_of = today
    if raw_date := (args.get("as_of") or "").strip():
        try:
            as_of = date.fromisoformat(raw_date)
        except ValueError:
            errors["as_of"] = _("Not a date: write it as YYYY-MM-DD.")
        else:
            if as_of > today:
                errors["as_of"] = _("A report cannot be made for a day that has not come yet.")
                as_of = today
    organization_id = args.get("organization", type=int)
    if organization_id is not None and not user.is_admin and organization_id not in user.organization_ids:
        abort(404)
    status = args.get("status") or ""
    if status and status not in {value.value for value in FreshnessStatus}:
        errors["status"] = _("Not a status.")
        status = ""
    return {"as_of": as_of, "organization": organization_id, "status": status}, errors


def filtered_report(user: User, filters: dict[str, Any]) -> FreshnessReport:
    if filters["organization"] is not None:
        organization_ids = frozenset({filters["organization"]})
    else:
        organization_ids = None if user.is_admin else frozenset(user.organization_ids)
    report = freshness_report(
        filters["as_of"],
        units_as_of=current_app.config["UNITS_AS_OF"],
        organization_ids=organization_ids,
    )
    if not filters["status"]:
        return report
    wanted = FreshnessStatus(filters["status"])
    organizations = [
        OrganizationFreshness(
            entry.organization, [pair for pair in entry.pairs if pair.freshness.status is wanted]
        )
        for entry in report.organizations
    ]
    return FreshnessReport(report.as_of, [entry for entry in organizations if entry.pairs])


def entry_link(code: str) -> str:
    """Where a late figure is entered: the indicator's grid where the admin has one, else this report."""
    if "admin.indicator_values" in current_app.view_functions:
        return url_for("admin.indicator_values", code=code)
    return url_for("admin.indicator_freshness", status=FreshnessStatus.OVERDUE.value)


@bp.route("/indicators/freshness")
@bp.route("/indicators/freshness.<any(csv, xlsx):file_format>")
def indicator_freshness(file_format: str | None = None):
    user = signed_in_user()
    filters, errors = report_filters(user, request.args)
    report = filtered_report(user, filters)
    if file_format == "csv":
        return _download(_csv(report), "text/csv; charset=utf-8", report, "csv")
    if file_format == "xlsx":
        return _download(_xlsx(report), XLSX_TYPE, report, "xlsx")
    return render_template(
        "admin/indicator_freshness.html",
        report=report,
        filters=filters,
        errors=errors,
        organizations=visible_organizations(user),
        status_labels=status_labels(),
        status_detail=status_detail,
        organization_name=organization_name,
        entry_link=entry_link,
        window_days=REPORT_WINDOW_DAYS,
        format_percent=format_percent,
        format_date=format_date,
    )


def _summary_header() -> list[str]:
    return [
        _("Organization code"),
        _("Organization"),
        _("Figures followed"),
        _("Up to date"),
        _("Due"),
        _("Overdue"),
        _("Share on time"),
        _("Published in the window"),
    ]


def _summary_row(entry: OrganizationFreshness) -> list:
    return [
        entry.organization.code,
        organization_name(entry.organization),
        len(entry.pairs),
        entry.count(FreshnessStatus.UP_TO_DATE),
        entry.count(FreshnessStatus.DUE),
        entry.count(FreshnessStatus.OVERDUE),
        round(entry.on_time_share, 4),
        entry.published_in_window,
    ]


def _details_header() -> list[str]:
    return [
        _("Organization code"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit code"),
        _("Unit"),
        _("Expected period"),
        _("Latest published period"),
        _("Status"),
        _("Details"),
        _("Draft waiting"),
    ]


def _details_row(pair: PairFreshness) -> list:
    freshness = pair.freshness
    return [
        pair.organization.code,
        pair.indicator.code,
        pair.indicator.name_vi,
        pair.unit.code,
        pair.unit.name,
        str(freshness.expected_period),
        str(freshness.latest_period) if freshness.latest_period else "",
        status_labels()[freshness.status],
        status_detail(pair),
        str(pair.draft_period) if pair.draft_period else "",
    ]


def _title(report: FreshnessReport) -> str:
    return _(
        "Indicator freshness as of %(date)s (the %(days)s days from %(start)s)",
        date=report.as_of.isoformat(),
        days=REPORT_WINDOW_DAYS,
        start=report.window_start.isoformat(),
    )


def _csv(report: FreshnessReport) -> bytes:
    """The details, one figure per row, headed by the report's date; with a byte order mark, so that
    spreadsheet programs read the Vietnamese names right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_title(report)])
    writer.writerow(_details_header())
    writer.writerows(_details_row(pair) for pair in report.pairs)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(report: FreshnessReport) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    summary.append([_title(report)])
    summary.append(_summary_header())
    for entry in report.organizations:
        summary.append(_summary_row(entry))
        summary.cell(summary.max_row, 7).number_format = "0%"
    details = workbook.create_sheet(_("Details"))
    details.append([_title(report)])
    details.append(_details_header())
    for pair in report.pairs:
        details.append(_details_row(pair))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _download(body: bytes, mimetype: str, report: FreshnessReport, extension: str):
    response = current_app.response_class(body, mimetype=mimetype)
    filename = f"indicator-freshness-{report.as_of.isoformat()}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
