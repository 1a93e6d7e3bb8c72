"""API tokens in the admin (administrators only): the list, the creation form, the page that shows a new
token once, and revocation."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from smart_qn.accounts import api_tokens as tokens
from smart_qn.accounts.api_tokens import ApiToken, Scope
from smart_qn.accounts.organizations import Organization
from smart_qn.admin import bp
from smart_qn.admin.guard import admin_only, signed_in_user
from smart_qn.extensions import db
from smart_qn.localtime import province_zone

SCOPE_LABELS = {
    Scope.READ_VALUES: _l("Read the organization's figures, drafts included"),
    Scope.WRITE_VALUES: _l("Save figures as drafts"),
    Scope.PUBLISH_VALUES: _l("Publish figures"),
}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApiTokenForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=int)
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=tokens.NAME_LENGTH)],
        description=_l("The system that will use it, e.g. the health statistics database."),
    )
    scopes = CheckboxesField(
        _l("What it may do"),
        choices=[
            SelectChoice(scope.value, f"{label} ({scope.value})") for scope, label in SCOPE_LABELS.items()
        ],
        validators=[DataRequired(message=_l("Choose at least one scope."))],
    )
    expires_on = DateField(
        _l("Last day of validity"),
        validators=[Optional()],
        description=_l("Leave empty for a token valid until revoked."),
    )

    def validate_expires_on(self, field):
        if field.data and field.data < datetime.now(province_zone()).date():
            raise ValidationError(_("Must not be in the past."))


@bp.route("/api-tokens")
@admin_only
def api_tokens():
    listed = db.session.scalars(
        select(ApiToken)
        .options(
            selectinload(ApiToken.organization),
            selectinload(ApiToken.created_by),
            selectinload(ApiToken.revoked_by),
        )
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    return render_template("admin/api_tokens.html", tokens=listed, today=datetime.now(province_zone()).date())


@bp.route("/api-tokens/new", methods=["GET", "POST"])
@admin_only
def new_api_token():
    form = ApiTokenForm()
    form.organization_id.choices = [
        SelectChoice(organization.id, f"{organization.name_vi} ({organization.code})")
        for organization in db.session.scalars(select(Organization).order_by(Organization.name_vi))
    ]
    if form.validate_on_submit():
        created = tokens.create(
            organization=db.session.get(Organization, form.organization_id.data),
            name=form.name.data,
            scopes=[Scope(value) for value in form.scopes.data],
            expires_on=form.expires_on.data,
            by=signed_in_user(),
        )
        db.session.commit()
        # Shown in this answer only (never stored, never in a redirect or a flashed message).
        return render_template("admin/api_token_created.html", token=created.token, text=created.text)
    return render_template("admin/api_token_new.html", form=form), 422 if form.errors else 200


@bp.route("/api-tokens/<int:api_token_id>/revoke", methods=["POST"])
@admin_only
def revoke_api_token(api_token_id: int):
    token = db.session.get(ApiToken, api_token_id)
    if token is None:
        abort(404)
    if tokens.revoke(token, by=signed_in_user()):
        db.session.commit()
        flash(_("The token %(name)s has been revoked: it is refused from now on.", name=token.name), "info")
    else:
        flash(_("The token %(name)s was already revoked.", name=token.name), "info")
    return redirect(url_for("admin.api_tokens"))
