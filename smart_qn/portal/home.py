"""The home page: the warnings for the reader's place, pinned notices, key figures, popular services."""

from flask import render_template
from sqlalchemy import select

from smart_qn.api.home.routes import ALERTS, PINNED, SERVICES, key_indicator_figures
from smart_qn.api.notices.routes import present_notices
from smart_qn.content.notices import Notice, Urgency, live_notices
from smart_qn.content.services import ServiceLink
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import province_on
from smart_qn.i18n import current_language
from smart_qn.portal import bp
from smart_qn.portal.places import place_choices, readers_unit, units_as_of


@bp.get("/")
def home():
    lang, unit = current_language(), readers_unit()
    relevant = live_notices(utcnow()).where(Notice.seen_in(unit))
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
    return render_template(
        "portal/home.html",
        unit=unit,
        alerts=present_notices(alerts, lang),
        pinned=present_notices(pinned, lang),
        indicators=key_indicator_figures(unit, province_on(units_as_of()), lang),
        services=services,
        **place_choices(unit),
    )
