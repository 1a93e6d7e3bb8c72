"""Reading uploads into entries that know their sheet and row, every kind of bad file, templates and
exports (what they show of whose figures), and the round trip through the entry engine."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from smart_qn.content.indicators import ValueStatus
from smart_qn.content.periods import Frequency, Period
from smart_qn.reporting import spreadsheets
from smart_qn.reporting.assignments import EntryRights
from smart_qn.reporting.spreadsheets import SpreadsheetError, read
from smart_qn.reporting.values import Entry, Outcome
from tests.reporting.test_values import (
    PROVINCE,
    THANG_BINH,
    plan_for,
    reporting_setting,
    write,
)

ENGLISH = {"Accept-Language": "en"}
HEADER = ["ma_chi_tieu", "ma_don_vi", "ten_don_vi", "ky_bao_cao", "gia_tri", "ghi_chu"]


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setting(make):
    return reporting_setting(make)


def test_a_csv_with_semicolons_a_bom_and_decimal_commas(app):
    data = (
        "\ufeffMA_CHI_TIEU;ma_don_vi;ky_bao_cao;gia_tri;ghi_chu\r\n"
        "X;49;2026-09;4,56;Ghi chú\r\n"
        ";;;;\r\n"
        "X;502;2026-09;7;\r\n"
    )
    with app.test_request_context(headers=ENGLISH):
        sheet = read(data.encode(), "số liệu.csv")
    assert sheet.name == "số liệu.csv"
    assert sheet.entries == [
        Entry("X", "49", "2026-09", "4,56", "Ghi chú", "số liệu.csv, row 2"),
        Entry("X", "502", "2026-09", "7", None, "số liệu.csv, row 4"),
    ]
    assert (sheet.columns["value"].letter, sheet.columns["value"].header) == ("D", "gia_tri")


def test_a_csv_with_commas_and_english_headers_quoting_decimal_commas(app):
    data = 'indicator,unit,unit_name,period,value,note\nX,49,"Tỉnh Quảng Nam",2026,"4,5",\n'
    with app.test_request_context(headers=ENGLISH):
        (only,) = read(data.encode(), "figures.csv").entries
    assert (only.unit, only.period, only.value, only.note) == ("49", "2026", "4,5", None)


def test_an_xlsx_reads_numbers_as_numbers_and_codes_as_typed(app):
    rows = [
        HEADER,
        ["X", 49, "Tỉnh", "2026-09", 4.56, None],
        [None, None, None, None, None, None],
        ["X", "502", None, datetime(2026, 8, 1), "1,5", 12],
        ["X", 502.0, None, 2026, Decimal("7"), " note "],
        ["X", 503, None, "2026-07", None, None],  # a template row left empty
    ]
    with app.test_request_context(headers=ENGLISH):
        sheet = read(xlsx(("Khác", [["ignored"]]), (spreadsheets.DATA_SHEET, rows)), "upload.bin")
    assert sheet.name == spreadsheets.DATA_SHEET
    assert [(e.unit, e.period, e.value, e.note, e.label) for e in sheet.entries] == [
        ("49", "2026-09", 4.56, None, "Dữ liệu, row 2"),
        ("502", "2026-08", "1,5", "12", "Dữ liệu, row 4"),
        ("502", "2026", 7, "note", "Dữ liệu, row 5"),
    ]


def test_the_first_sheet_is_read_when_none_is_named_for_the_data(app):
    with app.test_request_context(headers=ENGLISH):
        sheet = read(xlsx(("Sheet1", [HEADER, ["X", "49", "", "2026", 1, ""]]), ("Sheet2", [])), "a.xlsx")
    assert sheet.name == "Sheet1" and len(sheet.entries) == 1


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (PNG, "a.png", "not an XLSX or CSV file"),
        (b"%PDF-1.4 \xff\xfe binary", "a.pdf", "not an XLSX or CSV file"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "not an XLSX or CSV file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "Excel 97–2003"),
        (b"ma_chi_tieu;gia_tri\nCaf\xe9;1", "a.csv", "not in UTF-8"),
        (b"\n\n", "a.csv", "has no rows"),
        (b"X,49,2026,1\n", "a.csv", "row 1 is not a header row"),
        (b"ma_chi_tieu,ma_don_vi,ky_bao_cao,gia_tri,don_vi_tinh\n", "a.csv", "unknown columns don_vi_tinh"),
        (b"ma_chi_tieu,ma_don_vi,gia_tri\n", "a.csv", "the columns ky_bao_cao are missing"),
        (b"indicator,ma_chi_tieu,unit,period,value\n", "a.csv", "the column ma_chi_tieu is there twice"),
        (b"ma_chi_tieu,ma_don_vi,ky_bao_cao,gia_tri\n,,,\n", "a.csv", "no figures below its header"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(app, data, filename, message):
    with app.test_request_context(headers=ENGLISH), pytest.raises(SpreadsheetError, match=message):
        read(data, filename)


def test_files_too_large_or_too_long_are_refused(app, monkeypatch):
    with app.test_request_context(headers=ENGLISH):
        with pytest.raises(SpreadsheetError, match="larger than 10 MiB"):
            read(b"x" * (spreadsheets.MAX_BYTES + 1), "a.csv")
        monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
        rows = "".join(f"X,49,2026-0{month},1\n" for month in range(1, 5))
        assert len(read(f"indicator,unit,period,value\n{rows[:-13]}".encode(), "a.csv").entries) == 3
        with pytest.raises(SpreadsheetError, match="more than 3 rows"):
            read(f"indicator,unit,period,value\n{rows}".encode(), "a.csv")


def test_problems_are_placed_by_sheet_row_and_column(app, setting):
    code = setting.indicator.code
    rows = [
        HEADER,
        [code, PROVINCE, "Tỉnh", "2026-09", "abc", None],
        [code, "99999", None, "2026-09", 1, None],
        [code, PROVINCE, None, "2026-13", 1, None],
        [code, THANG_BINH, None, "2026-08", 1, None],
        ["NOPE", PROVINCE, None, "2026-08", 1, None],
    ]
    with app.test_request_context(headers=ENGLISH):
        sheet = read(xlsx((spreadsheets.DATA_SHEET, rows)), "a.xlsx")
        planned = plan_for(setting.editor, sheet.entries, publish_=True)
        located = sheet.locate_all(planned.problems)
    assert located == [
        "Dữ liệu, row 2, column E (gia_tri): Not a number: abc. "
        "Write it without thousands separators, e.g. 1234,5.",
        "Dữ liệu, row 3, column B (ma_don_vi): Unknown unit code: 99999.",
        "Dữ liệu, row 4, column D (ky_bao_cao): Not a period: 2026-13. Write 2024, 2024-Q3 or 2024-09.",
        f"Dữ liệu, row 5, column B (ma_don_vi): Not your unit: you may not enter {code} "
        "for Huyện Thăng Bình.",
        "Dữ liệu, row 6, column A (ma_chi_tieu): Unknown indicator code: NOPE.",
    ]


def test_a_problem_that_is_not_about_a_column_names_the_row(app, setting):
    data = f"indicator,unit,period,value\n{setting.indicator.code},49,2026-09,1\n".encode()
    with app.test_request_context(headers=ENGLISH):
        sheet = read(data, "a.csv")
        (problem,) = plan_for(setting.editor, sheet.entries, publish_=True).problems
        assert sheet.locate(problem).startswith("a.csv, row 2: You may save figures of ")


def test_recent_periods_are_those_that_have_ended():
    today = date(2026, 11, 21)
    assert [str(p) for p in spreadsheets.recent_periods(Frequency.MONTHLY, today)] == [
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    assert [str(p) for p in spreadsheets.recent_periods(Frequency.QUARTERLY, today)] == [
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert [str(p) for p in spreadsheets.recent_periods(Frequency.ANNUAL, date(2026, 1, 1))] == [
        "2023",
        "2024",
        "2025",
    ]


def test_exports_show_published_figures_and_only_the_users_own_drafts(app, make, setting):
    indicator = setting.indicator
    make.value(
        indicator, PROVINCE, "2026-08", "10", note="public", pending_value=Decimal("11"), pending_note="fix"
    )
    make.value(indicator, PROVINCE, "2026-09", "20", status=ValueStatus.DRAFT)
    make.value(
        indicator,
        THANG_BINH,
        "2026-08",
        "30",
        organization_id=setting.district.id,
        pending_value=Decimal("31"),
    )
    make.value(
        indicator, THANG_BINH, "2026-09", "40", status=ValueStatus.DRAFT, organization_id=setting.district.id
    )
    units = [make.unit(PROVINCE), make.unit(THANG_BINH)]

    def exported(user):
        with app.test_request_context(headers=ENGLISH):
            rows = spreadsheets.export_rows(indicator, units, EntryRights.of_user(user))
        return [(row.unit, row.period, row.value, row.note) for row in rows]

    assert exported(setting.editor) == [
        (PROVINCE, "2026-08", Decimal("11"), "fix"),
        (PROVINCE, "2026-09", Decimal("20"), None),
        (THANG_BINH, "2026-08", Decimal("30"), None),
    ]
    assert exported(setting.district_editor) == [
        (PROVINCE, "2026-08", Decimal("10"), "public"),
        (THANG_BINH, "2026-08", Decimal("31"), None),
        (THANG_BINH, "2026-09", Decimal("40"), None),
    ]
    assert len(exported(make.user(is_admin=True))) == 4


def test_a_template_lists_every_unit_and_period_with_the_figures_there_are(app, make, setting):
    make.value(
        setting.indicator,
        THANG_BINH,
        "2026-09",
        "40",
        status=ValueStatus.DRAFT,
        organization_id=setting.district.id,
    )
    periods = [Period.parse("2026-08"), Period.parse("2026-09")]
    with app.test_request_context(headers=ENGLISH):
        rows = spreadsheets.template_rows(
            setting.indicator, [make.unit(THANG_BINH)], periods, EntryRights.of_user(setting.district_editor)
        )
    assert [(row.unit, row.unit_name, row.period, row.value) for row in rows] == [
        (THANG_BINH, "Huyện Thăng Bình", "2026-08", None),
        (THANG_BINH, "Huyện Thăng Bình", "2026-09", Decimal("40")),
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_imports_again_unchanged(app, make, file_format):
    setting = reporting_setting(make, maximum=None)
    indicator = setting.indicator
    make.value(indicator, THANG_BINH, "2026-08", "30.5", note="huyện", organization_id=setting.district.id)
    with app.test_request_context(headers=ENGLISH):
        write(
            setting.editor,
            [
                Entry(indicator.code, PROVINCE, "2026-08", "12345678901,2345", "dài"),
                Entry(indicator.code, PROVINCE, "2026-09", "0,0001", None),
            ],
        )
        rights = EntryRights.of_user(setting.editor)
        rows = spreadsheets.export_rows(indicator, [make.unit(PROVINCE), make.unit(THANG_BINH)], rights)
        data = (
            spreadsheets.write_xlsx(rows, spreadsheets.instructions([indicator]))
            if file_format == "xlsx"
            else spreadsheets.write_csv(rows)
        )
        sheet = read(data, f"export.{file_format}")
        planned = plan_for(setting.editor, sheet.entries)
    assert planned.ok, [problem.message for problem in planned.problems]
    assert [change.outcome for change in planned.changes] == [Outcome.UNCHANGED] * 3
    assert planned.changes[0].value == Decimal("12345678901.2345")


def test_the_workbook_has_its_instructions(app, setting):
    with app.test_request_context(headers=ENGLISH):
        data = spreadsheets.write_xlsx([], spreadsheets.instructions([setting.indicator]))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [spreadsheets.DATA_SHEET, spreadsheets.INSTRUCTIONS_SHEET]
    assert [cell.value for cell in workbook[spreadsheets.DATA_SHEET][1]] == HEADER
    guide = [row[0] for row in workbook[spreadsheets.INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    assert any(
        line and line.startswith(f"{setting.indicator.code}: ") and "at most 100" in line for line in guide
    )
