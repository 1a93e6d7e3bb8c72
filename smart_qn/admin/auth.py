"""Signing in and out: password, then the second factor (set up at the first sign-in where it is
required), then a new server-side session."""

import time
from urllib.parse import urlsplit

import segno
from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from smart_qn.accounts import audit, two_factor
from smart_qn.accounts.login import Outcome, check_password, check_second_factor, complete_sign_in
from smart_qn.accounts.sessions import end_session
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import public
from smart_qn.extensions import db

# How long a correct password waits for its second factor.
PENDING_SECONDS = 300


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if target and target.startswith("/admin") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("admin.dashboard")


def _pending_user() -> User | None:
    user_id, since = session.get("pending_user_id"), session.get("pending_since", 0)
    if user_id is None or time.time() - since > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def _sign_in(user: User):
    token = complete_sign_in(user, ip_address=request.remote_addr, user_agent=request.user_agent.string)
    next_page = session.get("next")
    # A new session and a new CSRF token: nothing from before sign-in carries over (session fixation).
    session.clear()
    session["token"] = token
    db.session.commit()
    return _safe_next(next_page)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if g.user is not None:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    if request.method == "GET":
        if request.args.get("expired"):
            flash(_("Your session has ended. Please sign in again."), "info")
        session["next"] = request.args.get("next")
    if form.validate_on_submit():
        attempt = check_password(form.email.data, form.password.data)
        db.session.commit()  # failed attempts and lockouts are recorded even though sign-in fails
        if attempt.outcome is Outcome.LOCKED:
            form.form_errors.append(_("Too many failed attempts: this account is locked for a while."))
        elif attempt.outcome is Outcome.INVALID:
            form.form_errors.append(_("Wrong e-mail address or password."))
        elif attempt.user.needs_second_factor:
            session["pending_user_id"] = attempt.user.id
            session["pending_since"] = time.time()
            if attempt.user.totp_secret is None:
                return redirect(url_for("admin.enroll_second_factor"))
            return redirect(url_for("admin.second_factor"))
        else:
            return redirect(_sign_in(attempt.user))
    status = 200 if not form.errors and not form.form_errors else 422
    return render_template("admin/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@public
def second_factor():
    user = _pending_user()
    if user is None or user.totp_secret is None:
        return redirect(url_for("admin.login"))
    form = CodeForm()
    if form.validate_on_submit():
        attempt = check_second_factor(user, form.code.data)
        db.session.commit()
        if attempt.outcome is Outcome.OK:
            return redirect(_sign_in(user))
        if attempt.outcome is Outcome.LOCKED:
            session.pop("pending_user_id", None)
            flash(_("Too many failed attempts: this account is locked for a while."), "error")
            return redirect(url_for("admin.login"))
        form.code.errors.append(_("This code is not valid. Try the current one, or a recovery code."))
    return render_template("admin/second_factor.html", form=form), 422 if form.errors else 200


@bp.route("/account/two-factor", methods=["GET", "POST"])
@public  # reached half signed in (password checked) or signed in; checked below
def enroll_second_factor():
    user = g.user or _pending_user()
    if user is None:
        return redirect(url_for("admin.login"))
    if user.totp_secret is not None and g.user is None:
        return redirect(url_for("admin.second_factor"))
    secret = session.get("enrolling_secret") or two_factor.new_secret()
    session["enrolling_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        codes = two_factor.enroll(user, secret, form.code.data)
        if codes is None:
            form.code.errors.append(_("This code is not valid. Check the time on your phone and try again."))
        else:
            session.pop("enrolling_secret", None)
            audit.record("user.two_factor_enabled", actor=user, object_type="user", object_id=user.id)
            if g.user is None:
                _sign_in(user)
            else:
                db.session.commit()
            return render_template("admin/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, title=_("QR code"))
    return render_template(
        "admin/enroll.html", form=form, secret=secret, uri=uri, qr_svg=qr_svg
    ), 422 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    user_session = g.user_session
    if user_session is None:
        abort(401)
    end_session(user_session)
    audit.record("logout", actor=user_session.user, object_type="user", object_id=user_session.user_id)
    db.session.commit()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("admin.login"))
