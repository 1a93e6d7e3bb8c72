from datetime import date

import pytest

from smart_qn.content.periods import Frequency, Period, PeriodError


@pytest.mark.parametrize(
    ("text", "start", "end", "frequency"),
    [
        ("2024", date(2024, 1, 1), date(2025, 1, 1), Frequency.ANNUAL),
        ("2024-Q3", date(2024, 7, 1), date(2024, 10, 1), Frequency.QUARTERLY),
        ("2024-Q4", date(2024, 10, 1), date(2025, 1, 1), Frequency.QUARTERLY),
        ("2024-09", date(2024, 9, 1), date(2024, 10, 1), Frequency.MONTHLY),
        ("2024-12", date(2024, 12, 1), date(2025, 1, 1), Frequency.MONTHLY),
    ],
)
def test_parse(text, start, end, frequency):
    period = Period.parse(text)

    assert (period.start, period.end, period.frequency, str(period)) == (start, end, frequency, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24",
        "2024-13",
        "2024-00",
        "2024-Q0",
        "2024-Q5",
        "2024-9",
        "2024Q3",
        "2024-q3",
        " 2024",
        "1899",
        "2024-09-01",
    ],
)
def test_rejects_malformed_periods(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


@pytest.mark.parametrize(
    ("text", "previous"),
    [("2024", "2023"), ("2024-Q1", "2023-Q4"), ("2024-01", "2023-12"), ("2024-Q3", "2024-Q2")],
)
def test_previous(text, previous):
    assert str(Period.parse(text).previous()) == previous


def test_periods_order_by_start():
    assert sorted(Period.parse(text) for text in ("2024-03", "2023-11", "2024-01")) == [
        Period.parse("2023-11"),
        Period.parse("2024-01"),
        Period.parse("2024-03"),
    ]
