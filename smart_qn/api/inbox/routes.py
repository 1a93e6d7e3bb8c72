"""The inbox: the pushes that reached a device like the resident's, so that a notification missed or
swiped away can still be read in the app.

Pushes are few (a handful a day at most, the province-wide ones capped), so the window of INBOX_DAYS is
read whole and matched to the device here, the way FCM's topics matched it: the audience lives in JSON
lists, which SQLite and PostgreSQL do not search alike. The inbox is a history: a push stays listed for
the whole window, however short its TTL was.
"""

import math
from datetime import timedelta

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from smart_qn.api.common import json_response, resolve_unit, units_as_of, unknown
from smart_qn.api.inbox.schemas import InboxArgs, InboxPageSchema
from smart_qn.content.notices import Notice, Urgency
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.i18n import current_language
from smart_qn.push.devices import UnknownCategories, known_categories
from smart_qn.push.notifications import PushNotification, PushState

blp = Blueprint("inbox", __name__, description="The push notifications a resident's device received.")

# Sending counts: the push is reaching phones as it is listed. Cancelled ones may have reached some phones
# before they stopped, but were withdrawn: not shown.
REACHED_PHONES = (PushState.SENDING, PushState.SENT, PushState.PARTLY_FAILED)
COLUMNS = (
    PushNotification.id,
    PushNotification.title_vi,
    PushNotification.body_vi,
    PushNotification.title_en,
    PushNotification.body_en,
    PushNotification.urgency,
    PushNotification.notice_id,
    PushNotification.audience_unit_ids,
    PushNotification.audience_categories,
    PushNotification.sending_started_at,
)


@blp.route("")
class Inbox(MethodView):
    @blp.arguments(InboxArgs(), location="query", unknown=RAISE)
    @blp.response(200, InboxPageSchema)
    def get(self, args):
        """List the push notifications that reached a device of this unit and categories, newest first

        The pushes of the last days (30 by default) that went out to the whole province, to the unit or a
        unit above it (a commune's device also got its district's pushes), and, for pushes to chosen
        categories, to one of the categories given. Each is in the language asked for, falling back to
        Vietnamese as the phone received it.
        """
        unit = resolve_unit(args["unit"], units_as_of(args))
        try:
            categories = set(known_categories(args.get("categories", [])))
        except UnknownCategories as error:
            unknown(
                "categories",
                _("Unknown %(field)s: %(value)s.", field="categories", value=", ".join(error.slugs)),
            )
        now = utcnow()
        window = select(*COLUMNS).where(
            PushNotification.state.in_(REACHED_PHONES),
            PushNotification.sending_started_at >= now - timedelta(days=current_app.config["INBOX_DAYS"]),
        )
        lineage = {ancestor.id for ancestor in unit.lineage()}
        reached = [
            row
            for row in db.session.execute(
                window.order_by(PushNotification.sending_started_at.desc(), PushNotification.id.desc())
            )
            if _reached(row, lineage, categories)
        ]
        page, page_size = args["page"], args.get("page_size") or current_app.config["PAGE_SIZE_DEFAULT"]
        rows = reached[(page - 1) * page_size : page * page_size]
        return json_response(
            {
                "items": _present(rows, current_language(), now),
                "pagination": {
                    "page": page,
                    "page_size": page_size,
                    "total": len(reached),
                    "total_pages": math.ceil(len(reached) / page_size),
                },
            }
        )


def _reached(push, lineage: set[int], categories: set[str]) -> bool:
    """Whether a device in the unit whose lineage (its id and its ancestors') is given, following
    `categories`, was in the push's audience: no units is the whole province; no categories is everyone."""
    for_unit = not push.audience_unit_ids or bool(lineage.intersection(push.audience_unit_ids))
    for_categories = not push.audience_categories or bool(categories.intersection(push.audience_categories))
    return for_unit and for_categories


def _present(rows, lang: str, now) -> list[dict]:
    linked = {row.notice_id for row in rows if row.notice_id is not None}
    live = set(db.session.scalars(select(Notice.id).where(Notice.id.in_(linked), Notice.live(now))))
    presented = []
    for row in rows:
        # As delivery chose it: English only when the push has both an English title and body.
        english = lang == "en" and row.title_en and row.body_en
        presented.append(
            {
                "id": row.id,
                "language": "en" if english else "vi",
                "title": row.title_en if english else row.title_vi,
                "body": row.body_en if english else row.body_vi,
                "urgency": Urgency(row.urgency).value,
                "sent_at": row.sending_started_at,
                "notice_id": row.notice_id if row.notice_id in live else None,
            }
        )
    return presented
