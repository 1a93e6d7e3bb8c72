"""Entering indicator figures, the one way every surface does it: the admin's grid, spreadsheet imports
and the management API.

`plan` checks a batch of entries (each one figure: indicator code, unit code, period, value, note) and
says what each would do: new, changed or unchanged, with warnings for implausible jumps; or, for bad
entries, what is wrong, field by field. `apply` carries out a plan without a single problem, so a batch
is written whole or not at all, and writing the same batch again changes nothing. Every change adds a
revision of the figure, and every batch an audit row per indicator and organization.

A figure is a draft until published. A correction to a published figure is kept beside it
(`pending_value`) until it is published in turn, so residents keep seeing the published figure meanwhile.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Numeric, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from smart_qn.accounts import audit
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency, Period, PeriodError
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, units_on
from smart_qn.reporting.assignments import EntryRights, reporter_of

# A figure more than this share above or below the previous period's is worth a second look.
PLAUSIBLE_CHANGE = Decimal("0.5")
# What Numeric(20, 4) holds.
MAX_DECIMAL_PLACES = 4
MAX_MAGNITUDE = Decimal("1e16")
NOTE_LENGTH = 500

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class ValueSource(StrEnum):
    FORM = "form"
    IMPORT = "import"
    API = "api"


class RevisionAction(StrEnum):
    SAVED = "saved"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    DISCARDED = "discarded"


class IndicatorValueRevision(db.Model):
    """One change to one figure: what it became, who did it, and through which surface."""

    __tablename__ = "indicator_value_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_value.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    action: Mapped[RevisionAction] = mapped_column(str_enum(RevisionAction, "value_revision_action"))
    source: Mapped[ValueSource] = mapped_column(str_enum(ValueSource, "value_source"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The user's address, or the API token's name, as it was then.
    actor_label: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()


class Outcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Entry:
    """One figure as submitted. `label` says where it came from ("row 12", "items[3]") for messages."""

    indicator: str
    unit: str
    period: str
    value: object
    note: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Problem:
    entry: Entry
    field: str
    message: str


@dataclass
class PlannedChange:
    entry: Entry
    indicator: Indicator
    unit: AdminUnit
    period: Period
    value: Decimal
    note: str | None
    organization_id: int
    outcome: Outcome
    existing: IndicatorValue | None
    previous_value: Decimal | None = None
    warning: str | None = None


@dataclass
class Plan:
    changes: list[PlannedChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    publish: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, outcome: Outcome) -> int:
        return sum(1 for change in self.changes if change.outcome is outcome)

    @property
    def warnings(self) -> list[PlannedChange]:
        return [change for change in self.changes if change.warning]


@dataclass(frozen=True)
class Actor:
    """Who writes: a signed-in user, or an API token (no user, its name as the label)."""

    user: User | None
    label: str

    @classmethod
    def of_user(cls, user: User) -> "Actor":
        return cls(user, user.email)


def parse_number(raw: object) -> Decimal:
    """A figure from a form, a spreadsheet cell or JSON. Text may use a decimal comma or point
    ("4,56" or "4.56"), but no thousands separators, which would be ambiguous between the languages."""
    if isinstance(raw, bool):
        raise ValueError(_("Not a number."))
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        text = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValueError(_("A number is required."))
        if not _PLAIN_NUMBER.match(text):
            raise ValueError(
                _("Not a number: %(text)s. Write it without thousands separators, e.g. 1234,5.", text=text)
            )
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Not a number: %(text)s.", text=text)) from None
    if not number.is_finite():
        raise ValueError(_("Not a number."))
    if abs(number) >= MAX_MAGNITUDE:
        raise ValueError(_("The number is too large."))
    if -number.as_tuple().exponent > MAX_DECIMAL_PLACES and number != round(number, MAX_DECIMAL_PLACES):
        raise ValueError(_("At most %(places)s decimal places.", places=MAX_DECIMAL_PLACES))
    return number


def plan(
    entries: Sequence[Entry], rights: EntryRights, *, today: date, units_as_of: date, publish: bool = False
) -> Plan:
    """What `entries` would change, or what is wrong with them. Reads, never writes."""
    result = Plan(publish=publish)
    indicators = _indicators_named({str(entry.indicator).strip() for entry in entries})
    units = {unit.code: unit for unit in units_on(units_as_of)}
    reporters: dict[tuple[int, int], Organization | None] = {}
    checked: list[tuple[Entry, Indicator, AdminUnit, Period, Decimal, str | None, int, bool]] = []
    seen: dict[tuple[int, int, Period], Entry] = {}
    for entry in entries:
        row = _check(
            entry,
            indicators,
            units,
            reporters,
            rights,
            today=today,
            publish=publish,
            problems=result.problems,
        )
        if row is None:
            continue
        key = (row[1].id, row[2].id, row[3])
        if key in seen:
            result.problems.append(
                Problem(
                    entry, "period", _("The same figure is also given in %(other)s.", other=seen[key].label)
                )
            )
            continue
        seen[key] = entry
        checked.append(row)

    existing = _existing_values(checked)
    planned = {(row[1].id, row[2].id, row[3]): row[4] for row in checked}
    for entry, indicator, unit, period, number, note, organization_id, foreign in checked:
        current = existing.get((indicator.id, unit.id, period))
        if foreign and not _restates_published(current, number, note):
            result.problems.append(_not_yours(entry, indicator, unit))
            continue
        change = PlannedChange(
            entry=entry,
            indicator=indicator,
            unit=unit,
            period=period,
            value=number,
            note=note,
            organization_id=organization_id,
            outcome=Outcome.UNCHANGED if foreign else _outcome(current, number, note, publish),
            existing=current,
        )
        result.changes.append(change)
        if foreign:
            continue  # the previous period's figure may be a draft this user may not see
        previous_key = (indicator.id, unit.id, period.previous())
        change.previous_value = planned.get(previous_key)
        if change.previous_value is None and (previous := existing.get(previous_key)) is not None:
            change.previous_value = previous.working_value
        change.warning = _jump_warning(number, change.previous_value)
    return result


def _restates_published(current: IndicatorValue | None, number: Decimal, note: str | None) -> bool:
    """Whether an entry repeats a published figure exactly as residents see it (so that a spreadsheet
    exported with other organizations' published figures imports again unchanged)."""
    return (
        current is not None
        and current.status is ValueStatus.PUBLISHED
        and (current.value, current.note) == (number, note)
    )


def apply(plan_: Plan, actor: Actor, source: ValueSource) -> dict[str, int]:
    """Write a plan that has no problems: the figures, a revision each, an audit row per indicator and
    organization. The caller commits. Returns the counts by outcome."""
    if not plan_.ok:
        raise ValueError("a plan with problems cannot be applied")
    now = utcnow()
    written: list[tuple[IndicatorValue, RevisionAction]] = []
    for change in plan_.changes:
        if change.outcome is Outcome.UNCHANGED:
            continue
        row = change.existing
        if row is None:
            row = IndicatorValue(
                indicator_id=change.indicator.id,
                admin_unit_id=change.unit.id,
                period=str(change.period),
                value=change.value,
                note=change.note,
                status=ValueStatus.DRAFT,
                organization_id=change.organization_id,
            )
            db.session.add(row)
        elif row.status is ValueStatus.DRAFT:
            row.value, row.note = change.value, change.note
        elif (change.value, change.note) == (row.value, row.note):
            row.pending_value = row.pending_note = None
        else:
            row.pending_value, row.pending_note = change.value, change.note
        row.organization_id = change.organization_id
        if plan_.publish:
            _make_live(row, now)
        written.append((row, RevisionAction.PUBLISHED if plan_.publish else RevisionAction.SAVED))
    db.session.flush()
    db.session.add_all(
        IndicatorValueRevision(
            value_id=row.id,
            value=row.value if action is RevisionAction.PUBLISHED else row.working_value,
            note=row.note if action is RevisionAction.PUBLISHED else row.working_note,
            action=action,
            source=source,
            user_id=actor.user.id if actor.user else None,
            actor_label=actor.label,
            created_at=now,
        )
        for row, action in written
    )
    _audit_batch(plan_, actor, source)
    return {outcome.value: plan_.count(outcome) for outcome in Outcome}


def publish(values: Iterable[IndicatorValue], rights: EntryRights, actor: Actor, source: ValueSource) -> int:
    """Publish the drafts and pending corrections among `values` that `rights` may publish; the rest are
    left as they are. Returns how many were published."""
    now, published = utcnow(), []
    for row in values:
        if not rights.may_publish(row.organization_id):
            continue
        if row.status is ValueStatus.PUBLISHED and not row.has_pending_change:
            continue
        _make_live(row, now)
        published.append(row)
        _add_revision(row, RevisionAction.PUBLISHED, actor, source, now)
    if published:
        _audit_rows("indicator_values.published", published, actor, source)
    return len(published)


def unpublish(row: IndicatorValue, actor: Actor, source: ValueSource) -> None:
    """Withdraw a published figure from residents; it becomes a draft again (with its pending correction,
    if any, as its value)."""
    now = utcnow()
    row.status = ValueStatus.DRAFT
    row.value, row.note = row.working_value, row.working_note
    row.pending_value = row.pending_note = None
    row.published_at = now
    _add_revision(row, RevisionAction.UNPUBLISHED, actor, source, now)
    _audit_rows("indicator_values.unpublished", [row], actor, source)


def discard(row: IndicatorValue, actor: Actor, source: ValueSource) -> None:
    """Drop a pending correction, or delete a figure that was never published."""
    _audit_rows("indicator_values.discarded", [row], actor, source)
    if row.status is ValueStatus.PUBLISHED:
        row.pending_value = row.pending_note = None
        _add_revision(row, RevisionAction.DISCARDED, actor, source, utcnow())
    else:
        db.session.delete(row)


def _make_live(row: IndicatorValue, now: datetime) -> None:
    row.value, row.note = row.working_value, row.working_note
    row.pending_value = row.pending_note = None
    row.status = ValueStatus.PUBLISHED
    row.published_at = now


def _add_revision(
    row: IndicatorValue, action: RevisionAction, actor: Actor, source: ValueSource, now: datetime
) -> None:
    db.session.add(
        IndicatorValueRevision(
            value_id=row.id,
            value=row.working_value,
            note=row.working_note,
            action=action,
            source=source,
            user_id=actor.user.id if actor.user else None,
            actor_label=actor.label,
            created_at=now,
        )
    )


def _audit_batch(plan_: Plan, actor: Actor, source: ValueSource) -> None:
    groups: dict[tuple[Indicator, int], list[PlannedChange]] = defaultdict(list)
    for change in plan_.changes:
        if change.outcome is not Outcome.UNCHANGED:
            groups[change.indicator, change.organization_id].append(change)
    for (indicator, organization_id), changes in groups.items():
        audit.record(
            "indicator_values.published" if plan_.publish else "indicator_values.saved",
            actor=actor.user,
            actor_label=actor.label,
            object_type="indicator",
            object_id=indicator.code,
            organization_id=organization_id,
            after={
                "source": source.value,
                "new": sum(1 for change in changes if change.outcome is Outcome.NEW),
                "changed": sum(1 for change in changes if change.outcome is Outcome.CHANGED),
                "periods": sorted({str(change.period) for change in changes}),
                "units": sorted({change.unit.code for change in changes}),
            },
        )


def _audit_rows(action: str, rows: list[IndicatorValue], actor: Actor, source: ValueSource) -> None:
    groups: dict[tuple[int, int | None], list[IndicatorValue]] = defaultdict(list)
    for row in rows:
        groups[row.indicator_id, row.organization_id].append(row)
    codes = {
        indicator_id: code
        for indicator_id, code in db.session.execute(
            select(Indicator.id, Indicator.code).where(Indicator.id.in_({key[0] for key in groups}))
        )
    }
    for (indicator_id, organization_id), group in groups.items():
        audit.record(
            action,
            actor=actor.user,
            actor_label=actor.label,
            object_type="indicator",
            object_id=codes[indicator_id],
            organization_id=organization_id,
            after={
                "source": source.value,
                "figures": sorted(f"{row.admin_unit.code} {row.period}" for row in group),
            },
        )


def _indicators_named(codes: set[str]) -> dict[str, Indicator]:
    rows = db.session.scalars(
        select(Indicator)
        .where(Indicator.code.in_(codes))
        .options(selectinload(Indicator.reporters), selectinload(Indicator.period_targets))
    )
    return {indicator.code: indicator for indicator in rows}


def _check(
    entry: Entry,
    indicators: dict[str, Indicator],
    units: dict[str, AdminUnit],
    reporters: dict[tuple[int, int], Organization | None],
    rights: EntryRights,
    *,
    today: date,
    publish: bool,
    problems: list[Problem],
):
    indicator = indicators.get(str(entry.indicator).strip())
    if indicator is None:
        problems.append(
            Problem(entry, "indicator", _("Unknown indicator code: %(code)s.", code=entry.indicator))
        )
        return None
    unit = units.get(str(entry.unit).strip())
    if unit is None:
        problems.append(Problem(entry, "unit", _("Unknown unit code: %(code)s.", code=entry.unit)))
        return None
    before = len(problems)
    if (indicator.id, unit.id) not in reporters:
        reporters[indicator.id, unit.id] = reporter_of(indicator, unit)
    organization = reporters[indicator.id, unit.id]
    if organization is None:
        problems.append(
            Problem(
                entry,
                "unit",
                _("%(indicator)s is not reported for %(unit)s.", indicator=indicator.code, unit=unit.name),
            )
        )
    # Another organization's figure: refused unless it repeats the published figure (decided in `plan`).
    foreign = organization is not None and not rights.may_view(organization.id)
    period = _check_period(entry, indicator, today, problems)
    number = _check_number(entry, indicator, problems)
    note = (entry.note or "").strip() or None
    if note and len(note) > NOTE_LENGTH:
        problems.append(Problem(entry, "note", _("At most %(count)s characters.", count=NOTE_LENGTH)))
    if len(problems) > before:
        if foreign:
            problems.append(_not_yours(entry, indicator, unit))
        return None
    if publish and not foreign and not rights.may_publish(organization.id):
        problems.append(
            Problem(
                entry,
                "publish",
                _(
                    "You may save figures of %(organization)s but not publish them.",
                    organization=organization.name_vi,
                ),
            )
        )
        return None
    return entry, indicator, unit, period, number, note, organization.id, foreign


def _not_yours(entry: Entry, indicator: Indicator, unit: AdminUnit) -> Problem:
    return Problem(
        entry,
        "unit",
        _(
            "Not your unit: you may not enter %(indicator)s for %(unit)s.",
            indicator=indicator.code,
            unit=unit.name,
        ),
    )


def _check_period(entry: Entry, indicator: Indicator, today: date, problems: list[Problem]) -> Period | None:
    try:
        period = Period.parse(str(entry.period).strip())
    except PeriodError:
        problems.append(
            Problem(
                entry,
                "period",
                _("Not a period: %(text)s. Write 2024, 2024-Q3 or 2024-09.", text=entry.period),
            )
        )
        return None
    if period.frequency is not indicator.frequency:
        problems.append(
            Problem(
                entry,
                "period",
                _(
                    "%(period)s is not a %(frequency)s period, and %(indicator)s is reported %(frequency)s.",
                    period=str(period),
                    frequency=frequency_label(indicator.frequency),
                    indicator=indicator.code,
                ),
            )
        )
        return None
    if period.end > today:
        problems.append(Problem(entry, "period", _("%(period)s has not ended yet.", period=str(period))))
        return None
    return period


def _check_number(entry: Entry, indicator: Indicator, problems: list[Problem]) -> Decimal | None:
    try:
        number = parse_number(entry.value)
    except ValueError as error:
        problems.append(Problem(entry, "value", str(error)))
        return None
    if indicator.minimum is not None and number < indicator.minimum:
        problems.append(
            Problem(
                entry,
                "value",
                _(
                    "At least %(minimum)s %(unit)s.",
                    minimum=_plain(indicator.minimum),
                    unit=indicator.measure_unit,
                ),
            )
        )
        return None
    if indicator.maximum is not None and number > indicator.maximum:
        problems.append(
            Problem(
                entry,
                "value",
                _(
                    "At most %(maximum)s %(unit)s.",
                    maximum=_plain(indicator.maximum),
                    unit=indicator.measure_unit,
                ),
            )
        )
        return None
    return number


def frequency_label(frequency: Frequency) -> str:
    return {
        Frequency.MONTHLY: _("monthly"),
        Frequency.QUARTERLY: _("quarterly"),
        Frequency.ANNUAL: _("annual"),
    }[frequency]


def _existing_values(checked) -> dict[tuple[int, int, Period], IndicatorValue]:
    """The stored figures of the checked entries and of their previous periods."""
    keys = set()
    for _entry, indicator, unit, period, *_rest in checked:
        keys.add((indicator.id, unit.id, str(period)))
        keys.add((indicator.id, unit.id, str(period.previous())))
    found = {}
    by_indicator: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for indicator_id, unit_id, period in keys:
        by_indicator[indicator_id].add((unit_id, period))
    for indicator_id, wanted in by_indicator.items():
        rows = db.session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id == indicator_id,
                IndicatorValue.period.in_({period for _unit, period in wanted}),
                IndicatorValue.admin_unit_id.in_({unit for unit, _period in wanted}),
            )
        )
        for row in rows:
            if (row.admin_unit_id, row.period) in wanted:
                found[row.indicator_id, row.admin_unit_id, Period.parse(row.period)] = row
    return found


def _outcome(current: IndicatorValue | None, number: Decimal, note: str | None, publish: bool) -> Outcome:
    if current is None:
        return Outcome.NEW
    same = (current.working_value, current.working_note) == (number, note)
    if not same:
        return Outcome.CHANGED
    if publish and (current.status is ValueStatus.DRAFT or current.has_pending_change):
        return Outcome.CHANGED
    return Outcome.UNCHANGED


def _jump_warning(number: Decimal, previous: Decimal | None) -> str | None:
    if previous is None or previous == 0:
        return None
    change = (number - previous) / abs(previous)
    if abs(change) <= PLAUSIBLE_CHANGE:
        return None
    return _(
        "%(percent)s%% from the previous period (%(previous)s): please check.",
        percent=f"{change * 100:+.0f}",
        previous=_plain(previous),
    )


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")
