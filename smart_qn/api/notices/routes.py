from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization
from smart_qn.api.common import (
    MAX_ID,
    LanguageArgs,
    category_ref,
    language,
    localized,
    lookup,
    organization_ref,
    paginate,
    resolve_unit,
    unit_ref,
    units_as_of,
)
from smart_qn.api.notices.schemas import NoticeDetailSchema, NoticeListArgs, NoticePageSchema
from smart_qn.content.categories import Category
from smart_qn.content.notices import Notice, live_notices
from smart_qn.content.search import rank_notices
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db

blp = Blueprint("notices", __name__, description="Notices and warnings published for residents.")

_LOAD_RELATED = (
    selectinload(Notice.organization),
    selectinload(Notice.category),
    selectinload(Notice.audience),
)


def present_notice(notice: Notice, lang: str, *, detail: bool = False) -> dict:
    fields = ("title", "summary", "body_html") if detail else ("title", "summary")
    used, text = localized(notice, lang, *fields)
    presented = {
        "id": notice.id,
        "language": used,
        "available_languages": ["vi", "en"] if notice.title_en else ["vi"],
        **text,
        "urgency": notice.urgency.value,
        "pinned": notice.pinned,
        "category": category_ref(notice.category, lang),
        "organization": organization_ref(notice.organization, lang),
        "audience": [unit_ref(unit, lang) for unit in notice.audience],
        "published_at": notice.publish_at,
        "expires_at": notice.expire_at,
        "updated_at": notice.updated_at,
    }
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
        query = live_notices(utcnow()).options(*_LOAD_RELATED)
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
            query = rank_notices(query, args["q"])
        else:
            query = query.order_by(Notice.pinned.desc(), Notice.publish_at.desc(), Notice.id.desc())
        lang = language(args)
        return paginate(query, args, lambda notices: [present_notice(notice, lang) for notice in notices])


@blp.route(f"/<int(min=1, max={MAX_ID}):notice_id>")
class NoticeDetail(MethodView):
    @blp.arguments(LanguageArgs, location="query", unknown=RAISE)
    @blp.response(200, NoticeDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No published notice with this id.")
    def get(self, args, notice_id: int):
        """Get one published notice with its body"""
        notice = db.session.scalar(
            live_notices(utcnow()).where(Notice.id == notice_id).options(*_LOAD_RELATED)
        )
        if notice is None:
            abort(404, message=_("No published notice with this id."))
        return present_notice(notice, language(args), detail=True)
