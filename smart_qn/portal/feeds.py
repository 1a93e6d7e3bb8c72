"""Machine-readable views of the portal: the Atom feed of notices (all, per unit, per category), the
sitemap, and robots.txt pointing crawlers at it."""

from datetime import datetime

from flask import abort, current_app, render_template, request, url_for
from sqlalchemy import func, select

from smart_qn.accounts.organizations import Organization
from smart_qn.api.notices.routes import present_notices
from smart_qn.content.categories import Category
from smart_qn.content.indicators import Indicator
from smart_qn.content.notices import Notice, live_notices
from smart_qn.content.services import ServiceLink
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import units_on
from smart_qn.i18n import current_language
from smart_qn.portal import bp
from smart_qn.portal.places import unit_by_code, units_as_of

FEED_ENTRIES = 50
# The sitemap protocol's limit is 50,000 URLs per file; live notices stay far below it.
SITEMAP_NOTICES = 40_000


def atom_time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


@bp.get("/feeds/notices.atom")
def notices_feed():
    query = live_notices(utcnow())
    title_parts = []
    lang = current_language()
    if code := request.args.get("unit"):
        unit = unit_by_code(code)
        if unit is None:
            abort(404)
        query = query.where(Notice.seen_in(unit))
        title_parts.append(unit.name_en if lang == "en" else unit.name)
    if slug := request.args.get("category"):
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            abort(404)
        query = query.where(Notice.category_id == category.id)
        title_parts.append(category.name_en if lang == "en" else category.name_vi)
    newest_first = query.order_by(Notice.publish_at.desc(), Notice.id.desc()).limit(FEED_ENTRIES)
    found = db.session.scalars(newest_first).all()
    filters = {name: request.args[name] for name in ("unit", "category") if request.args.get(name)}
    feed = render_template(
        "portal/notices.atom.xml",
        entries=present_notices(found, lang),
        updated=max((notice.updated_at for notice in found), default=utcnow()),
        title_parts=title_parts,
        self_url=url_for("portal.notices_feed", _external=True, **filters),
        alternate_url=url_for("portal.notices", _external=True, **filters),
        atom_time=atom_time,
    )
    return current_app.response_class(feed, mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap():
    notices = db.session.execute(
        live_notices(utcnow())
        .with_only_columns(Notice.id, Notice.updated_at)
        .order_by(Notice.id)
        .limit(SITEMAP_NOTICES)
    ).all()
    services = db.session.scalars(select(ServiceLink.id).where(ServiceLink.published.is_(True))).all()
    organizations = db.session.scalars(
        select(Organization.code).where(Organization.active_on(units_as_of())).order_by(Organization.code)
    ).all()
    indicators = db.session.scalars(select(Indicator.code).order_by(Indicator.code)).all()
    last_change = db.session.scalar(select(func.max(Notice.updated_at)).where(Notice.live(utcnow())))
    document = render_template(
        "portal/sitemap.xml",
        notices=notices,
        services=services,
        organizations=organizations,
        units=[unit.code for unit in units_on(units_as_of())],
        indicators=indicators,
        last_change=last_change,
    )
    return current_app.response_class(document, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    # The admin is for staff only; the API is for the app, whose contents the pages show anyway.
    lines = (
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {url_for('portal.sitemap', _external=True)}",
    )
    return current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain")
