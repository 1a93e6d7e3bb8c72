from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from itsdangerous import BadSignature, URLSafeSerializer
from marshmallow import RAISE

from smart_qn.api.indicators.routes import present_indicator
from smart_qn.api.notices.routes import present_notices
from smart_qn.api.services.routes import present_service
from smart_qn.api.sync.schemas import SyncArgs, SyncPageSchema
from smart_qn.content.indicators import latest_values
from smart_qn.content.sync import Change, ItemKind, Position, changes_between, current_items
from smart_qn.dbtypes import utcnow
from smart_qn.geography import province_on
from smart_qn.i18n import current_language
from smart_qn.localtime import province_today
from smart_qn.reporting.trends import previous_values

blp = Blueprint(
    "sync", __name__, description="Delta sync for the app: changes and tombstones since a cursor."
)

# A write commits a moment after it stamps `updated_at`: describe the past only, so none is missed.
COMMIT_GRACE = timedelta(seconds=2)


@dataclass(frozen=True)
class Cursor:
    since: datetime | None  # None: a first sync of everything
    until: datetime | None  # set while paging through one sync
    after: Position | None  # the last item already sent in this sync


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="smart-qn-sync-cursor")


def encode(cursor: Cursor) -> str:
    after = cursor.after
    return _serializer().dumps(
        {
            "since": cursor.since.isoformat() if cursor.since else None,
            "until": cursor.until.isoformat() if cursor.until else None,
            "after": [after.changed_at.isoformat(), after.kind, after.sort_key] if after else None,
        }
    )


def decode(token: str) -> Cursor:
    try:
        data = _serializer().loads(token)
        after = data["after"]
        return Cursor(
            since=datetime.fromisoformat(data["since"]) if data["since"] else None,
            until=datetime.fromisoformat(data["until"]) if data["until"] else None,
            after=Position(datetime.fromisoformat(after[0]), after[1], after[2]) if after else None,
        )
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        abort(
            400,
            message=_("Malformed sync cursor: sync again without one."),
            errors={"query": {"since": ["Malformed."]}},
        )


def present(changes: list[Change], lang: str) -> list[dict]:
    indicators = [change.item for change in changes if change.kind is ItemKind.INDICATOR and change.item]
    province = province_on(current_app.config["UNITS_AS_OF"])
    latest = latest_values([indicator.id for indicator in indicators], [province.id])
    previous, today = previous_values(list(latest.values())), province_today()
    notices = [change.item for change in changes if change.kind is ItemKind.NOTICE and change.item]
    presented_notices = dict(zip(notices, present_notices(notices, lang, detail=True), strict=True))
    presenters = {
        ItemKind.NOTICE: presented_notices.__getitem__,
        ItemKind.SERVICE: lambda service: present_service(service, lang),
        ItemKind.INDICATOR: lambda indicator: present_indicator(
            indicator,
            lang,
            latest.get((indicator.id, province.id)),
            previous.get((indicator.id, province.id)),
            today=today,
        ),
    }
    return [
        {
            "kind": change.kind.value,
            "id": change.key,
            "deleted": change.item is None,
            "changed_at": change.position.changed_at,
            change.kind.value: presenters[change.kind](change.item) if change.item else None,
        }
        for change in changes
    ]


@blp.route("")
class Sync(MethodView):
    @blp.arguments(SyncArgs, location="query", unknown=RAISE)
    @blp.response(200, SyncPageSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed cursor: sync again without one.")
    @blp.alt_response(410, response="GONE", description="Cursor too old: sync again without one.")
    def get(self, args):
        """Get everything that changed since a cursor, withdrawals as tombstones

        Without `since`, the full current set. Pages end with `has_more`; keep calling with the returned
        `cursor` until it is false, then keep that cursor for the next sync. A notice that expires or
        is unpublished, and anything deleted, comes back as a tombstone (`deleted: true`).
        """
        now = utcnow()
        cursor = decode(args["since"]) if "since" in args else Cursor(None, None, None)
        if cursor.since and cursor.since < now - timedelta(days=current_app.config["SYNC_MAX_AGE_DAYS"]):
            abort(410, message=_("This sync cursor is too old: sync again without one."))
        until = cursor.until or now - COMMIT_GRACE
        changes = current_items(until) if cursor.since is None else changes_between(cursor.since, until)
        if cursor.after:
            changes = [change for change in changes if change.position > cursor.after]
        page, has_more = changes[: args["limit"]], len(changes) > args["limit"]
        following = Cursor(cursor.since, until, page[-1].position) if has_more else Cursor(until, None, None)
        return {
            "items": present(page, current_language()),
            "cursor": encode(following),
            "has_more": has_more,
            "until": until,
        }
