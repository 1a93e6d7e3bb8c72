"""The audit log page (admins only): filter by who, what, which object and when; export as CSV."""

import csv
import io
import json
from datetime import date, datetime, time, timedelta

from flask import Response, render_template, request
from sqlalchemy import Select, func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.admin import bp
from smart_qn.admin.guard import admin_only
from smart_qn.extensions import db
from smart_qn.localtime import province_zone

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
FILTERS = ("actor", "action", "object_type", "object_id", "organization_id", "since", "until")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filtered_events(args) -> Select:
    """The audit rows that match the page's filters, newest first. Days are the province's days."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if actor := (args.get("actor") or "").strip().casefold():
        query = query.where(func.lower(AuditEvent.actor_label).contains(actor, autoescape=True))
    if action := args.get("action"):
        query = query.where(AuditEvent.action == action)
    if object_type := args.get("object_type"):
        query = query.where(AuditEvent.object_type == object_type)
    if object_id := (args.get("object_id") or "").strip():
        query = query.where(AuditEvent.object_id == object_id)
    if (organization_id := args.get("organization_id", type=int)) is not None:
        query = query.where(AuditEvent.organization_id == organization_id)
    zone = province_zone()
    if since := _day(args.get("since")):
        query = query.where(AuditEvent.at >= datetime.combine(since, time(), zone))
    if until := _day(args.get("until")):
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time(), zone))
    return query


@bp.route("/audit")
@admin_only
def audit_events():
    page = max(request.args.get("page", 1, type=int), 1)
    query = filtered_events(request.args)
    events = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template(
        "admin/audit.html",
        events=events[:PAGE_SIZE],
        has_next=len(events) > PAGE_SIZE,
        page=page,
        actions=actions,
        filters={name: request.args.get(name, "") for name in FILTERS},
    )


@bp.route("/audit.csv")
@admin_only
def audit_csv():
    events = db.session.scalars(filtered_events(request.args).limit(EXPORT_LIMIT))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "at_utc",
            "actor",
            "action",
            "object_type",
            "object_id",
            "organization_id",
            "before",
            "after",
            "ip_address",
            "request_id",
        ]
    )
    for event in events:
        writer.writerow(
            [
                event.id,
                event.at.isoformat(),
                event.actor_label or "",
                event.action,
                event.object_type or "",
                event.object_id or "",
                event.organization_id or "",
                json.dumps(event.before, ensure_ascii=False, sort_keys=True)
                if event.before is not None
                else "",
                json.dumps(event.after, ensure_ascii=False, sort_keys=True)
                if event.after is not None
                else "",
                event.ip_address or "",
                event.request_id or "",
            ]
        )
    # A byte-order mark, so that spreadsheet programs read the Vietnamese as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-log.csv"},
    )
