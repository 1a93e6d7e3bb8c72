"""Notices: the list with its filters and pages, and one notice with its files, shareable by link."""

import math

from flask import abort, current_app, render_template, request
from sqlalchemy import select

from smart_qn.accounts.organizations import Organization
from smart_qn.api.common import MAX_ID, count, paged
from smart_qn.api.notices.routes import LIVE_NEWEST_FIRST, present_notice, present_notices
from smart_qn.content.categories import Category
from smart_qn.content.notices import Notice, Urgency, live_notices
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import UnitLevel, units_on
from smart_qn.i18n import current_language
from smart_qn.portal import bp
from smart_qn.portal.places import unit_by_code, units_as_of

MAX_PAGE = 10_000


def page_number() -> int:
    requested = request.args.get("page", "1")
    if not requested.isdigit() or not 1 <= int(requested) <= MAX_PAGE:
        abort(404)
    return int(requested)


def notice_filters() -> tuple[list, dict]:
    """The list's filters from the query string: (criteria, the chosen values by name). An unknown value
    is a page that does not exist."""
    criteria, chosen = [], {}
    if slug := request.args.get("category"):
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            abort(404)
        criteria.append(Notice.category_id == category.id)
        chosen["category"] = slug
    if code := request.args.get("unit"):
        unit = unit_by_code(code)
        if unit is None:
            abort(404)
        criteria.append(Notice.seen_in(unit))
        chosen["unit"] = code
    if code := request.args.get("organization"):
        organization = db.session.scalar(select(Organization).where(Organization.code == code))
        if organization is None:
            abort(404)
        criteria.append(Notice.organization_id == organization.id)
        chosen["organization"] = code
    if urgency := request.args.get("urgency"):
        if urgency not in set(Urgency):
            abort(404)
        criteria.append(Notice.urgency == urgency)
        chosen["urgency"] = urgency
    return criteria, chosen


def filter_choices() -> dict:
    return {
        "categories": db.session.scalars(select(Category).order_by(Category.position, Category.slug)).all(),
        "units": units_on(units_as_of(), level=UnitLevel.DISTRICT),
        "urgencies": list(Urgency),
    }


@bp.get("/notices")
def notices():
    criteria, chosen = notice_filters()
    page = page_number()
    page_size = current_app.config["PAGE_SIZE_DEFAULT"]
    query, params = LIVE_NEWEST_FIRST.where(*criteria), {"now": utcnow()}
    total = count(query, chosen, params)
    rows = db.session.connection().execute(
        paged(query), {**params, "page_limit": page_size, "page_offset": (page - 1) * page_size}
    )
    total_pages = math.ceil(total / page_size)
    if page > max(total_pages, 1):
        abort(404)
    return render_template(
        "portal/notices.html",
        notices=present_notices(rows.all(), current_language()),
        chosen=chosen,
        page=page,
        total=total,
        total_pages=total_pages,
        **filter_choices(),
    )


@bp.get(f"/notices/<int(min=1, max={MAX_ID}):notice_id>")
def notice(notice_id: int):
    found = db.session.scalar(live_notices(utcnow()).where(Notice.id == notice_id))
    if found is None:
        abort(404)
    return render_template(
        "portal/notice.html", notice=present_notice(found, current_language(), detail=True)
    )
