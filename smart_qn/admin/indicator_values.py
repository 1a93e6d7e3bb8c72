"""Entering an indicator's figures in the admin: a grid of the last periods × the units the user reports,
and each figure's history with its discard and unpublish buttons.

The grid posts only the cells that changed, and smart_qn.reporting.values decides everything: a batch
with a single problem is refused whole (422, the grid shown again as typed, each message beside its
cell); otherwise it is written and its plausibility warnings are listed. A figure whose draft belongs to
another organization is shown as residents see it, or not at all.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.admin.indicators import LEVEL_LABELS, indicator_or_404, may_edit_definition
from smart_qn.admin.services import organization_name
from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency, Period, PeriodError
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, unit_on
from smart_qn.i18n import current_language
from smart_qn.localtime import province_today
from smart_qn.reporting import values as engine
from smart_qn.reporting.assignments import EntryRights, reported_units, reporter_of

# Where the engine asks for a number because a cell was emptied, the grid says how a figure is removed.
EMPTIED_FIGURE = _l("To remove this figure, open its history to discard the correction or delete the draft.")

PERIODS_SHOWN = {Frequency.MONTHLY: 6, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 3}
_VALUE_FIELD = re.compile(r"^value-(?P<unit>[^-]+)-(?P<period>.+)$")
SOURCE_LABELS = {
    engine.ValueSource.FORM: _l("Admin grid"),
    engine.ValueSource.IMPORT: _l("Spreadsheet import"),
    engine.ValueSource.API: _l("Management API"),
}
ACTION_LABELS = {
    engine.RevisionAction.SAVED: _l("Saved"),
    engine.RevisionAction.PUBLISHED: _l("Published"),
    engine.RevisionAction.UNPUBLISHED: _l("Unpublished"),
    engine.RevisionAction.DISCARDED: _l("Correction discarded"),
}


@dataclass
class Cell:
    """One figure of the grid as the user may see it, and what was typed in it."""

    unit: AdminUnit
    period: Period
    # The stored figure, when the user may see it at all.
    figure: IndicatorValue | None
    # Whether the user sees the figure's draft or pending correction (their organization reports it).
    sees_work: bool
    previous: Decimal | None
    typed_value: str = ""
    typed_note: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return f"{self.unit.code}-{self.period}"

    @property
    def status(self) -> str | None:
        if self.figure is None:
            return None
        if self.figure.status is ValueStatus.DRAFT:
            return "draft"
        return "pending" if self.sees_work and self.figure.has_pending_change else "published"

    @property
    def shown_value(self) -> Decimal | None:
        if self.figure is None:
            return None
        return self.figure.working_value if self.sees_work else self.figure.value

    @property
    def shown_note(self) -> str | None:
        if self.figure is None:
            return None
        return self.figure.working_note if self.sees_work else self.figure.note


def period_containing(frequency: Frequency, day: date) -> Period:
    if frequency is Frequency.MONTHLY:
        return Period(date(day.year, day.month, 1), frequency)
    if frequency is Frequency.QUARTERLY:
        return Period(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), frequency)
    return Period(date(day.year, 1, 1), frequency)


def shown_periods(indicator: Indicator, to: str | None, today: date) -> list[Period]:
    """The grid's columns, oldest first: the last finished periods, or those up to `to`."""
    last = period_containing(indicator.frequency, today).previous()
    try:
        wanted = Period.parse(to) if to else None
    except PeriodError:
        wanted = None
    if wanted is not None and wanted.frequency is indicator.frequency and wanted < last:
        last = wanted
    periods = [last]
    while len(periods) < PERIODS_SHOWN[indicator.frequency]:
        periods.insert(0, periods[0].previous())
    return periods


def _next_page_end(indicator: Indicator, shown_last: Period) -> Period | None:
    """Where the next page of periods ends: as many periods later, or at the last finished one."""
    after = []
    period = period_containing(indicator.frequency, province_today()).previous()
    while period > shown_last:
        after.insert(0, period)
        period = period.previous()
    return after[min(len(after), PERIODS_SHOWN[indicator.frequency]) - 1] if after else None


def figure_input(number: Decimal | None) -> str:
    """A figure as the input shows it: no grouping (the engine refuses it), a decimal comma in Vietnamese."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text.replace(".", ",") if current_language() == "vi" else text


def figure_display(number: Decimal | None) -> str:
    return "—" if number is None else format_decimal(number.normalize(), format="#,##0.####")


def rows_of(indicator: Indicator, user: User) -> list[AdminUnit]:
    """The units whose figures the user reports, in map order (all reported units for administrators)."""
    as_of = current_app.config["UNITS_AS_OF"]
    if user.is_admin:
        return reported_units(indicator, None, as_of)
    units = {
        unit.id: unit
        for membership in user.memberships
        for unit in reported_units(indicator, membership.organization, as_of)
    }
    return sorted(units.values(), key=lambda unit: (unit.level, unit.code))


def build_cells(
    indicator: Indicator, units: list[AdminUnit], periods: list[Period], rights: EntryRights
) -> dict[str, Cell]:
    wanted = {str(period) for period in periods} | {str(periods[0].previous())}
    stored = db.session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.admin_unit_id.in_([unit.id for unit in units]),
            IndicatorValue.period.in_(wanted),
        )
    )
    visible: dict[tuple[int, str], tuple[IndicatorValue, bool]] = {}
    for row in stored:
        sees_work = rights.may_view(row.organization_id)
        # Another organization's draft is not shown, not even as an empty mark.
        if sees_work or row.status is ValueStatus.PUBLISHED:
            visible[row.admin_unit_id, row.period] = (row, sees_work)
    cells = {}
    for unit in units:
        for period in periods:
            figure, sees_work = visible.get((unit.id, str(period)), (None, False))
            previous_row, previous_work = visible.get((unit.id, str(period.previous())), (None, False))
            previous = None
            if previous_row is not None:
                previous = previous_row.working_value if previous_work else previous_row.value
            cell = Cell(unit, period, figure, sees_work, previous)
            cell.typed_value = figure_input(cell.shown_value)
            cell.typed_note = cell.shown_note or ""
            cells[cell.suffix] = cell
    return cells


@dataclass
class Grid:
    """The grid as the signed-in user sees it: one indicator, some periods, the units they report."""

    indicator: Indicator
    rights: EntryRights
    periods: list[Period]
    units: list[AdminUnit]
    cells: dict[str, Cell]
    # Whether the user may publish some figure of the grid (an approver of a reporting organization…).
    may_publish: bool

    @classmethod
    def of(cls, code: str) -> "Grid":
        user = signed_in_user()
        indicator = indicator_or_404(code)
        rights = EntryRights.of_user(user)
        periods = shown_periods(indicator, request.values.get("to"), province_today())
        units = rows_of(indicator, user)
        reporting_ids = {reporter.id for unit in units if (reporter := reporter_of(indicator, unit))}
        return cls(
            indicator,
            rights,
            periods,
            units,
            build_cells(indicator, units, periods, rights),
            any(rights.may_publish(organization_id) for organization_id in reporting_ids),
        )

    @property
    def url(self) -> str:
        return url_for("admin.indicator_values", code=self.indicator.code, to=str(self.periods[-1]))

    def render(self, *, stray_problems=(), status=200):
        groups = [
            (LEVEL_LABELS[level], [unit for unit in self.units if unit.level == level])
            for level in UnitLevel
            if any(unit.level == level for unit in self.units)
        ]
        return render_template(
            "admin/indicator_values.html",
            indicator=self.indicator,
            periods=self.periods,
            groups=groups,
            cells=self.cells,
            may_publish=self.may_publish,
            may_edit_definition=may_edit_definition(signed_in_user(), self.indicator),
            stray_problems=stray_problems,
            earlier=self.periods[0].previous(),
            later=_next_page_end(self.indicator, self.periods[-1]),
            to=str(self.periods[-1]),
            **_page_helpers(),
        ), status


@bp.route("/indicators/<code>/values", methods=["GET", "POST"])
def indicator_values(code: str):
    grid = Grid.of(code)
    if request.method == "GET":
        return grid.render()
    publish = request.form.get("action") == "publish"
    if publish and not grid.may_publish:
        abort(403)
    entries = _changed_entries(grid.indicator, grid.cells)
    if not entries:
        flash(_("Nothing had changed: nothing was saved."), "info")
        return redirect(grid.url)
    plan = engine.plan(
        entries,
        grid.rights,
        today=province_today(),
        units_as_of=current_app.config["UNITS_AS_OF"],
        publish=publish,
    )
    if not plan.ok:
        stray = []
        for problem in plan.problems:
            cell = grid.cells.get(f"{problem.entry.unit}-{problem.entry.period}")
            if cell is None:
                stray.append(f"{problem.entry.label}: {problem.message}")
            elif problem.field == "value" and not str(problem.entry.value).strip() and cell.figure:
                cell.problems.append(str(EMPTIED_FIGURE))
            else:
                cell.problems.append(problem.message)
        return grid.render(stray_problems=stray, status=422)
    counts = engine.apply(plan, engine.Actor.of_user(signed_in_user()), engine.ValueSource.FORM)
    db.session.commit()
    done = (
        _("Published: %(new)s new, %(changed)s changed.", **counts)
        if publish
        else _("Saved as drafts: %(new)s new, %(changed)s changed.", **counts)
    )
    flash(done, "info")
    for change in plan.warnings:
        flash(f"{change.unit.name}, {change.period}: {change.warning}", "warning")
    return redirect(grid.url)


def _changed_entries(indicator: Indicator, cells: dict[str, Cell]) -> list[engine.Entry]:
    """The posted cells whose value or note differs from what the page showed. Every posted cell is
    kept, also one that is not on the grid: the engine says why it may not be entered."""
    entries = []
    for name, typed in request.form.items():
        match = _VALUE_FIELD.match(name)
        if match is None:
            continue
        suffix = f"{match['unit']}-{match['period']}"
        note = request.form.get(f"note-{suffix}", "")
        original = (
            request.form.get(f"original-value-{suffix}", ""),
            request.form.get(f"original-note-{suffix}", ""),
        )
        if (typed, note) == original or not (typed.strip() or note.strip() or original[0]):
            continue
        if (cell := cells.get(suffix)) is not None:
            cell.typed_value, cell.typed_note = typed, note
        entries.append(
            engine.Entry(
                indicator.code,
                match["unit"],
                match["period"],
                typed,
                note,
                label=f"{match['unit']} {match['period']}",
            )
        )
    return entries


@bp.route("/indicators/<code>/values/publish", methods=["POST"])
def publish_indicator_values(code: str):
    grid = Grid.of(code)
    if not grid.may_publish:
        abort(403)
    waiting = [
        cell.figure for cell in grid.cells.values() if cell.sees_work and cell.status in ("draft", "pending")
    ]
    actor = engine.Actor.of_user(signed_in_user())
    published = engine.publish(waiting, grid.rights, actor, engine.ValueSource.FORM)
    db.session.commit()
    if published:
        flash(_("%(count)s figures published: residents see them now.", count=published), "info")
    else:
        flash(_("No draft or correction that you may publish is shown."), "info")
    return redirect(grid.url)


def _figure_or_404(indicator: Indicator, unit_code: str, period: str) -> tuple[IndicatorValue, EntryRights]:
    unit = unit_on(unit_code, current_app.config["UNITS_AS_OF"]) or abort(404)
    try:
        period = str(Period.parse(period))
    except PeriodError:
        abort(404)
    figure = db.session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.admin_unit_id == unit.id,
            IndicatorValue.period == period,
        )
    )
    rights = EntryRights.of_user(signed_in_user())
    if figure is None or not rights.may_view(figure.organization_id):
        abort(404)
    return figure, rights


@bp.route("/indicators/<code>/values/<unit_code>/<period>")
def indicator_value_history(code: str, unit_code: str, period: str):
    indicator = indicator_or_404(code)
    figure, rights = _figure_or_404(indicator, unit_code, period)
    revisions = db.session.scalars(
        select(engine.IndicatorValueRevision)
        .where(engine.IndicatorValueRevision.value_id == figure.id)
        .order_by(engine.IndicatorValueRevision.created_at.desc(), engine.IndicatorValueRevision.id.desc())
    ).all()
    return render_template(
        "admin/indicator_value_history.html",
        indicator=indicator,
        figure=figure,
        revisions=revisions,
        may_publish=rights.may_publish(figure.organization_id),
        **_page_helpers(),
    )


@bp.route("/indicators/<code>/values/<unit_code>/<period>/<any(discard, unpublish):step>", methods=["POST"])
def indicator_value_step(code: str, unit_code: str, period: str, step: str):
    user = signed_in_user()
    indicator = indicator_or_404(code)
    figure, rights = _figure_or_404(indicator, unit_code, period)
    actor, history = (
        engine.Actor.of_user(user),
        url_for(
            "admin.indicator_value_history", code=indicator.code, unit_code=unit_code, period=figure.period
        ),
    )
    if step == "unpublish":
        if not rights.may_publish(figure.organization_id):
            abort(403)
        if figure.status is not ValueStatus.PUBLISHED:
            flash(_("This figure is not published."), "error")
            return redirect(history)
        engine.unpublish(figure, actor, engine.ValueSource.FORM)
        db.session.commit()
        flash(_("The figure has been unpublished: residents no longer see it."), "info")
        return redirect(history)
    if figure.status is ValueStatus.PUBLISHED and not figure.has_pending_change:
        flash(_("There is no correction to discard: unpublish the figure to withdraw it."), "error")
        return redirect(history)
    deleted = figure.status is ValueStatus.DRAFT
    to = figure.period
    engine.discard(figure, actor, engine.ValueSource.FORM)
    db.session.commit()
    if deleted:
        flash(_("The draft has been deleted."), "info")
        return redirect(url_for("admin.indicator_values", code=indicator.code, to=to))
    flash(_("The correction has been discarded: the published figure stays."), "info")
    return redirect(history)


def _page_helpers() -> dict[str, Any]:
    return {
        "figure_input": figure_input,
        "figure_display": figure_display,
        "organization_name": organization_name,
        "source_labels": SOURCE_LABELS,
        "action_labels": ACTION_LABELS,
        "frequency_label": engine.frequency_label,
    }
