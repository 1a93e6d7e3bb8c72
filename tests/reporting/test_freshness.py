from datetime import UTC, date, datetime

import pytest

from smart_qn.content.indicators import IndicatorReporter, ValueStatus
from smart_qn.content.periods import Frequency, Period
from smart_qn.extensions import db
from smart_qn.reporting.freshness import FreshnessStatus, assess, expected_period, freshness_report
from tests.conftest import recorded_statements

UNITS_AS_OF = date(2024, 12, 31)


@pytest.mark.parametrize(
    ("frequency", "grace", "on", "expected"),
    [
        # Month ends of 31, 30, 28 and 29 days: the grace counts from the first day after the month.
        (Frequency.MONTHLY, 15, date(2026, 2, 16), "2026-01"),
        (Frequency.MONTHLY, 15, date(2026, 2, 15), "2025-12"),
        (Frequency.MONTHLY, 15, date(2026, 5, 16), "2026-04"),
        (Frequency.MONTHLY, 15, date(2026, 5, 15), "2026-03"),
        (Frequency.MONTHLY, 15, date(2026, 3, 16), "2026-02"),
        (Frequency.MONTHLY, 15, date(2026, 3, 15), "2026-01"),
        (Frequency.MONTHLY, 15, date(2024, 3, 16), "2024-02"),
        (Frequency.MONTHLY, 0, date(2024, 3, 1), "2024-02"),
        (Frequency.MONTHLY, 0, date(2024, 2, 29), "2024-01"),
        (Frequency.QUARTERLY, 30, date(2026, 10, 31), "2026-Q3"),
        (Frequency.QUARTERLY, 30, date(2026, 10, 30), "2026-Q2"),
        (Frequency.QUARTERLY, 30, date(2027, 1, 31), "2026-Q4"),
        (Frequency.ANNUAL, 90, date(2026, 4, 1), "2025"),
        (Frequency.ANNUAL, 90, date(2026, 3, 31), "2024"),
        (Frequency.ANNUAL, 0, date(2026, 1, 1), "2025"),
    ],
)
def test_the_expected_period_is_the_newest_whose_grace_has_passed(frequency, grace, on, expected):
    assert str(expected_period(frequency, grace, on)) == expected


def test_up_to_date_with_the_expected_period_or_a_later_one():
    on = date(2026, 11, 21)
    assert assess(Frequency.MONTHLY, 15, Period.parse("2026-10"), on).status is FreshnessStatus.UP_TO_DATE
    assert assess(Frequency.ANNUAL, 90, Period.parse("2025"), on).status is FreshnessStatus.UP_TO_DATE


def test_due_while_the_newest_period_is_in_its_grace():
    freshness = assess(Frequency.MONTHLY, 15, Period.parse("2026-09"), date(2026, 11, 10))

    assert freshness.status is FreshnessStatus.DUE
    assert str(freshness.expected_period) == "2026-09"
    assert freshness.due_by == date(2026, 11, 15)


def test_overdue_on_the_day_the_grace_ends_exactly():
    on_last_day = assess(Frequency.MONTHLY, 15, Period.parse("2026-09"), date(2026, 11, 15))
    on_the_day_after = assess(Frequency.MONTHLY, 15, Period.parse("2026-09"), date(2026, 11, 16))

    assert on_last_day.status is FreshnessStatus.DUE
    assert on_the_day_after.status is FreshnessStatus.OVERDUE
    assert on_the_day_after.overdue_since == date(2026, 11, 16)
    assert on_the_day_after.periods_behind == 1


def test_overdue_counts_the_periods_behind_since_the_first_missing_one():
    freshness = assess(Frequency.QUARTERLY, 30, Period.parse("2025-Q4"), date(2026, 11, 21))

    assert freshness.status is FreshnessStatus.OVERDUE
    assert str(freshness.expected_period) == "2026-Q3"
    assert freshness.periods_behind == 3
    assert freshness.overdue_since == date(2026, 5, 1)


def test_year_end_overdue():
    freshness = assess(Frequency.ANNUAL, 90, Period.parse("2023"), date(2026, 1, 5))

    assert freshness.status is FreshnessStatus.OVERDUE
    assert (str(freshness.expected_period), freshness.periods_behind) == ("2024", 1)
    assert freshness.overdue_since == date(2025, 4, 1)


def test_never_reported_is_overdue_without_a_count():
    freshness = assess(Frequency.MONTHLY, 15, None, date(2026, 11, 21))

    assert freshness.status is FreshnessStatus.OVERDUE
    assert freshness.periods_behind is None and freshness.overdue_since is None


# Reports below are made as of 21/11/2026 (province time); figures published at the real time of the test
# run would come after it, and not count.
BEFORE_THE_REPORT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def pairs_of(report, indicator):
    return {pair.unit.code: pair for pair in report.pairs if pair.indicator.id == indicator.id}


def test_report_counts_published_figures_only_and_shows_drafts_waiting(app, make):
    indicator = make.indicator(frequency=Frequency.ANNUAL, levels=[1])
    indicator.reporters = [IndicatorReporter(organization=indicator.organization, levels=[1])]
    make.value(indicator, "49", "2024", 5, published_at=BEFORE_THE_REPORT)
    make.value(indicator, "49", "2025", 6, status=ValueStatus.DRAFT)

    report = freshness_report(date(2026, 11, 21), units_as_of=UNITS_AS_OF)
    pair = pairs_of(report, indicator)["49"]

    assert pair.freshness.status is FreshnessStatus.OVERDUE
    assert str(pair.freshness.latest_period) == "2024"
    assert str(pair.draft_period) == "2025"
    assert pair.organization.id == indicator.organization_id


def test_report_of_an_indicator_with_no_figures(app, make):
    indicator = make.indicator(frequency=Frequency.QUARTERLY, levels=[1])
    indicator.reporters = [IndicatorReporter(organization=indicator.organization, levels=[1])]
    db.session.flush()

    report = freshness_report(date(2026, 11, 21), units_as_of=UNITS_AS_OF)
    (entry,) = [entry for entry in report.organizations if entry.organization.id == indicator.organization_id]

    assert [pair.freshness.status for pair in entry.pairs] == [FreshnessStatus.OVERDUE]
    assert entry.on_time_share == 0


def test_units_reported_by_another_organization_are_in_its_report(app, make):
    owner = make.organization()
    committee = make.organization(admin_unit=make.unit("513"))
    indicator = make.indicator(organization=owner, frequency=Frequency.ANNUAL, levels=[1, 2])
    indicator.reporters = [
        IndicatorReporter(organization=owner, levels=[1]),
        IndicatorReporter(organization=committee, levels=[2]),
    ]
    make.value(indicator, "513", "2025", 1, organization_id=committee.id, published_at=BEFORE_THE_REPORT)
    db.session.flush()

    mine = freshness_report(
        date(2026, 11, 21), units_as_of=UNITS_AS_OF, organization_ids=frozenset({owner.id})
    )
    theirs = freshness_report(
        date(2026, 11, 21), units_as_of=UNITS_AS_OF, organization_ids=frozenset({committee.id})
    )

    assert set(pairs_of(mine, indicator)) == {"49"}
    assert pairs_of(theirs, indicator)["513"].freshness.status is FreshnessStatus.UP_TO_DATE


def test_an_earlier_report_ignores_figures_published_after_it(app, make):
    indicator = make.indicator(frequency=Frequency.ANNUAL, levels=[1])
    indicator.reporters = [IndicatorReporter(organization=indicator.organization, levels=[1])]
    make.value(indicator, "49", "2025", 1)

    earlier = freshness_report(date(2026, 5, 1), units_as_of=UNITS_AS_OF)

    assert pairs_of(earlier, indicator)["49"].freshness.latest_period is None


def count_queries(action) -> int:
    with recorded_statements() as statements:
        action()
    return len(statements)


def test_the_report_takes_a_bounded_number_of_queries_whatever_the_units(app, make):
    on = date(2026, 11, 21)
    freshness_report(on, units_as_of=UNITS_AS_OF)
    db.session.expire_all()
    demo_only = count_queries(lambda: freshness_report(on, units_as_of=UNITS_AS_OF))
    # An indicator of every commune as well: 241 more pairs.
    indicator = make.indicator(frequency=Frequency.MONTHLY, levels=[1, 2, 3])
    indicator.reporters = [IndicatorReporter(organization=indicator.organization, levels=[1, 2, 3])]
    db.session.flush()
    db.session.expire_all()
    report = freshness_report(on, units_as_of=UNITS_AS_OF)
    db.session.expire_all()
    with_communes = count_queries(lambda: freshness_report(on, units_as_of=UNITS_AS_OF))

    assert len(pairs_of(report, indicator)) == 1 + 18 + 241
    assert demo_only <= 8
    assert with_communes == demo_only
