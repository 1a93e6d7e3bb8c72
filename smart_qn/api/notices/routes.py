from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import String, bindparam, cast, func, select

from smart_qn.accounts.organizations import Organization
from smart_qn.api.attachments.routes import present_attachments
from smart_qn.api.common import (
    MAX_ID,
    LanguageArgs,
    category_ref,
    json_response,
    localized,
    lookup,
    organization_ref,
    paginate,
    resolve_unit,
    unit_ref,
    units_as_of,
)
from smart_qn.api.notices.schemas import NoticeDetailSchema, NoticeListArgs, NoticePageSchema
from smart_qn.api.references import references
from smart_qn.content.categories import Category
from smart_qn.content.notices import Notice, Urgency, live_notices, notice_audience
from smart_qn.content.search import rank_notices
from smart_qn.dbtypes import UTCDateTime, utcnow
from smart_qn.extensions import db
from smart_qn.i18n import current_language

blp = Blueprint("notices", __name__, description="Notices and warnings published for residents.")

# What a list shows of a notice; its body, rendered HTML and search forms stay in the database. The
# audience comes along as a comma-separated list of unit ids, saving a query per page.
LIST_COLUMNS = (
    Notice.id,
    Notice.title_vi,
    Notice.title_en,
    Notice.summary_vi,
    Notice.summary_en,
    Notice.urgency,
    Notice.pinned,
    Notice.publish_at,
    Notice.expire_at,
    Notice.updated_at,
    Notice.organization_id,
    Notice.category_id,
    select(func.aggregate_strings(cast(notice_audience.c.admin_unit_id, String), ","))
    .where(notice_audience.c.notice_id == Notice.id)
    .scalar_subquery()
    .label("audience_ids"),
)


LIVE_NEWEST_FIRST = (
    select(*LIST_COLUMNS)
    .where(Notice.live(bindparam("now", type_=UTCDateTime())))
    .order_by(Notice.pinned.desc(), Notice.publish_at.desc(), Notice.id.desc())
)


def audiences(rows) -> dict[int, list[int]]:
    """The audience unit ids of each notice: from the row when it carries them, else queried."""
    if rows and hasattr(rows[0], "audience_ids"):
        return {
            row.id: [int(unit_id) for unit_id in (row.audience_ids or "").split(",") if unit_id]
            for row in rows
        }
    found: dict[int, list[int]] = {row.id: [] for row in rows}
    query = select(notice_audience.c.notice_id, notice_audience.c.admin_unit_id).where(
        notice_audience.c.notice_id.in_(list(found))
    )
    for notice_id, unit_id in db.session.execute(query):
        found[notice_id].append(unit_id)
    return found


def present_notices(rows, lang: str, *, detail: bool = False) -> list[dict]:
    """Notices (ORM objects or rows of LIST_COLUMNS) as the API shows them."""
    audience = audiences(rows)
    names = references(
        organization_ids={row.organization_id for row in rows},
        category_ids={row.category_id for row in rows},
        unit_ids={unit_id for unit_ids in audience.values() for unit_id in unit_ids},
    )
    fields = ("title", "summary", "body_html") if detail else ("title", "summary")
    presented = []
    for row in rows:
        used, text = localized(row, lang, *fields)
        units = sorted((names.units[unit_id] for unit_id in audience[row.id]), key=lambda unit: unit.code)
        presented.append(
            {
                "id": row.id,
                "language": used,
                "available_languages": ["vi", "en"] if row.title_en else ["vi"],
                **text,
                "urgency": Urgency(row.urgency).value,
                "pinned": row.pinned,
                "category": category_ref(names.categories[row.category_id], lang),
                "organization": organization_ref(names.organizations[row.organization_id], lang),
                "audience": [unit_ref(unit, lang) for unit in units],
                "published_at": row.publish_at,
                "expires_at": row.expire_at,
                "updated_at": row.updated_at,
            }
        )
    if detail:
        files = present_attachments([row.id for row in rows])
        for item in presented:
            item["attachments"] = files[item["id"]]
    return presented


def present_notice(notice: Notice, lang: str, *, detail: bool = False) -> dict:
    (presented,) = present_notices([notice], lang, detail=detail)
    return presented


@blp.route("")
class Notices(MethodView):
    @blp.arguments(NoticeListArgs, location="query", unknown=RAISE)
    @blp.response(200, NoticePageSchema)
    def get(self, args):
        """List published notices, pinned first, then newest

        Only live notices are listed: published, past their publish time and not expired. With `q`, only
        those matching the search words, best match first.
        """
        now = utcnow()
        # Without search words the statement is built once, with `now` bound at execution.
        query, params = (live_notices(now), {}) if "q" in args else (LIVE_NEWEST_FIRST, {"now": now})
        if "unit" in args:
            query = query.where(Notice.seen_in(resolve_unit(args["unit"], units_as_of(args))))
        if "category" in args:
            query = query.where(Notice.category_id == lookup(Category, "category", slug=args["category"]).id)
        if "organization" in args:
            organization = lookup(Organization, "organization", code=args["organization"])
            query = query.where(Notice.organization_id == organization.id)
        if "urgency" in args:
            query = query.where(Notice.urgency == args["urgency"])
        if "q" in args:
            query = rank_notices(query, args["q"]).with_only_columns(*LIST_COLUMNS)
        lang = current_language()
        return paginate(query, args, lambda rows: present_notices(rows, lang), rows=True, params=params)


@blp.route(f"/<int(min=1, max={MAX_ID}):notice_id>")
class NoticeDetail(MethodView):
    @blp.arguments(LanguageArgs, location="query", unknown=RAISE)
    @blp.response(200, NoticeDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No published notice with this id.")
    def get(self, args, notice_id: int):
        """Get one published notice with its body"""
        notice = db.session.scalar(live_notices(utcnow()).where(Notice.id == notice_id))
        if notice is None:
            abort(404, message=_("No published notice with this id."))
        return json_response(present_notice(notice, current_language(), detail=True))
