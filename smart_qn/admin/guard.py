"""The admin's one door: who is signed in, and nothing is served to anyone who is not.

`require_sign_in` runs before every request to the blueprint. Views that must work without a session
(the sign-in pages) are marked `@public`; everything else, including views added later by anyone, is
guarded without having to remember it. `tests/admin/test_guard.py` fails if a route slips through.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for

from smart_qn.accounts import audit
from smart_qn.accounts.sessions import SessionLimits, resume_session
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.extensions import csrf, db
from smart_qn.i18n import LANGUAGE_COOKIE

_PUBLIC = "_admin_public"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Endpoints a signed-in user who still has to set up two-factor sign-in may reach.
_ENROLMENT_ENDPOINTS = frozenset({"admin.enroll_second_factor", "admin.logout"})


def public(view: Callable) -> Callable:
    """Mark a view as reachable without signing in."""
    setattr(view, _PUBLIC, True)
    return view


def is_public(endpoint: str | None) -> bool:
    if endpoint == "admin.static":
        return True
    view = current_app.view_functions.get(endpoint or "")
    return bool(view and getattr(view, _PUBLIC, False))


def session_limits() -> SessionLimits:
    config = current_app.config
    return SessionLimits(
        idle=timedelta(minutes=config["ADMIN_SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["ADMIN_SESSION_MAX_HOURS"]),
    )


def current_user() -> User | None:
    return g.get("user")


def signed_in_user() -> User:
    """The signed-in user of a guarded view (the guard has made sure there is one)."""
    user = g.get("user")
    if user is None:
        abort(401)
    return user


@bp.before_request
def require_sign_in():
    audit.request_origin.set(audit.RequestOrigin(request.remote_addr, g.get("request_id")))
    if request.method not in SAFE_METHODS:
        csrf.protect()
    user_session = resume_session(session.get("token"), session_limits())
    db.session.commit()  # the renewed last-seen time, or the end of a timed-out session
    g.user_session = user_session
    g.user = user_session.user if user_session else None
    if is_public(request.endpoint):
        return None
    if g.user is None:
        had_session = "token" in session
        session.pop("token", None)
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("admin.login", next=target, expired=1 if had_session else None))
    must_enrol = g.user.needs_second_factor and g.user.totp_secret is None
    if must_enrol and request.endpoint not in _ENROLMENT_ENDPOINTS:
        return redirect(url_for("admin.enroll_second_factor"))
    return None


@bp.after_request
def admin_response_headers(response):
    # Pages for signed-in staff: never stored by a browser or proxy, never framed. A view may set its own
    # caching and policy (attachments: a private copy, revalidated; a stricter policy).
    if request.endpoint != "admin.static":
        response.headers.setdefault("Cache-Control", "no-store")
    if (language := request.args.get("lang")) in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    return response


def admin_only(view: Callable) -> Callable:
    """For views of the `admin` role (users, the audit log)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not signed_in_user().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def communicator_only(view: Callable) -> Callable:
    """For views of the `communicator` role, which administrators also have (push notifications)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        user = signed_in_user()
        if not (user.is_communicator or user.is_admin):
            abort(403)
        return view(*args, **kwargs)

    return guarded
