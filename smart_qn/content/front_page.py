"""What the first screen shows a resident of a unit, in the app (`/api/v1/home`) and on the portal's home
page: the live warnings that reach the unit, its pinned notices and the featured online services."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from smart_qn.content.notices import Notice, Urgency, live_notices
from smart_qn.content.services import ServiceLink
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit

ALERTS, PINNED, SERVICES = 5, 5, 6


@dataclass(frozen=True)
class FrontPage:
    alerts: list[Notice]  # emergency first, then important; newest first within each
    pinned: list[Notice]  # pinned notices that are not already among the alerts, newest first
    services: list[ServiceLink]


def front_page(unit: AdminUnit, now: datetime) -> FrontPage:
    """The notices live at `now` that `unit` sees (its own, its district's, the province's), and the
    featured services."""
    relevant = live_notices(now).where(Notice.seen_in(unit))
    alerts = db.session.scalars(
        relevant.where(Notice.urgency.in_([Urgency.EMERGENCY, Urgency.IMPORTANT]))
        .order_by(Notice.urgency_rank(), Notice.publish_at.desc())
        .limit(ALERTS)
    ).all()
    pinned = db.session.scalars(
        relevant.where(Notice.pinned.is_(True), Notice.id.not_in([notice.id for notice in alerts]))
        .order_by(Notice.publish_at.desc())
        .limit(PINNED)
    ).all()
    services = db.session.scalars(
        select(ServiceLink)
        .where(ServiceLink.published.is_(True), ServiceLink.featured.is_(True))
        .order_by(ServiceLink.name_vi)
        .limit(SERVICES)
    ).all()
    return FrontPage(alerts=list(alerts), pinned=list(pinned), services=list(services))
