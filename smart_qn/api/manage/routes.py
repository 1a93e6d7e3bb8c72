"""The management API: organizations' own systems keep their indicator figures current with an API token.

Figures go through the one entry engine (smart_qn.reporting.values), as the admin's grid and spreadsheet
imports do: a batch is written whole or not at all, and sending it again changes nothing.
"""

from flask import current_app, g, request
from flask.views import MethodView
from flask_babel import ngettext
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smart_qn.accounts import audit
from smart_qn.accounts.api_tokens import Scope
from smart_qn.api.common import LanguageArgs, lookup, organization_ref, paginate, resolve_unit, unit_ref
from smart_qn.api.manage import auth
from smart_qn.api.manage.schemas import (
    OwnValuePageSchema,
    TokenSchema,
    UpsertResultSchema,
    ValueListArgs,
    ValuesUpsertSchema,
)
from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.extensions import limiter
from smart_qn.geography import AdminUnit
from smart_qn.i18n import current_language
from smart_qn.reporting.assignments import EntryRights
from smart_qn.reporting.values import Actor, Entry, ValueSource, apply, plan

blp = Blueprint(
    "manage",
    __name__,
    description="For organizations' own systems, with an API token: keep indicator figures current, and "
    "read the organization's own figures, drafts included. Every call is audited.",
)
UNAUTHENTICATED = "No valid API token: missing, malformed, unknown, revoked or expired."
FORBIDDEN = "The token lacks the scope this operation needs."
TOO_MANY = "Too many calls with this token: wait as `Retry-After` says."
STATUS_CONDITIONS = {
    "draft": IndicatorValue.status == ValueStatus.DRAFT,
    "published": IndicatorValue.status == ValueStatus.PUBLISHED,
    "pending": IndicatorValue.pending_value.is_not(None),
}


@blp.before_request
def _note_origin() -> None:
    audit.request_origin.set(audit.RequestOrigin(request.remote_addr, g.get("request_id")))


@blp.after_request
def _never_cached(response):
    # Private to one organization and different after every write: no shared or browser cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


def _write_rate_limit() -> str:
    return current_app.config["MANAGE_API_WRITE_RATE_LIMIT"]


def _read_rate_limit() -> str:
    return current_app.config["MANAGE_API_READ_RATE_LIMIT"]


# Per token (smart_qn.api.manage.auth.rate_limit_key), in apps that registered the limiter.
limiter.limit(_write_rate_limit, key_func=auth.rate_limit_key, methods=["PUT"], scope="manage-api-write")(blp)
limiter.limit(_read_rate_limit, key_func=auth.rate_limit_key, methods=["GET"], scope="manage-api-read")(blp)


def _documented(view):
    """The answers every operation shares, and the bearer security."""
    view = blp.alt_response(401, response="DEFAULT_ERROR", description=UNAUTHENTICATED)(view)
    view = blp.alt_response(429, response="DEFAULT_ERROR", description=TOO_MANY)(view)
    return blp.doc(security=auth.SECURITY)(view)


@blp.route("/token")
class Token(MethodView):
    @auth.call("read_token")
    @blp.arguments(LanguageArgs, location="query", unknown=RAISE)
    @blp.response(200, TokenSchema)
    @_documented
    def get(self, _args):
        """Describe the token: its organization, scopes and last day of validity"""
        token = auth.current_token()
        return {
            "name": token.name,
            "prefix": token.prefix,
            "organization": organization_ref(token.organization, current_language()),
            "scopes": token.scopes,
            "expires_on": token.expires_on,
        }


@blp.route("/indicator-values")
class IndicatorValues(MethodView):
    @auth.call("list_values", Scope.READ_VALUES)
    @blp.arguments(ValueListArgs, location="query", unknown=RAISE)
    @blp.response(200, OwnValuePageSchema)
    @blp.alt_response(403, response="DEFAULT_ERROR", description=FORBIDDEN)
    @_documented
    def get(self, args):
        """List the organization's own figures, drafts and pending corrections included

        Needs the `indicator-values:read` scope. Only the figures the token's organization reports;
        ordered by indicator, period and unit.
        """
        token = auth.current_token()
        auth.note(filters={name: str(value) for name, value in args.items() if name != "lang"})
        query = (
            select(IndicatorValue)
            .join(IndicatorValue.indicator)
            .join(IndicatorValue.admin_unit)
            .where(IndicatorValue.organization_id == token.organization_id)
            .options(selectinload(IndicatorValue.indicator), selectinload(IndicatorValue.admin_unit))
            .order_by(Indicator.code, IndicatorValue.period_start, AdminUnit.code)
        )
        if "indicator" in args:
            query = query.where(
                IndicatorValue.indicator_id == lookup(Indicator, "indicator", code=args["indicator"]).id
            )
        if "unit" in args:
            unit = resolve_unit(args["unit"], current_app.config["UNITS_AS_OF"])
            query = query.where(IndicatorValue.admin_unit_id == unit.id)
        if "period" in args:
            query = query.where(IndicatorValue.period == str(args["period"]))
        if "status" in args:
            query = query.where(STATUS_CONDITIONS[args["status"]])
        lang = current_language()

        def present_page(values: list[IndicatorValue]) -> list[dict]:
            return [present_own_value(value, lang) for value in values]

        # The count of a page is cached by its filters (api.common.count): the organization is one of them.
        return paginate(query, {**args, "organization": token.organization_id}, present_page)

    @auth.call("upsert_values", Scope.WRITE_VALUES)
    @blp.arguments(ValuesUpsertSchema)
    @blp.response(200, UpsertResultSchema)
    @blp.alt_response(403, response="DEFAULT_ERROR", description=FORBIDDEN)
    @_documented
    def put(self, body):
        """Save a batch of figures, all or none (idempotent)

        Needs the `indicator-values:write` scope, and `indicator-values:publish` with `"publish": true`.
        Each item is one figure of one indicator, unit and period; saving it again with the same value and
        note changes nothing. A correction of a published figure waits beside it until published.

        If any item is wrong, nothing is saved and the answer (422) names each wrong item by its position:
        `{"errors": {"json": {"items": {"3": {"unit": ["…"]}}}}}`.
        """
        token = auth.current_token()
        if body["publish"]:
            auth.require(Scope.PUBLISH_VALUES)
        entries = [
            Entry(
                indicator=item["indicator"],
                unit=item["unit"],
                period=item["period"],
                value=item["value"],
                note=item.get("note"),
                label=f"items[{index}]",
            )
            for index, item in enumerate(body["items"])
        ]
        positions = {entry.label: index for index, entry in enumerate(entries)}
        rights = EntryRights.of_organization(
            token.organization_id, may_publish=token.grants(Scope.PUBLISH_VALUES)
        )
        batch = plan(
            entries,
            rights,
            today=auth.province_today(),
            units_as_of=current_app.config["UNITS_AS_OF"],
            publish=body["publish"],
        )
        if not batch.ok:
            errors: dict[str, dict[str, list[str]]] = {}
            for problem in batch.problems:
                messages = errors.setdefault(str(positions[problem.entry.label]), {})
                messages.setdefault(problem.field, []).append(problem.message)
            auth.note(items=len(entries), wrong_items=len(errors))
            abort(
                422,
                message=ngettext(
                    "Nothing was saved: %(num)d item is wrong.",
                    "Nothing was saved: %(num)d items are wrong.",
                    len(errors),
                ),
                errors={"json": {"items": errors}},
            )
        counts = apply(batch, Actor(None, token.label), ValueSource.API)
        auth.note(items=len(entries), publish=body["publish"], **counts)
        return {
            "published": body["publish"],
            "counts": counts,
            "items": [
                {
                    "index": positions[change.entry.label],
                    "indicator": change.indicator.code,
                    "unit": change.unit.code,
                    "period": str(change.period),
                    "outcome": change.outcome.value,
                    "previous_value": change.previous_value,
                    "warning": change.warning,
                }
                for change in batch.changes
            ],
        }


def present_own_value(value: IndicatorValue, lang: str) -> dict:
    return {
        "indicator": value.indicator.code,
        "unit": unit_ref(value.admin_unit, lang),
        "period": value.period,
        "status": value.status.value,
        "value": value.value,
        "note": value.note,
        "pending_value": value.pending_value,
        "pending_note": value.pending_note,
        "published_at": value.published_at,
        "updated_at": value.updated_at,
    }
