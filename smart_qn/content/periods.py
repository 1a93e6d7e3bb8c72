"""Reporting periods of indicator values: a year `2024`, a quarter `2024-Q3` or a month `2024-09`."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    frequency: Frequency

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match(text or "")
        if not match:
            raise PeriodError(
                f"{text!r} is not a period: use YYYY, YYYY-Qn or YYYY-MM (2024, 2024-Q3, 2024-09)"
            )
        year = int(match["year"])
        if year < 1900:
            raise PeriodError(f"{text!r}: year out of range")
        if match["quarter"]:
            return cls(date(year, 3 * int(match["quarter"]) - 2, 1), Frequency.QUARTERLY)
        if match["month"]:
            return cls(date(year, int(match["month"]), 1), Frequency.MONTHLY)
        return cls(date(year, 1, 1), Frequency.ANNUAL)

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}[self.frequency]
        month_index = self.start.month - 1 + months
        return date(self.start.year + month_index // 12, month_index % 12 + 1, 1)

    def previous(self) -> "Period":
        months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}[self.frequency]
        month_index = self.start.year * 12 + self.start.month - 1 - months
        return Period(date(month_index // 12, month_index % 12 + 1, 1), self.frequency)

    def __str__(self) -> str:
        if self.frequency is Frequency.ANNUAL:
            return f"{self.start.year}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"
