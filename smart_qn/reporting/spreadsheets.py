"""Indicator figures in spreadsheets: the one format that imports, templates and exports share.

A sheet has a header row naming its columns, in any order, by their Vietnamese names as the templates
write them (`ma_chi_tieu`, `ma_don_vi`, …) or their English ones (`indicator`, `unit`, …), in any case:

    indicator (code) · unit (GSO code) · unit_name (for the reader; ignored) · period (2024, 2024-Q3,
    2024-09) · value · note

CSV files are UTF-8, with or without a byte-order mark, separated by commas or semicolons. XLSX files
hold their figures in the sheet named "Dữ liệu", else the first sheet. Rows without a value and without a
note are skipped (a template lists every unit and period, and only some get filled in).

Reading checks the file only; every figure is checked by smart_qn.reporting.values, whose problems
`locate` turns into "sheet, row, column" for the person who has to fix them.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

from flask_babel import format_decimal
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select

from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency, Period
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit
from smart_qn.reporting.assignments import EntryRights
from smart_qn.reporting.values import NOTE_LENGTH, Entry, Problem, frequency_label

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
DATA_SHEET = "Dữ liệu"
INSTRUCTIONS_SHEET = "Hướng dẫn"
FIELDS = ("indicator", "unit", "unit_name", "period", "value", "note")
REQUIRED_FIELDS = ("indicator", "unit", "period", "value")
# The headers templates and exports write; the English field names are accepted too.
HEADERS = {
    "indicator": "ma_chi_tieu",
    "unit": "ma_don_vi",
    "unit_name": "ten_don_vi",
    "period": "ky_bao_cao",
    "value": "gia_tri",
    "note": "ghi_chu",
}
_FIELD_OF_HEADER = {header: name for name, header in HEADERS.items()} | {name: name for name in FIELDS}
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
# A float keeps 15 significant digits exactly: longer figures are written as text, which reads back exact.
_EXACT_FLOAT_DIGITS = 15


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read: its message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class Column:
    letter: str
    header: str


@dataclass
class Sheet:
    """The figures of an uploaded file, each Entry labelled with its sheet and row, and where each field's
    column is."""

    name: str
    entries: list[Entry]
    columns: dict[str, Column]

    def locate_all(self, problems: Iterable[Problem]) -> list[str]:
        """Every problem placed, in the order of the rows."""
        row_of = {id(entry): index for index, entry in enumerate(self.entries)}
        return [
            self.locate(problem)
            for problem in sorted(problems, key=lambda problem: row_of[id(problem.entry)])
        ]

    def locate(self, problem: Problem) -> str:
        """The problem's message prefixed with its place: "Dữ liệu, row 12, column E (gia_tri): …"."""
        column = self.columns.get(problem.field)
        if column is None:
            return _("%(place)s: %(message)s", place=problem.entry.label, message=problem.message)
        return _(
            "%(place)s, column %(letter)s (%(header)s): %(message)s",
            place=problem.entry.label,
            letter=column.letter,
            header=column.header,
            message=problem.message,
        )


@dataclass(frozen=True)
class Row:
    """One figure as templates and exports write it."""

    indicator: str
    unit: str
    unit_name: str
    period: str
    value: Decimal | None
    note: str | None


def read(data: bytes, filename: str) -> Sheet:
    """The entries of an uploaded CSV or XLSX file, told apart by their content, not their name."""
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MiB: split it into several.", size=MAX_BYTES // 2**20)
        )
    if data.startswith(_ZIP_SIGNATURE):
        return _read_xlsx(data)
    if data.startswith(_OLE_SIGNATURE):
        raise SpreadsheetError(_("Files of Excel 97–2003 (.xls) cannot be read: save it as .xlsx first."))
    try:
        return _sheet(*_csv_rows(data, filename))
    except csv.Error:
        raise SpreadsheetError(_("This is not an XLSX or CSV file that can be read.")) from None


def _read_xlsx(data: bytes) -> Sheet:
    unreadable = SpreadsheetError(_("This is not an XLSX or CSV file that can be read."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError):
        raise unreadable from None
    try:
        sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        return _sheet(sheet.title, sheet.iter_rows(values_only=True))
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError):
        raise unreadable from None
    finally:
        workbook.close()


def _csv_rows(data: bytes, filename: str) -> tuple[str, Iterable[tuple]]:
    unreadable = SpreadsheetError(_("This is not an XLSX or CSV file that can be read."))
    if b"\x00" in data:
        raise unreadable
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not (filename or "").lower().endswith(".csv"):
            raise unreadable from None
        raise SpreadsheetError(
            _("The CSV file is not in UTF-8: save it again as “CSV UTF-8” and upload it again.")
        ) from None
    header_line = text.lstrip().partition("\n")[0]
    # Figures may have a decimal comma, but a header never has one: its separator is the file's.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    name = PurePath(filename or "").name or "CSV"
    return name, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _sheet(name: str, rows: Iterable[tuple]) -> Sheet:
    rows = iter(rows)
    header_number, header = next(
        ((number, cells) for number, cells in enumerate(rows, start=1) if not _is_blank(cells)), (0, None)
    )
    if header is None:
        raise SpreadsheetError(_("The sheet %(sheet)s has no rows.", sheet=name))
    columns = _columns(name, header_number, header)
    positions = dict(_column_indexes(header))
    entries: list[Entry] = []
    for number, cells in enumerate(rows, start=header_number + 1):
        values = {field: _cell(cells, index) for field, index in positions.items()}
        if values["value"] is None and values.get("note") is None:
            continue
        if len(entries) == MAX_ROWS:
            raise SpreadsheetError(
                _(
                    "The file has more than %(count)s rows: split it into several.",
                    count=format_decimal(MAX_ROWS),
                )
            )
        entries.append(
            Entry(
                indicator=_text(values["indicator"]),
                unit=_text(values["unit"]),
                period=_period_text(values["period"]),
                value=values["value"],
                note=_text(values.get("note")) or None,
                label=_("%(sheet)s, row %(row)s", sheet=name, row=number),
            )
        )
    if not entries:
        raise SpreadsheetError(_("The sheet %(sheet)s has no figures below its header.", sheet=name))
    return Sheet(name, entries, columns)


def _column_indexes(header: Sequence) -> list[tuple[str, int]]:
    return [
        (_FIELD_OF_HEADER[text], index)
        for index, cell in enumerate(header)
        if (text := _text(cell).lower()) in _FIELD_OF_HEADER
    ]


def _columns(sheet: str, row: int, header: Sequence) -> dict[str, Column]:
    columns: dict[str, Column] = {}
    unknown = []
    for index, cell in enumerate(header):
        text = _text(cell)
        if not text:
            continue
        field = _FIELD_OF_HEADER.get(text.lower())
        if field is None:
            unknown.append(text)
        elif field in columns:
            raise SpreadsheetError(
                _(
                    "%(sheet)s, row %(row)s: the column %(header)s is there twice.",
                    sheet=sheet,
                    row=row,
                    header=text,
                )
            )
        else:
            columns[field] = Column(get_column_letter(index + 1), text)
    missing = [HEADERS[field] for field in REQUIRED_FIELDS if field not in columns]
    if missing and not columns:
        raise SpreadsheetError(
            _(
                "%(sheet)s, row %(row)s is not a header row. The first row names the columns: %(headers)s.",
                sheet=sheet,
                row=row,
                headers=", ".join(HEADERS.values()),
            )
        )
    if unknown:
        raise SpreadsheetError(
            _(
                "%(sheet)s, row %(row)s: unknown columns %(unknown)s. The columns are: %(headers)s.",
                sheet=sheet,
                row=row,
                unknown=", ".join(unknown),
                headers=", ".join(HEADERS.values()),
            )
        )
    if missing:
        raise SpreadsheetError(
            _(
                "%(sheet)s, row %(row)s: the columns %(missing)s are missing.",
                sheet=sheet,
                row=row,
                missing=", ".join(missing),
            )
        )
    return columns


def _cell(cells: Sequence, index: int) -> object:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = value.strip()
    return None if value == "" else value


def _is_blank(cells: Sequence) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _text(value: object) -> str:
    """A code typed into a cell a spreadsheet took for a number (502, 2024.0) is the code as typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _period_text(value: object) -> str:
    # Spreadsheets turn "2024-09" typed into a cell into 1 September 2024.
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def recent_periods(frequency: Frequency, today: date) -> list[Period]:
    """The last periods that have ended by `today`, oldest first: 6 months, 4 quarters or 3 years."""
    count = {Frequency.MONTHLY: 6, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 3}[frequency]
    current = Period.parse(
        {
            Frequency.MONTHLY: f"{today.year}-{today.month:02d}",
            Frequency.QUARTERLY: f"{today.year}-Q{(today.month - 1) // 3 + 1}",
            Frequency.ANNUAL: f"{today.year}",
        }[frequency]
    )
    periods = [current.previous()]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


def template_rows(
    indicator: Indicator, units: Sequence[AdminUnit], periods: Sequence[Period], rights: EntryRights
) -> list[Row]:
    """A row for every unit and period, with the figure there is (as `rights` may see it) filled in."""
    figures = _visible_figures(indicator, units, rights, [str(period) for period in periods])
    return [
        Row(
            indicator.code,
            unit.code,
            unit.name,
            str(period),
            *figures.get((unit.id, str(period)), (None, None)),
        )
        for unit in units
        for period in periods
    ]


def export_rows(indicator: Indicator, units: Sequence[AdminUnit], rights: EntryRights) -> list[Row]:
    """Every figure of `indicator` for `units` that `rights` may see, by unit then period."""
    figures = _visible_figures(indicator, units, rights)
    periods_of: dict[int, list[str]] = {}
    for unit_id, period in figures:
        periods_of.setdefault(unit_id, []).append(period)
    return [
        Row(indicator.code, unit.code, unit.name, period, *figures[unit.id, period])
        for unit in units
        for period in sorted(periods_of.get(unit.id, ()), key=Period.parse)
    ]


def _visible_figures(
    indicator: Indicator,
    units: Sequence[AdminUnit],
    rights: EntryRights,
    periods: Sequence[str] | None = None,
) -> dict[tuple[int, str], tuple[Decimal, str | None]]:
    """The figures as `rights` may see them: the working figure (draft or pending correction) of the
    organizations it may view, else the published figure; never another organization's draft."""
    query = select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id,
        IndicatorValue.admin_unit_id.in_([unit.id for unit in units]),
    )
    if periods is not None:
        query = query.where(IndicatorValue.period.in_(periods))
    figures = {}
    for row in db.session.scalars(query):
        if rights.may_view(row.organization_id):
            figures[row.admin_unit_id, row.period] = (row.working_value, row.working_note)
        elif row.status is ValueStatus.PUBLISHED:
            figures[row.admin_unit_id, row.period] = (row.value, row.note)
    return figures


def instructions(indicators: Iterable[Indicator]) -> list[str]:
    """The "Hướng dẫn" sheet: the format, and the indicators of the workbook with their rules."""
    lines = [
        _("How to fill in this workbook"),
        _(
            "Enter the figures in the sheet “%(sheet)s”, one per row, and upload the file in the admin "
            "(Indicators › Import). Nothing is saved until you confirm the preview.",
            sheet=DATA_SHEET,
        ),
        "",
        f"{HEADERS['indicator']}: " + _("the indicator's code (see below)."),
        f"{HEADERS['unit']}: " + _("the GSO code of the administrative unit (49 is the province)."),
        f"{HEADERS['unit_name']}: " + _("the unit's name, for reading only: it is not imported."),
        f"{HEADERS['period']}: "
        + _("the period: 2024 for a year, 2024-Q3 for a quarter, 2024-09 for a month; only ended periods."),
        f"{HEADERS['value']}: "
        + _(
            "the figure in the indicator's unit of measure, with a decimal comma or point (4,56 or 4.56), "
            "without thousands separators, at most 4 decimal places."
        ),
        f"{HEADERS['note']}: " + _("an optional note, at most %(count)s characters.", count=NOTE_LENGTH),
        "",
        _(
            "Rows without a figure are skipped. The columns may also be headed in English: %(headers)s.",
            headers=", ".join(FIELDS),
        ),
        _(
            "At most %(rows)s rows and %(size)s MiB per file. A CSV file is UTF-8, separated by commas "
            "or semicolons.",
            rows=format_decimal(MAX_ROWS),
            size=MAX_BYTES // 2**20,
        ),
        "",
        _("Indicators:"),
    ]
    for indicator in indicators:
        limits = []
        if indicator.minimum is not None:
            limits.append(_("at least %(minimum)s", minimum=_plain(indicator.minimum)))
        if indicator.maximum is not None:
            limits.append(_("at most %(maximum)s", maximum=_plain(indicator.maximum)))
        details = "; ".join([indicator.measure_unit, frequency_label(indicator.frequency), *limits])
        lines.append(f"{indicator.code}: {indicator.name_vi} ({details})")
    return lines


def write_xlsx(rows: Iterable[Row], instructions: Sequence[str]) -> bytes:
    """A workbook of `rows` in the sheet "Dữ liệu" and `instructions`, a line per row, in "Hướng dẫn"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append(list(HEADERS.values()))
    for number, row in enumerate(rows, start=2):
        sheet.append([row.indicator, row.unit, row.unit_name, row.period, _xlsx_number(row.value), row.note])
        # Codes and periods are text: a spreadsheet would otherwise turn 2024-09 into a date when edited.
        for column in (1, 2, 4):
            sheet.cell(number, column).number_format = "@"
    for letter, width in zip("ABCDEF", (28, 10, 32, 12, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for line in instructions:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a byte-order mark (so that spreadsheet programs read the accents), commas, decimal
    points."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS.values())
    for row in rows:
        value = "" if row.value is None else _plain(row.value)
        writer.writerow([row.indicator, row.unit, row.unit_name, row.period, value, row.note or ""])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_number(value: Decimal | None) -> Decimal | str | None:
    if value is None:
        return None
    text = _plain(value)
    if len(value.normalize().as_tuple().digits) > _EXACT_FLOAT_DIGITS:
        return text
    return Decimal(text)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
