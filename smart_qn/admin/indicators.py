"""Indicator definitions in the admin: the list, and the form that creates or changes one.

Members see the indicators their organizations own or report; administrators all of them. Administrators
and the owning organization's approvers change a definition; only administrators choose its owner and its
reporters. Figures are entered on the grid (smart_qn.admin.indicator_values); a definition whose figures
would no longer fit (another frequency, a level dropped) is refused while figures exist.
"""

import re
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import exists, or_, select, true
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from smart_qn.accounts import audit
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import Role, User
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.admin.services import category_choices, organization_name
from smart_qn.content.categories import Category
from smart_qn.content.indicators import (
    Direction,
    Indicator,
    IndicatorReporter,
    IndicatorTarget,
    IndicatorValue,
)
from smart_qn.content.periods import Frequency, Period, PeriodError
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel
from smart_qn.reporting.assignments import default_reporters
from smart_qn.reporting.values import frequency_label, parse_number

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_.\-]{0,59}$"
# Blank rows the form offers for new per-period targets (more after saving: no script needed).
BLANK_TARGET_ROWS = 3
LEVEL_LABELS = {
    UnitLevel.PROVINCE: _l("Province"),
    UnitLevel.DISTRICT: _l("Districts"),
    UnitLevel.COMMUNE: _l("Communes"),
}
DIRECTION_LABELS = {
    Direction.HIGHER_BETTER: _l("Higher is better"),
    Direction.LOWER_BETTER: _l("Lower is better"),
    Direction.NEUTRAL: _l("Neither"),
}
# What an audit row compares; targets and reporters are added as plain lists.
AUDITED_FIELDS = (
    "code",
    "name_vi",
    "name_en",
    "measure_unit",
    "description_vi",
    "description_en",
    "method_vi",
    "method_en",
    "category_id",
    "organization_id",
    "frequency",
    "levels",
    "direction",
    "target",
    "minimum",
    "maximum",
    "grace_days",
    "key",
)
_TARGET_FIELD = re.compile(r"^target-(\d+)-period$")


def _optional_id(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


class IndicatorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            InputRequired(),
            Regexp(CODE_PATTERN, message=_l("Capital letters, digits and _ . - only, e.g. GRDP_GROWTH.")),
        ],
    )
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[InputRequired(), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=300)])
    measure_unit = StringField(
        _l("Unit of measure"), validators=[InputRequired(), Length(max=60)], description=_l("e.g. %, tỷ đồng")
    )
    description_vi = TextAreaField(_l("Description (Vietnamese)"))
    description_en = TextAreaField(_l("Description (English)"))
    method_vi = TextAreaField(_l("How it is computed (Vietnamese)"))
    method_en = TextAreaField(_l("How it is computed (English)"))
    category_id = SelectField(_l("Category"), coerce=_optional_id, validators=[InputRequired()])
    # Checked against the organizations the user may choose (`_chosen_owner`), also when the field is
    # not shown.
    organization_id = SelectField(_l("Owning organization"), coerce=_optional_id, validate_choice=False)
    frequency = SelectField(
        _l("Frequency"),
        choices=(),
        validators=[InputRequired()],
    )
    levels = SelectMultipleField(
        _l("Reported for"),
        choices=[SelectChoice(int(level), label) for level, label in LEVEL_LABELS.items()],
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validators=[InputRequired(message=_l("Choose at least one level."))],
    )
    direction = SelectField(
        _l("Direction"),
        choices=[SelectChoice(direction.value, label) for direction, label in DIRECTION_LABELS.items()],
    )
    target = StringField(_l("Standing target"))
    minimum = StringField(_l("Smallest plausible value"))
    maximum = StringField(_l("Largest plausible value"))
    grace_days = IntegerField(
        _l("Days of grace after a period"),
        validators=[Optional(), NumberRange(min=0, max=366)],
        description=_l("Empty: the usual delay for the frequency."),
    )
    key = BooleanField(_l("Key indicator (shown first)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The labels are lazy strings: choices built at class level would freeze the first language.
        self.frequency.choices = [SelectChoice(item.value, frequency_label(item)) for item in Frequency]


def _number_or_none(form: IndicatorForm, name: str) -> Decimal | None:
    field = getattr(form, name)
    if not (field.data or "").strip():
        return None
    try:
        return parse_number(field.data)
    except ValueError as error:
        field.errors = [*field.errors, str(error)]
        return None


def visible_indicators(user: User):
    """A WHERE clause: the indicators `user`'s organizations own or report (all for administrators)."""
    if user.is_admin:
        return true()
    organization_ids = user.organization_ids
    return or_(
        Indicator.organization_id.in_(organization_ids),
        Indicator.id.in_(
            select(IndicatorReporter.indicator_id).where(
                IndicatorReporter.organization_id.in_(organization_ids)
            )
        ),
    )


def indicator_or_404(code: str) -> Indicator:
    """The indicator, if the signed-in user's organizations own or report it (404 otherwise, so that its
    existence is not learnt)."""
    user = signed_in_user()
    indicator = db.session.scalar(select(Indicator).where(Indicator.code == code, visible_indicators(user)))
    return indicator or abort(404)


def may_edit_definition(user: User, indicator: Indicator) -> bool:
    return user.is_admin or user.role_in(indicator.organization_id) is Role.APPROVER


def _owner_choices(user: User) -> list[Organization]:
    """The organizations that may own an indicator `user` creates: those they approve for, or any."""
    query = select(Organization).order_by(Organization.name_vi)
    if not user.is_admin:
        approving = [m.organization_id for m in user.memberships if m.role is Role.APPROVER]
        query = query.where(Organization.id.in_(approving))
    return list(db.session.scalars(query))


def _has_figures(indicator: Indicator, levels: set[int] | None = None) -> bool:
    query = select(IndicatorValue.id).where(IndicatorValue.indicator_id == indicator.id)
    if levels is not None:
        query = query.join(AdminUnit, AdminUnit.id == IndicatorValue.admin_unit_id).where(
            AdminUnit.level.in_(levels)
        )
    return bool(db.session.scalar(select(exists(query))))


def _submitted_targets(
    indicator_frequency: str | None,
) -> tuple[list[dict], dict[int, str], dict[str, Decimal]]:
    """The per-period target rows as typed, the message of each bad row, and the good ones by period."""
    rows, problems, targets = [], {}, {}
    indexes = sorted(int(match[1]) for name in request.form if (match := _TARGET_FIELD.match(name)))
    for index in indexes:
        period_text = request.form.get(f"target-{index}-period", "").strip()
        value_text = request.form.get(f"target-{index}-value", "").strip()
        removed = bool(request.form.get(f"target-{index}-remove"))
        rows.append({"period": period_text, "value": value_text, "remove": removed})
        if removed or not (period_text or value_text):
            continue
        try:
            period = Period.parse(period_text)
        except PeriodError:
            problems[len(rows) - 1] = _(
                "Not a period: %(text)s. Write 2024, 2024-Q3 or 2024-09.", text=period_text
            )
            continue
        if indicator_frequency and period.frequency.value != indicator_frequency:
            problems[len(rows) - 1] = _(
                "%(period)s is not a period of this indicator's frequency.", period=str(period)
            )
            continue
        if str(period) in targets:
            problems[len(rows) - 1] = _("%(period)s is given twice.", period=str(period))
            continue
        try:
            targets[str(period)] = parse_number(value_text)
        except ValueError as error:
            problems[len(rows) - 1] = str(error)
    return rows, problems, targets


def _submitted_reporters(organizations: list[Organization]) -> dict[int, list[int]]:
    known_levels = {str(int(level)) for level in UnitLevel}
    chosen = {}
    for organization in organizations:
        typed = request.form.getlist(f"reporter-{organization.id}")
        if levels := sorted({int(level) for level in typed if level in known_levels}):
            chosen[organization.id] = levels
    return chosen


def _reporter_levels(reporters: list[IndicatorReporter]) -> dict[int, list[int]]:
    return {reporter.organization.id: sorted(reporter.levels) for reporter in reporters}


def _audit_state(indicator: Indicator) -> dict[str, Any]:
    return audit.snapshot(indicator, AUDITED_FIELDS) | {
        # As typed rather than as stored (12.5, not 12.5000), so that an unchanged number compares equal.
        **{name: _plain(getattr(indicator, name)) for name in ("target", "minimum", "maximum")},
        "targets": {target.period: _plain(target.value) for target in indicator.period_targets},
        "reporters": {
            str(reporter.organization_id): sorted(reporter.levels) for reporter in indicator.reporters
        },
    }


def _plain(number: Decimal | None) -> str | None:
    return None if number is None else format(number.normalize(), "f")


@bp.route("/indicators")
def indicators():
    user = signed_in_user()
    filters = {
        "organization": request.args.get("organization", type=int),
        "category": request.args.get("category", type=int),
        "frequency": request.args.get("frequency") or "",
    }
    query = select(Indicator).where(visible_indicators(user)).order_by(Indicator.position, Indicator.code)
    if filters["organization"] is not None:
        query = query.where(
            or_(
                Indicator.organization_id == filters["organization"],
                Indicator.id.in_(
                    select(IndicatorReporter.indicator_id).where(
                        IndicatorReporter.organization_id == filters["organization"]
                    )
                ),
            )
        )
    if filters["category"] is not None:
        query = query.where(Indicator.category_id == filters["category"])
    if filters["frequency"] in {frequency.value for frequency in Frequency}:
        query = query.where(Indicator.frequency == filters["frequency"])
    organizations = select(Organization).order_by(Organization.name_vi)
    if not user.is_admin:
        organizations = organizations.where(Organization.id.in_(user.organization_ids))
    return render_template(
        "admin/indicators.html",
        indicators=db.session.scalars(query).all(),
        filters=filters,
        organizations=db.session.scalars(organizations).all(),
        categories=db.session.scalars(select(Category).order_by(Category.position, Category.id)).all(),
        frequencies=list(Frequency),
        may_create=bool(_owner_choices(user)),
        may_edit=lambda indicator: may_edit_definition(user, indicator),
        **_page_helpers(),
    )


@bp.route("/indicators/new", methods=["GET", "POST"])
def new_indicator():
    user = signed_in_user()
    owners = _owner_choices(user)
    if not owners:
        abort(403)
    form = IndicatorForm(data={"levels": [UnitLevel.PROVINCE], "direction": Direction.NEUTRAL.value})
    return _indicator_form(form, None, owners)


@bp.route("/indicators/<code>/edit", methods=["GET", "POST"])
def edit_indicator(code: str):
    user = signed_in_user()
    indicator = indicator_or_404(code)
    if not may_edit_definition(user, indicator):
        abort(403)
    form = IndicatorForm(data=_form_values(indicator))
    owners = _owner_choices(user) if user.is_admin else [indicator.organization]
    return _indicator_form(form, indicator, owners)


def _form_values(indicator: Indicator) -> dict[str, Any]:
    values = {name: getattr(indicator, name) for name in AUDITED_FIELDS}
    for name in ("target", "minimum", "maximum"):
        values[name] = _plain(values[name]) or ""
    values["frequency"] = indicator.frequency.value
    values["direction"] = indicator.direction.value
    return values


def _indicator_form(form: IndicatorForm, indicator: Indicator | None, owners: list[Organization]):
    user = signed_in_user()
    form.category_id.choices = category_choices()
    form.organization_id.choices = [SelectChoice(owner.id, organization_name(owner)) for owner in owners]
    all_organizations = list(db.session.scalars(select(Organization).order_by(Organization.code)))
    target_rows = (
        [{"period": target.period, "value": _plain(target.value)} for target in indicator.period_targets]
        if indicator
        else []
    )
    reporters = _reporter_levels(indicator.reporters) if indicator else {}
    target_problems: dict[int, str] = {}
    if request.method == "POST":
        form.validate()
        target_rows, target_problems, targets = _submitted_targets(form.frequency.data)
        numbers = {name: _number_or_none(form, name) for name in ("target", "minimum", "maximum")}
        if user.is_admin:
            reporters = _submitted_reporters(all_organizations)
        owner = _chosen_owner(form, owners)
        _check_definition(form, indicator, numbers)
        if request.form.get("action") == "default_reporters" and user.is_admin:
            proposal = _draft_indicator(form, owner)
            # Only a proposal, shown in the form: nothing is written until the form is saved.
            reporters = _reporter_levels(default_reporters(proposal, all_organizations))
        elif not form.errors and not target_problems:
            created = indicator is None
            before = None if created else _audit_state(indicator)
            indicator = indicator or Indicator()
            _fill(indicator, form, owner, numbers, targets)
            if created and not reporters:
                # Unless an administrator chose otherwise, a new indicator gets the usual assignment.
                indicator.reporters = default_reporters(indicator, all_organizations)
            elif user.is_admin:
                _set_reporters(indicator, reporters, all_organizations)
            db.session.add(indicator)
            db.session.flush()
            after = _audit_state(indicator)
            changed = sorted(key for key in after if before is None or before.get(key) != after[key])
            if changed:
                audit.record(
                    "indicator.created" if created else "indicator.updated",
                    actor=user,
                    object_type="indicator",
                    object_id=indicator.code,
                    organization_id=indicator.organization_id,
                    before=None if created else {key: before[key] for key in changed},
                    after={key: after[key] for key in changed},
                )
            db.session.commit()
            flash(
                _("The indicator has been saved.")
                if changed
                else _("Nothing had changed: nothing was saved."),
                "info",
            )
            return redirect(url_for("admin.edit_indicator", code=indicator.code))
    status = 422 if form.errors or target_problems else 200
    return render_template(
        "admin/indicator_form.html",
        form=form,
        indicator=indicator,
        target_rows=[*target_rows, *({"period": "", "value": ""} for _ in range(BLANK_TARGET_ROWS))],
        target_problems=target_problems,
        reporters=reporters,
        organizations=all_organizations,
        choose_owner=user.is_admin or (indicator is None and len(owners) > 1),
        may_set_reporters=user.is_admin,
        **_page_helpers(),
    ), status


def _chosen_owner(form: IndicatorForm, owners: list[Organization]) -> Organization:
    by_id = {owner.id: owner for owner in owners}
    if form.organization_id.data in by_id:
        return by_id[form.organization_id.data]
    if len(owners) > 1:
        form.organization_id.errors = [*form.organization_id.errors, _("Choose the owning organization.")]
    return owners[0]


def _check_definition(form: IndicatorForm, indicator: Indicator | None, numbers: dict[str, Decimal | None]):
    """What the field validators cannot see: the code's uniqueness, the range's order, and figures that
    would no longer fit."""
    code = (form.code.data or "").strip()
    taken = select(Indicator.id).where(Indicator.code == code)
    if indicator is not None:
        taken = taken.where(Indicator.id != indicator.id)
    if code and db.session.scalar(taken) is not None:
        form.code.errors = [
            *form.code.errors,
            _("Another indicator already has the code %(code)s.", code=code),
        ]
    if form.category_id.data is not None and db.session.get(Category, form.category_id.data) is None:
        form.category_id.errors = [*form.category_id.errors, _("Choose a category from the list.")]
    minimum, maximum = numbers["minimum"], numbers["maximum"]
    if minimum is not None and maximum is not None and minimum > maximum:
        form.maximum.errors = [*form.maximum.errors, _("The largest value is smaller than the smallest.")]
    if indicator is None:
        return
    if form.frequency.data != indicator.frequency.value and _has_figures(indicator):
        form.frequency.errors = [
            *form.frequency.errors,
            _("The indicator has figures for its periods: its frequency can no longer change."),
        ]
    dropped = set(indicator.levels) - set(form.levels.data or [])
    if dropped and _has_figures(indicator, dropped):
        form.levels.errors = [
            *form.levels.errors,
            _("The indicator has figures at a level you removed: keep it, or delete those figures first."),
        ]


def _draft_indicator(form: IndicatorForm, owner: Organization) -> Indicator:
    """An unsaved indicator with the form's levels, for proposing the usual reporters."""
    return Indicator(organization=owner, levels=sorted(form.levels.data or []))


def _fill(
    indicator: Indicator,
    form: IndicatorForm,
    owner: Organization,
    numbers: dict[str, Decimal | None],
    targets: dict[str, Decimal],
) -> None:
    for name in ("code", "name_vi", "measure_unit"):
        setattr(indicator, name, form[name].data.strip())
    for name in ("name_en", "description_vi", "description_en", "method_vi", "method_en"):
        setattr(indicator, name, (form[name].data or "").strip() or None)
    indicator.category_id = form.category_id.data
    indicator.organization = owner
    indicator.frequency = Frequency(form.frequency.data)
    indicator.levels = sorted(form.levels.data)
    indicator.direction = Direction(form.direction.data)
    indicator.target, indicator.minimum, indicator.maximum = (
        numbers["target"],
        numbers["minimum"],
        numbers["maximum"],
    )
    indicator.grace_days = form.grace_days.data
    indicator.key = form.key.data
    existing = {target.period: target for target in indicator.period_targets}
    indicator.period_targets = [
        _target(existing.get(period), period, value) for period, value in sorted(targets.items())
    ]


def _target(existing: IndicatorTarget | None, period: str, value: Decimal) -> IndicatorTarget:
    target = existing or IndicatorTarget(period=period)
    target.value = value
    return target


def _set_reporters(
    indicator: Indicator, chosen: dict[int, list[int]], organizations: list[Organization]
) -> None:
    by_id = {organization.id: organization for organization in organizations}
    existing = {reporter.organization_id: reporter for reporter in indicator.reporters}
    reporters = []
    for organization_id, levels in sorted(chosen.items()):
        reporter = existing.get(organization_id) or IndicatorReporter(organization=by_id[organization_id])
        reporter.levels = levels
        reporters.append(reporter)
    indicator.reporters = reporters


def _page_helpers() -> dict[str, Any]:
    return {
        "level_labels": LEVEL_LABELS,
        "direction_labels": DIRECTION_LABELS,
        "frequency_label": frequency_label,
        "organization_name": organization_name,
    }
