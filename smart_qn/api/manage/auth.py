"""Who calls the management API: the bearer token and its scopes, the key of the per-token rate limits,
and the audit row that every call leaves, refused ones included (without the secret)."""

from collections.abc import Callable
from functools import wraps

from flask import g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import abort
from werkzeug.exceptions import HTTPException

from smart_qn.accounts import api_tokens, audit
from smart_qn.accounts.api_tokens import ApiToken, Refusal, Scope, TokenRefused
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.localtime import province_today

SECURITY_SCHEME_NAME = "bearerAuth"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API token (`sqn_…`), created by an administrator for one organization.",
}
SECURITY = [{SECURITY_SCHEME_NAME: []}]


def presented_token() -> str | None:
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def _verification() -> ApiToken | TokenRefused | None:
    """The request's token, or why it is refused (None: none was sent); worked out once per request,
    since the rate limiter asks before the view does."""
    if "manage_api_verification" not in g:
        text = presented_token()
        try:
            g.manage_api_verification = (
                None if text is None else api_tokens.verify(text, today=province_today())
            )
        except TokenRefused as refusal:
            g.manage_api_verification = refusal
    return g.manage_api_verification


def rate_limit_key() -> str:
    """Limits count per token; requests without a valid one count against their address."""
    verification = _verification()
    if isinstance(verification, ApiToken):
        return f"api-token:{verification.id}"
    return f"address:{get_remote_address()}"


def note(**details) -> None:
    """Add `details` (counts, filters) to the audit row of this call."""
    g.manage_api_details = {**g.get("manage_api_details", {}), **details}


def current_token() -> ApiToken:
    """The token of the call being served (the `call` decorator has checked it)."""
    return g.manage_api_token


def require(scope: Scope) -> None:
    token = current_token()
    if not token.grants(scope):
        abort(
            403,
            message=_("This API token lacks the scope %(scope)s.", scope=scope.value),
        )


def call(operation: str, scope: Scope | None = None) -> Callable:
    """Serve a management API operation: only with a valid token that has `scope`, and with one audit
    row `manage_api.<operation>`, whatever the outcome. What a view wrote is rolled back when it fails."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def served(*args, **kwargs):
            token = _signed_in(operation)
            g.manage_api_token = token
            try:
                if scope is not None:
                    require(scope)
                response = view(*args, **kwargs)
            except HTTPException as error:
                db.session.rollback()
                _record(token, operation, error.code)
                raise
            _record(token, operation, response.status_code)
            return response

        return served

    return decorate


def _record(token: ApiToken, operation: str, status: int) -> None:
    now = utcnow()
    api_tokens.note_use(token, now)
    audit.record(
        f"manage_api.{operation}",
        actor=None,
        actor_label=token.label,
        object_type="api_token",
        object_id=token.id,
        organization_id=token.organization_id,
        after={**g.get("manage_api_details", {}), "status": status},
    )
    db.session.commit()


_REFUSALS = {
    Refusal.MALFORMED: lambda _token: _("This is not an API token: they look like sqn_…"),
    Refusal.UNKNOWN: lambda _token: _("Unknown API token."),
    Refusal.REVOKED: lambda _token: _("This API token has been revoked."),
    Refusal.EXPIRED: lambda token: _(
        "This API token expired after %(date)s.", date=token.expires_on.isoformat()
    ),
}


def _signed_in(operation: str) -> ApiToken:
    verification = _verification()
    if isinstance(verification, ApiToken):
        return verification
    if verification is None:
        reason, message, token, prefix = (
            "missing",
            _("Send an API token as “Authorization: Bearer <token>”."),
            None,
            None,
        )
    else:
        reason, token, prefix = verification.reason.value, verification.token, verification.prefix
        message = _REFUSALS[verification.reason](token)
    audit.record(
        "manage_api.refused",
        actor=None,
        actor_label=token.label if token else prefix,
        object_type="api_token" if token else None,
        object_id=token.id if token else None,
        organization_id=token.organization_id if token else None,
        after={"operation": operation, "reason": reason},
    )
    db.session.commit()
    challenge = "Bearer" if verification is None else 'Bearer error="invalid_token"'
    abort(401, message=message, headers={"WWW-Authenticate": challenge})
