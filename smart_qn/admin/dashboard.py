"""The first page after signing in: the user's overdue indicator figures first, then the state of the
content of their organizations."""

from flask import current_app, render_template
from sqlalchemy import func, select

from smart_qn.accounts.organizations import Organization
from smart_qn.admin import bp
from smart_qn.admin.freshness import entry_link, status_detail
from smart_qn.admin.guard import signed_in_user
from smart_qn.admin.notices import status_condition
from smart_qn.content.notices import Notice
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.localtime import province_today
from smart_qn.reporting.freshness import overdue_pairs

DASHBOARD_COUNTS = ("draft", "in_review", "scheduled", "recently_published", "expiring_soon")


def notice_counts(organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each organization: its drafts, notices (or edits) in review, scheduled, published in the last week
    and expiring within the next, counted in one query with the list's own filters."""
    now = utcnow()
    buckets = {name: status_condition(name, now) for name in DASHBOARD_COUNTS}
    rows = db.session.execute(
        select(
            Notice.organization_id,
            *(func.count().filter(condition).label(name) for name, condition in buckets.items()),
        )
        .where(Notice.organization_id.in_(organization_ids))
        .group_by(Notice.organization_id)
    )
    counts = {organization_id: dict.fromkeys(buckets, 0) for organization_id in organization_ids}
    for row in rows:
        counts[row.organization_id] = {name: getattr(row, name) for name in buckets}
    return counts


@bp.route("/")
def dashboard():
    user = signed_in_user()
    organizations = db.session.scalars(
        select(Organization).where(Organization.id.in_(user.organization_ids)).order_by(Organization.name_vi)
    ).all()
    return render_template(
        "admin/dashboard.html",
        organizations=organizations,
        counts=notice_counts([organization.id for organization in organizations]),
        roles={membership.organization_id: membership.role for membership in user.memberships},
        overdue=overdue_pairs(
            frozenset(organization.id for organization in organizations),
            as_of=province_today(),
            units_as_of=current_app.config["UNITS_AS_OF"],
        ),
        entry_link=entry_link,
        status_detail=status_detail,
    )
