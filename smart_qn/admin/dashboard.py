"""The first page after signing in: the state of the content of the user's organizations."""

from datetime import timedelta

from flask import render_template
from sqlalchemy import and_, func, select

from smart_qn.accounts.organizations import Organization
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.content.notices import Notice, NoticeState
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db

SOON = timedelta(days=7)


def notice_counts(organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each organization: its drafts, notices in review, scheduled, published in the last week and
    expiring within the next, counted in one query."""
    now = utcnow()
    published = Notice.state == NoticeState.PUBLISHED
    buckets = {
        "drafts": Notice.state == NoticeState.DRAFT,
        "in_review": Notice.state == NoticeState.IN_REVIEW,
        "scheduled": and_(published, Notice.publish_at > now),
        "recently_published": and_(published, Notice.publish_at <= now, Notice.publish_at > now - SOON),
        "expiring_soon": and_(
            published, Notice.publish_at <= now, Notice.expire_at > now, Notice.expire_at <= now + SOON
        ),
    }
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
    )
