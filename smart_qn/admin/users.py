"""Account administration (admins only): users, their global roles, memberships, locks and second factor."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from smart_qn.accounts import management
from smart_qn.accounts.login import unlock
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.passwords import password_problems
from smart_qn.accounts.two_factor import remaining_recovery_codes
from smart_qn.accounts.users import Role, User
from smart_qn.admin import bp, role_label
from smart_qn.admin.guard import admin_only, signed_in_user
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db

ACCOUNT_ERRORS = {
    "email": _l("Another account already uses this e-mail address."),
    "last_admin": _l("This is the last active administrator: make someone else an administrator first."),
}


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    is_admin = BooleanField(_l("Administrator (users, organizations, everything)"))
    is_communicator = BooleanField(_l("Communicator (push notifications)"))
    active = BooleanField(_l("Active"), default=True)


def follow_password_rules(field, *, email: str, display_name: str) -> None:
    """The password rules (smart_qn.accounts.passwords) as a field's errors."""
    field.errors.extend(password_problems(field.data or "", email=email, display_name=display_name))


class NewUserForm(UserForm):
    password = PasswordField(_l("Initial password"), validators=[DataRequired()])

    def validate_password(self, field):
        follow_password_rules(field, email=self.email.data or "", display_name=self.display_name.data or "")


class PasswordForm(FlaskForm):
    """A new password for an existing account, whose address and name it must not resemble."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])

    def __init__(self, account: User, **kwargs):
        super().__init__(**kwargs)
        self.account = account

    def validate_password(self, field):
        follow_password_rules(field, email=self.account.email, display_name=self.account.display_name)


class MembershipForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=int, validators=[DataRequired()])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("editor", _l("Editor")),
            SelectChoice("approver", _l("Approver")),
            SelectChoice("", _l("No membership")),
        ],
    )


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _organization_choices() -> list[SelectChoice]:
    return [
        SelectChoice(organization.id, f"{organization.name_vi} ({organization.code})")
        for organization in db.session.scalars(select(Organization).order_by(Organization.name_vi))
    ]


@bp.route("/users")
@admin_only
def users():
    listed = db.session.scalars(select(User).order_by(User.display_name)).all()
    return render_template("admin/users.html", users=listed, now=utcnow())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = management.create_user(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                is_admin=form.is_admin.data,
                is_communicator=form.is_communicator.data,
                by=signed_in_user(),
            )
        except management.AccountError as error:
            db.session.rollback()
            form.email.errors.append(ACCOUNT_ERRORS[str(error)])
        else:
            db.session.commit()
            flash(_("The account has been created."), "info")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_new.html", form=form), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    membership_form = MembershipForm(prefix="membership")
    membership_form.organization_id.choices = _organization_choices()
    password_form = PasswordForm(user, prefix="password")
    if form.validate_on_submit():
        try:
            management.update_user(
                user,
                by=signed_in_user(),
                email=form.email.data,
                display_name=form.display_name.data,
                is_admin=form.is_admin.data,
                is_communicator=form.is_communicator.data,
                active=form.active.data,
            )
        except management.AccountError as error:
            db.session.rollback()
            field = form.email if str(error) == "email" else form.is_admin
            field.errors.append(ACCOUNT_ERRORS[str(error)])
        else:
            db.session.commit()
            flash(_("The account has been saved."), "info")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        membership_form=membership_form,
        password_form=password_form,
        recovery_codes_left=remaining_recovery_codes(user),
        role_label=role_label,
        now=utcnow(),
    ), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/membership", methods=["POST"])
@admin_only
def set_membership(user_id: int):
    user = _user_or_404(user_id)
    form = MembershipForm(prefix="membership")
    form.organization_id.choices = _organization_choices()
    if form.validate_on_submit():
        role = Role(form.role.data) if form.role.data else None
        management.set_membership(user, form.organization_id.data, role, by=signed_in_user())
        db.session.commit()
        flash(_("The membership has been saved."), "info")
    else:
        flash(_("Choose an organization and a role."), "error")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@admin_only
def unlock_user(user_id: int):
    user = _user_or_404(user_id)
    unlock(user, by=signed_in_user())
    db.session.commit()
    flash(_("The account has been unlocked."), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@admin_only
def reset_two_factor(user_id: int):
    user = _user_or_404(user_id)
    management.reset_second_factor(user, by=signed_in_user())
    db.session.commit()
    flash(_("Two-factor sign-in has been reset: the user sets it up again at the next sign-in."), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_only
def set_password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordForm(user, prefix="password")
    if not form.validate_on_submit():
        for problem in form.password.errors:
            flash(problem, "error")
    else:
        management.set_password(user, form.password.data, by=signed_in_user())
        db.session.commit()
        flash(_("The password has been changed and the user's sessions ended."), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))
