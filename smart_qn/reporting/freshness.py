"""Who is late with their figures: the freshness of each indicator's figure for each unit, and the report
per organization that the provincial office reviews every 15 days.

A period's figure is expected once the period has ended and its grace days have passed (the indicator's
own `grace_days`, or the frequency's default in config `FRESHNESS_GRACE_DAYS`). A pair (indicator, unit)
is then:

* up to date: it has a published figure for the expected period, or a later one;
* due: it is up to date, but a newer period has ended whose grace has not passed yet and whose figure is
  not published: it is due by the last day of that grace;
* overdue: the expected period's figure is not published.

Only published figures count. A draft shows as "draft waiting", so that a late reporter knows that
publishing is all that is left to do.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.content.indicators import Indicator, IndicatorReporter, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency, Period
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, units_on
from smart_qn.localtime import province_zone
from smart_qn.reporting.assignments import reporter_of
from smart_qn.reporting.values import IndicatorValueRevision, RevisionAction
from smart_qn.text import fold_vi

# The provincial office reviews who is late every 15 days; a report covers the 15 days up to its date.
REPORT_WINDOW_DAYS = 15

_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}


class FreshnessStatus(StrEnum):
    UP_TO_DATE = "up_to_date"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Freshness:
    """The state of one pair's figures on one day.

    `due_by`: for a due pair, the last day of the grace of the newest ended period. `overdue_since`: for an
    overdue pair, the first day its oldest missing period was late (None when it never reported any).
    `periods_behind`: how many periods up to the expected one lack a published figure (None when none
    was ever published).
    """

    status: FreshnessStatus
    expected_period: Period
    latest_period: Period | None
    due_by: date | None = None
    overdue_since: date | None = None
    periods_behind: int | None = 0


def following(period: Period) -> Period:
    return Period(period.end, period.frequency)


def period_containing(frequency: Frequency, day: date) -> Period:
    months = _MONTHS[frequency]
    return Period(date(day.year, (day.month - 1) // months * months + 1, 1), frequency)


def late_from(period: Period, grace_days: int) -> date:
    """The first day on which `period`'s figure is overdue."""
    return period.end + timedelta(days=grace_days)


def expected_period(frequency: Frequency, grace_days: int, on: date) -> Period:
    """The newest period whose figure should be published on `on`: its end plus the grace is `on` or
    earlier."""
    return period_containing(frequency, on - timedelta(days=grace_days)).previous()


def periods_from(earlier: Period, later: Period) -> int:
    """How many periods after `earlier` up to and including `later`."""
    months = (later.start.year - earlier.start.year) * 12 + later.start.month - earlier.start.month
    return months // _MONTHS[earlier.frequency]


def assess(frequency: Frequency, grace_days: int, latest: Period | None, on: date) -> Freshness:
    """The freshness on `on` of a pair whose newest published figure is for `latest`."""
    expected = expected_period(frequency, grace_days, on)
    if latest is None:
        return Freshness(FreshnessStatus.OVERDUE, expected, None, periods_behind=None)
    if latest < expected:
        first_missing = following(latest)
        return Freshness(
            FreshnessStatus.OVERDUE,
            expected,
            latest,
            overdue_since=late_from(first_missing, grace_days),
            periods_behind=periods_from(latest, expected),
        )
    newest_ended = period_containing(frequency, on).previous()
    if latest < newest_ended:
        in_grace = following(latest)
        return Freshness(
            FreshnessStatus.DUE,
            expected,
            latest,
            due_by=late_from(in_grace, grace_days) - timedelta(days=1),
        )
    return Freshness(FreshnessStatus.UP_TO_DATE, expected, latest)


def grace_days_of(indicator: Indicator) -> int:
    if indicator.grace_days is not None:
        return indicator.grace_days
    return int(current_app.config["FRESHNESS_GRACE_DAYS"][indicator.frequency.value])


def indicator_freshness(indicator: Indicator, latest: Period | None, on: date) -> Freshness:
    return assess(indicator.frequency, grace_days_of(indicator), latest, on)


def _end_of_day_utc(day: date) -> datetime:
    """The first moment after `day` in the province, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), province_zone()).astimezone(UTC)


@dataclass(frozen=True)
class PairFreshness:
    indicator: Indicator
    unit: AdminUnit
    organization: Organization
    freshness: Freshness
    # The newest draft for a period the residents have no figure of yet: publishing it is what is left.
    draft_period: Period | None
    last_published_at: datetime | None
    published_in_window: int


@dataclass
class OrganizationFreshness:
    organization: Organization
    pairs: list[PairFreshness] = field(default_factory=list)

    def count(self, status: FreshnessStatus) -> int:
        return sum(1 for pair in self.pairs if pair.freshness.status is status)

    @property
    def on_time_share(self) -> float:
        """The share of pairs that are not overdue (a due figure is not late yet)."""
        if not self.pairs:
            return 1.0
        return 1 - self.count(FreshnessStatus.OVERDUE) / len(self.pairs)

    @property
    def published_in_window(self) -> int:
        return sum(pair.published_in_window for pair in self.pairs)


@dataclass(frozen=True)
class FreshnessReport:
    as_of: date
    organizations: list[OrganizationFreshness]

    @property
    def window_start(self) -> date:
        return self.as_of - timedelta(days=REPORT_WINDOW_DAYS - 1)

    @property
    def pairs(self) -> list[PairFreshness]:
        return [pair for organization in self.organizations for pair in organization.pairs]


@dataclass(frozen=True)
class _Figures:
    latest_published: date | None
    latest_draft: date | None
    last_published_at: datetime | None
    published_in_window: int


def freshness_report(
    as_of: date, *, units_as_of: date, organization_ids: frozenset[int] | None = None
) -> FreshnessReport:
    """The freshness of every pair reported by the organizations `organization_ids` (every organization
    when None) on `as_of`, grouped by organization.

    A handful of queries whatever the number of units: the indicators with their reporters, the map, and
    the figures aggregated per pair. A figure counts from the time it was first published, so that the
    report of an earlier day can be rebuilt; figures published after `as_of` do not count for it.
    """
    indicators = _indicators_reported_by(organization_ids)
    units = units_on(units_as_of)
    figures = _figures_per_pair([indicator.id for indicator in indicators], as_of)
    by_organization: dict[int, OrganizationFreshness] = {}
    for indicator in indicators:
        for unit in units:
            if unit.level not in indicator.levels:
                continue
            organization = reporter_of(indicator, unit)
            if organization is None or (
                organization_ids is not None and organization.id not in organization_ids
            ):
                continue
            found = figures.get((indicator.id, unit.id))
            latest = _period(indicator, found.latest_published if found else None)
            draft = _period(indicator, found.latest_draft if found else None)
            entry = by_organization.setdefault(organization.id, OrganizationFreshness(organization))
            entry.pairs.append(
                PairFreshness(
                    indicator=indicator,
                    unit=unit,
                    organization=organization,
                    freshness=indicator_freshness(indicator, latest, as_of),
                    draft_period=draft if draft is not None and (latest is None or draft > latest) else None,
                    last_published_at=found.last_published_at if found else None,
                    published_in_window=found.published_in_window if found else 0,
                )
            )
    organizations = sorted(by_organization.values(), key=lambda entry: _report_order(entry.organization))
    return FreshnessReport(as_of, organizations)


def _report_order(organization: Organization) -> tuple[bool, str]:
    """Provincial bodies first, then the district committees, each by name as Vietnamese sorts it."""
    return organization.kind is OrganizationKind.DISTRICT_COMMITTEE, fold_vi(organization.name_vi)


def _period(indicator: Indicator, start: date | None) -> Period | None:
    return Period(start, indicator.frequency) if start is not None else None


def _indicators_reported_by(organization_ids: frozenset[int] | None) -> list[Indicator]:
    query = (
        select(Indicator)
        .options(
            selectinload(Indicator.reporters)
            .selectinload(IndicatorReporter.organization)
            .selectinload(Organization.admin_unit)
        )
        .order_by(Indicator.position, Indicator.code)
    )
    if organization_ids is not None:
        query = query.where(
            Indicator.id.in_(
                select(IndicatorReporter.indicator_id).where(
                    IndicatorReporter.organization_id.in_(organization_ids)
                )
            )
        )
    return list(db.session.scalars(query))


def _figures_per_pair(indicator_ids: list[int], as_of: date) -> dict[tuple[int, int], _Figures]:
    if not indicator_ids:
        return {}
    cutoff = _end_of_day_utc(as_of)
    window_start = _end_of_day_utc(as_of - timedelta(days=REPORT_WINDOW_DAYS))
    first_published = (
        select(
            IndicatorValueRevision.value_id,
            func.min(IndicatorValueRevision.created_at).label("first_published_at"),
        )
        .where(IndicatorValueRevision.action == RevisionAction.PUBLISHED)
        .group_by(IndicatorValueRevision.value_id)
        .subquery()
    )
    # Figures loaded without revisions (the demo's) were first published when they were last.
    published_since = func.coalesce(first_published.c.first_published_at, IndicatorValue.published_at)
    counts = and_(IndicatorValue.status == ValueStatus.PUBLISHED, published_since < cutoff)
    rows = db.session.execute(
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.admin_unit_id,
            func.max(IndicatorValue.period_start).filter(counts).label("latest_published"),
            func.max(IndicatorValue.period_start)
            .filter(IndicatorValue.status == ValueStatus.DRAFT)
            .label("latest_draft"),
            func.max(IndicatorValue.published_at)
            .filter(counts, IndicatorValue.published_at < cutoff)
            .label("last_published_at"),
            func.count()
            .filter(counts, IndicatorValue.published_at >= window_start, IndicatorValue.published_at < cutoff)
            .label("published_in_window"),
        )
        .outerjoin(first_published, first_published.c.value_id == IndicatorValue.id)
        .where(IndicatorValue.indicator_id.in_(indicator_ids))
        .group_by(IndicatorValue.indicator_id, IndicatorValue.admin_unit_id)
    )
    return {
        (row.indicator_id, row.admin_unit_id): _Figures(
            row.latest_published,
            row.latest_draft,
            row.last_published_at,
            row.published_in_window,
        )
        for row in rows
    }


def overdue_pairs(organization_ids: frozenset[int], *, as_of: date, units_as_of: date) -> list[PairFreshness]:
    """The overdue pairs of these organizations, the longest overdue first: what an editor sees first."""
    report = freshness_report(as_of, units_as_of=units_as_of, organization_ids=organization_ids)
    overdue = [pair for pair in report.pairs if pair.freshness.status is FreshnessStatus.OVERDUE]
    return sorted(
        overdue,
        key=lambda pair: (pair.freshness.overdue_since or date.min, pair.indicator.position, pair.unit.code),
    )
