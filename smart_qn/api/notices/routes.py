from operator import itemgetter

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import Row, String, bindparam, cast, func, select

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
    paged,
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
LIVE_NEWEST_FIRST_PAGE = paged(LIVE_NEWEST_FIRST)


def audiences(rows) -> dict[int, list[int]]:
    """The audience unit ids of each notice: from the row when it carries them, else queried."""
    if rows and isinstance(rows[0], Row) and "audience_ids" in rows[0]._fields:
        mappings = [row._mapping for row in rows]
        return {
            row["id"]: [int(unit_id) for unit_id in (row["audience_ids"] or "").split(",") if unit_id]
            for row in mappings
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
    # A row's columns by name through its mapping: much quicker than its attributes.
    notices = [row._mapping if isinstance(row, Row) else _Columns(row) for row in rows]
    names = references(
        organization_ids={notice["organization_id"] for notice in notices},
        category_ids={notice["category_id"] for notice in notices},
        unit_ids={unit_id for unit_ids in audience.values() for unit_id in unit_ids},
    )
    fields = ("title", "summary", "body_html") if detail else ("title", "summary")
    # Most pages name the same few categories, organizations and units again and again.
    categories = {
        id_: category_ref(category, lang)
        for id_, category in _named(names.categories, notices, "category_id")
    }
    organizations = {
        id_: organization_ref(organization, lang)
        for id_, organization in _named(names.organizations, notices, "organization_id")
    }
    units: dict[int, tuple[str, dict]] = {}
    presented = []
    for row, notice in zip(rows, notices, strict=True):
        used, text = localized(row, lang, *fields)
        for unit_id in audience[notice["id"]]:
            if unit_id not in units:
                unit = names.units[unit_id]
                units[unit_id] = (unit.code, unit_ref(unit, lang))
        presented.append(
            {
                "id": notice["id"],
                "language": used,
                "available_languages": ["vi", "en"] if notice["title_en"] else ["vi"],
                **text,
                "urgency": Urgency(notice["urgency"]).value,
                "pinned": notice["pinned"],
                "category": categories[notice["category_id"]],
                "organization": organizations[notice["organization_id"]],
                "audience": [
                    ref
                    for _code, ref in sorted(
                        (units[unit_id] for unit_id in audience[notice["id"]]), key=itemgetter(0)
                    )
                ],
                "published_at": notice["publish_at"],
                "expires_at": notice["expire_at"],
                "updated_at": notice["updated_at"],
            }
        )
    if detail:
        files = present_attachments([row.id for row in rows])
        for item in presented:
            item["attachments"] = files[item["id"]]
    return presented


class _Columns:
    """An ORM notice's columns by name, as a row's mapping gives them."""

    __slots__ = ("notice",)

    def __init__(self, notice: Notice):
        self.notice = notice

    def __getitem__(self, name: str):
        return getattr(self.notice, name)


def _named(rows_by_id: dict, notices: list, column: str):
    """(id, row) of each distinct `column` id of `notices`, from the reference maps `rows_by_id`."""
    return ((id_, rows_by_id[id_]) for id_ in {notice[column] for notice in notices})


def present_notice(notice: Notice, lang: str, *, detail: bool = False) -> dict:
    (presented,) = present_notices([notice], lang, detail=detail)
    return presented


@blp.route("")
class Notices(MethodView):
    @blp.arguments(NoticeListArgs(), location="query", unknown=RAISE)
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
        return paginate(
            query,
            args,
            lambda rows: present_notices(rows, lang),
            rows=True,
            params=params,
            page_query=LIVE_NEWEST_FIRST_PAGE if query is LIVE_NEWEST_FIRST else None,
        )


@blp.route(f"/<int(min=1, max={MAX_ID}):notice_id>")
class NoticeDetail(MethodView):
    @blp.arguments(LanguageArgs(), location="query", unknown=RAISE)
    @blp.response(200, NoticeDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No published notice with this id.")
    def get(self, args, notice_id: int):
        """Get one published notice with its body"""
        notice = db.session.scalar(live_notices(utcnow()).where(Notice.id == notice_id))
        if notice is None:
            abort(404, message=_("No published notice with this id."))
        return json_response(present_notice(notice, current_language(), detail=True))
