"""The demo's recent reporting (loaded with the demo data of every test database, anchored today): current
for most, late for a realistic few."""

from datetime import date

from sqlalchemy import select

from smart_qn.accounts.organizations import OrganizationKind
from smart_qn.content.demo_reporting import LATE_COMMITTEES
from smart_qn.content.indicators import IndicatorValue, ValueStatus
from smart_qn.content.periods import Period
from smart_qn.extensions import db
from smart_qn.localtime import province_date, province_today
from smart_qn.reporting.freshness import FreshnessStatus, freshness_report


def demo_report():
    return freshness_report(province_today(), units_as_of=date(2024, 12, 31))


def test_figures_are_published_after_their_period_ended_and_not_after_today(app):
    recent = db.session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.period_start >= date(2025, 1, 1), IndicatorValue.status == ValueStatus.PUBLISHED
        )
    ).all()

    assert len(recent) > 5000
    assert all(province_date(value.published_at) <= province_today() for value in recent)
    assert all(Period.parse(value.period).end <= province_date(value.published_at) for value in recent)


def test_three_district_committees_and_one_department_are_late(app):
    report = demo_report()
    late = [entry for entry in report.organizations if entry.count(FreshnessStatus.OVERDUE)]
    committees = [entry for entry in late if entry.organization.kind is OrganizationKind.DISTRICT_COMMITTEE]
    departments = [
        entry for entry in late if entry.organization.kind is not OrganizationKind.DISTRICT_COMMITTEE
    ]

    assert len(committees) == LATE_COMMITTEES
    assert len(departments) == 1 and departments[0].count(FreshnessStatus.OVERDUE) == 1
    assert all(entry.on_time_share == 1 for entry in report.organizations if entry not in late)


def test_a_couple_of_late_figures_wait_as_drafts(app):
    waiting = [pair for pair in demo_report().pairs if pair.draft_period is not None]

    assert len(waiting) == 2
    assert all(pair.freshness.status is not FreshnessStatus.UP_TO_DATE for pair in waiting)
    assert all(pair.draft_period > pair.freshness.latest_period for pair in waiting)


def test_recent_figures_are_as_precise_as_those_of_the_year_before(app):
    def places(value: IndicatorValue) -> int:
        return max(0, -value.value.normalize().as_tuple().exponent)

    rows = db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.status == ValueStatus.PUBLISHED)
    ).all()
    by_key = {(row.indicator_id, row.admin_unit_id, row.period): row for row in rows}
    compared = 0
    for row in rows:
        period = Period.parse(row.period)
        if period.start.year < 2025:
            continue
        year_before = Period.parse(str(period.start.year - 1) + row.period[4:])
        if (earlier := by_key.get((row.indicator_id, row.admin_unit_id, str(year_before)))) is not None:
            compared += 1
            assert places(row) <= places(earlier), (row.period, row.value, earlier.value)
    assert compared > 1000
