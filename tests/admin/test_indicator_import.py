"""Spreadsheet import through the real pages (upload, preview, confirm), templates and exports: what each
kind of user may reach, errors placed by row and column with nothing written, re-imports that change
nothing, a plan that changed since its preview, and a 10,000-row file."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.extensions import db
from smart_qn.reporting import spreadsheets
from smart_qn.reporting.assignments import EntryRights, reported_units
from smart_qn.reporting.values import Actor, Entry, IndicatorValueRevision, ValueSource, apply, plan
from tests.admin.conftest import csrf_token
from tests.reporting.test_values import PROVINCE, THANG_BINH, reporting_setting

_HIDDEN = re.compile(r'<input[^>]*?name="(digest|filename|publish|fingerprint)"[^>]*?value="([^"]*)"')
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"


@pytest.fixture
def setting(make):
    return reporting_setting(make)


def csv_file(
    rows: list[list], header=("ma_chi_tieu", "ma_don_vi", "ky_bao_cao", "gia_tri", "ghi_chu")
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def upload(client, data: bytes, filename="so-lieu.csv", publish=False):
    form = {
        "csrf_token": csrf_token(client, "/admin/indicators/import"),
        "spreadsheet": (io.BytesIO(data), filename),
    }
    if publish:
        form["publish"] = "y"
    return client.post(
        "/admin/indicators/import", data=form, content_type="multipart/form-data", headers=ENGLISH
    )


def confirm(client, preview):
    fields = dict(_HIDDEN.findall(preview.get_data(as_text=True)))
    assert fields.keys() == {"digest", "filename", "publish", "fingerprint"}, fields
    token = csrf_token(client, "/admin/indicators/import")
    return client.post(
        "/admin/indicators/import/confirm", data={"csrf_token": token, **fields}, headers=ENGLISH
    )


def figure(indicator: Indicator, unit: str, period: str) -> IndicatorValue | None:
    db.session.expire_all()
    return db.session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.period == period,
            IndicatorValue.admin_unit.has(code=unit),
        )
    )


def counts(page) -> dict[str, int]:
    text = page.get_data(as_text=True)
    return {
        name: int(number)
        for name, number in re.findall(r"<dt>(New|Changed|Unchanged)</dt><dd>(\d+)</dd>", text)
    }


def written_rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(IndicatorValueRevision)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def test_an_import_is_previewed_then_confirmed(client, sign_in, make, setting):
    code = setting.indicator.code
    make.value(setting.indicator, PROVINCE, "2025-08", "10", note="old")
    sign_in(setting.editor)
    data = csv_file([[code, PROVINCE, "2025-08", "10,5", "old"], [code, PROVINCE, "2025-09", "30", ""]])

    preview = upload(client, data)

    assert preview.status_code == 200
    assert counts(preview) == {"New": 1, "Changed": 1, "Unchanged": 0}
    text = preview.get_data(as_text=True)
    assert "so-lieu.csv, row 2" in text and "10.5" in text and "+186%" in text  # 10,5 → 30 is a jump
    assert figure(setting.indicator, PROVINCE, "2025-09") is None

    done = confirm(client, preview)

    assert done.status_code == 302 and done.location.endswith("/admin/indicators/import")
    new, corrected = (
        figure(setting.indicator, PROVINCE, "2025-09"),
        figure(setting.indicator, PROVINCE, "2025-08"),
    )
    assert (new.value, new.status) == (Decimal("30"), ValueStatus.DRAFT)
    assert (corrected.value, corrected.pending_value) == (Decimal("10"), Decimal("10.5"))
    sources = db.session.scalars(
        select(IndicatorValueRevision.source).where(IndicatorValueRevision.value_id == new.id)
    )
    assert list(sources) == [ValueSource.IMPORT]
    assert "1 new and 1 changed figures saved as drafts." in client.get(
        done.location, headers=ENGLISH
    ).get_data(as_text=True)


def test_re_importing_the_same_file_changes_nothing(client, sign_in, setting):
    data = csv_file([[setting.indicator.code, PROVINCE, "2025-09", "30", "ghi chú"]])
    sign_in(setting.editor)
    first_preview = upload(client, data)
    confirm(client, first_preview)
    before = written_rows()

    preview = upload(client, data)

    assert counts(preview) == {"New": 0, "Changed": 0, "Unchanged": 1}
    text = preview.get_data(as_text=True)
    assert "importing it would change nothing" in text and "/import/confirm" not in text
    # The first confirmation sent again (a browser resubmitting it) finds everything as it is.
    again = confirm(client, first_preview)
    assert again.status_code == 409 and "importing it would change nothing" in again.get_data(as_text=True)
    assert written_rows() == before


def test_problems_are_listed_with_row_and_column_and_nothing_is_written(client, sign_in, setting, import_dir):
    code = setting.indicator.code
    data = csv_file(
        [
            [code, PROVINCE, "2025-09", "30", ""],
            [code, "99999", "2025-09", "1", ""],
            [code, PROVINCE, "2025-13", "1", ""],
            [code, PROVINCE, "2025-10", "nhiều", ""],
            [code, THANG_BINH, "2025-09", "1", ""],
        ]
    )
    sign_in(setting.editor)
    before = written_rows()

    page = upload(client, data)

    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "4 problems: nothing has been saved" in text
    assert "so-lieu.csv, row 3, column B (ma_don_vi): Unknown unit code: 99999." in text
    assert "so-lieu.csv, row 4, column C (ky_bao_cao): Not a period: 2025-13." in text
    assert "so-lieu.csv, row 5, column D (gia_tri): Not a number: nhiều." in text
    assert "so-lieu.csv, row 6, column B (ma_don_vi): Not your unit" in text
    assert figure(setting.indicator, PROVINCE, "2025-09") is None
    assert written_rows() == before
    assert not import_dir.exists() or not any(import_dir.rglob("*"))


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\n", "report.pdf", "This is not an XLSX or CSV file that can be read."),
        (b"X,49,2025,1\n", "a.csv", "is not a header row"),
        (b"ma_chi_tieu,ma_don_vi,ky_bao_cao,gia_tri,tong\nX,49,2025,1,2\n", "a.csv", "unknown columns tong"),
        (b"", "a.csv", "The file is empty."),
    ],
)
def test_a_bad_file_is_refused_beside_the_field(client, sign_in, setting, data, filename, message):
    sign_in(setting.editor)
    page = upload(client, data, filename)
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)


def test_publishing_on_import_is_offered_to_those_who_may_publish(client, sign_in, setting):
    data = csv_file([[setting.indicator.code, PROVINCE, "2025-09", "30", ""]])
    sign_in(setting.editor)
    assert 'name="publish"' not in client.get("/admin/indicators/import").get_data(as_text=True)
    refused = upload(client, data, publish=True)
    assert refused.status_code == 422 and "but not publish them" in refused.get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})

    sign_in(setting.approver)
    assert 'name="publish"' in client.get("/admin/indicators/import").get_data(as_text=True)
    preview = upload(client, data, publish=True)
    assert "residents see them at once" in preview.get_data(as_text=True)
    confirm(client, preview)
    published = figure(setting.indicator, PROVINCE, "2025-09")
    assert (published.status, published.value) == (ValueStatus.PUBLISHED, Decimal("30"))


def test_a_plan_that_changed_since_its_preview_is_shown_again_not_applied(client, sign_in, setting):
    code = setting.indicator.code
    data = csv_file([[code, PROVINCE, "2025-09", "30", ""], [code, PROVINCE, "2025-10", "31", ""]])
    sign_in(setting.editor)
    preview = upload(client, data)
    assert counts(preview) == {"New": 2, "Changed": 0, "Unchanged": 0}
    # Meanwhile a colleague enters October's figure as in the file.
    with client.application.test_request_context():
        colleagues_plan = plan(
            [Entry(code, PROVINCE, "2025-10", "31")],
            EntryRights.of_user(setting.approver),
            today=date(2026, 1, 1),
            units_as_of=client.application.config["UNITS_AS_OF"],
        )
        apply(colleagues_plan, Actor.of_user(setting.approver), ValueSource.FORM)
    db.session.flush()

    again = confirm(client, preview)

    assert again.status_code == 409
    assert "The figures have changed since the preview" in again.get_data(as_text=True)
    assert counts(again) == {"New": 1, "Changed": 0, "Unchanged": 1}
    assert figure(setting.indicator, PROVINCE, "2025-09") is None
    assert confirm(client, again).status_code == 302
    assert figure(setting.indicator, PROVINCE, "2025-09").value == Decimal("30")


def test_an_upload_is_confirmed_only_by_the_user_who_made_it(client, sign_in, make, setting):
    data = csv_file([[setting.indicator.code, PROVINCE, "2025-09", "30", ""]])
    sign_in(setting.editor)
    preview = upload(client, data)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})

    colleague = make.user(memberships={setting.department: Role.APPROVER})
    sign_in(colleague)
    refused = confirm(client, preview)

    assert refused.status_code == 302
    assert "no longer kept" in client.get(refused.location, headers=ENGLISH).get_data(as_text=True)
    assert figure(setting.indicator, PROVINCE, "2025-09") is None


def test_an_indicator_template_lists_the_users_units_and_recent_periods(client, sign_in, make, setting):
    make.value(setting.indicator, THANG_BINH, "2026-09", "44", organization_id=setting.district.id)
    sign_in(setting.district_editor)

    response = client.get(f"/admin/indicators/{setting.indicator.code}/template.xlsx")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    rows = list(workbook[spreadsheets.DATA_SHEET].iter_rows(values_only=True))
    assert rows[0] == tuple(spreadsheets.HEADERS.values())
    assert {row[1] for row in rows[1:]} == {THANG_BINH} and len(rows) == 7
    assert (setting.indicator.code, THANG_BINH, "Huyện Thăng Bình", "2026-09", 44, None) in rows
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/admin/indicators/{setting.indicator.code}/template.csv").data.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert (
        len(csv_rows) == 7
        and [setting.indicator.code, THANG_BINH, "Huyện Thăng Bình", "2026-09", "44", ""] in csv_rows
    )


def test_an_organization_template_covers_every_indicator_it_reports(client, sign_in, make, setting):
    second = reporting_setting(make)
    second.indicator.reporters[0].organization = setting.department
    db.session.flush()
    sign_in(setting.editor)

    response = client.get(f"/admin/indicators/template.xlsx?organization={setting.department.code}")

    rows = list(
        load_workbook(io.BytesIO(response.data))[spreadsheets.DATA_SHEET].iter_rows(values_only=True)
    )[1:]
    assert {(row[0], row[1]) for row in rows} == {
        (setting.indicator.code, PROVINCE),
        (second.indicator.code, PROVINCE),
    }
    assert (
        client.get(f"/admin/indicators/export.csv?organization={setting.department.code}").status_code == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/admin/indicators/{code}/template.xlsx",
        "/admin/indicators/{code}/export.csv",
        "/admin/indicators/template.xlsx?organization={organization}",
        "/admin/indicators/export.xlsx?organization={organization}",
        "/admin/indicators/template.csv?organization=NO-SUCH",
        "/admin/indicators/NO_SUCH/template.xlsx",
    ],
)
def test_another_organizations_indicators_and_spreadsheets_are_not_found(
    client, sign_in, make, setting, path
):
    outsider = make.user(memberships={make.organization(): Role.APPROVER})
    sign_in(outsider)
    url = path.format(code=setting.indicator.code, organization=setting.department.code)
    assert client.get(url).status_code == 404


def test_an_export_never_has_another_organizations_drafts_and_imports_unchanged(
    client, sign_in, make, setting
):
    indicator = setting.indicator
    make.value(indicator, PROVINCE, "2025-08", "10", status=ValueStatus.DRAFT)
    make.value(indicator, THANG_BINH, "2025-08", "20", organization_id=setting.district.id)
    make.value(
        indicator, THANG_BINH, "2025-09", "999", status=ValueStatus.DRAFT, organization_id=setting.district.id
    )
    sign_in(setting.editor)

    export = client.get(f"/admin/indicators/{indicator.code}/export.xlsx")

    rows = list(load_workbook(io.BytesIO(export.data))[spreadsheets.DATA_SHEET].iter_rows(values_only=True))[
        1:
    ]
    assert [(row[1], row[3], row[4]) for row in rows] == [
        (PROVINCE, "2025-08", 10),
        (THANG_BINH, "2025-08", 20),
    ]
    preview = upload(client, export.data, "export.xlsx")
    assert preview.status_code == 200
    assert counts(preview) == {"New": 0, "Changed": 0, "Unchanged": 2}


@pytest.fixture
def ten_thousand_rows(app):
    """10,000 figures of the demo's monthly district indicators, as an administrator may enter them."""
    monthly = db.session.scalars(
        select(Indicator).where(Indicator.frequency == "monthly").order_by(Indicator.position)
    ).all()
    units_of = {
        indicator.code: reported_units(indicator, None, app.config["UNITS_AS_OF"]) for indicator in monthly
    }
    rows = []
    for year in range(2022, 2026):
        for month in range(1, 13):
            for indicator in monthly:
                for unit in units_of[indicator.code]:
                    rows.append(
                        spreadsheets.Row(
                            indicator.code,
                            unit.code,
                            unit.name,
                            f"{year}-{month:02d}",
                            Decimal(len(rows) % 97 + 1),
                            None,
                        )
                    )
    return rows[:10_000]


def test_a_ten_thousand_row_file_is_previewed_and_confirmed(
    client, sign_in, make, with_second_factor, ten_thousand_rows
):
    sign_in(with_second_factor(make.user(is_admin=True)))
    data = spreadsheets.write_xlsx(ten_thousand_rows, [])

    preview = upload(client, data, "demo.xlsx")

    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    shown = counts(preview)
    assert sum(shown.values()) == 10_000
    assert "The first 500 of" in preview.get_data(as_text=True)
    assert confirm(client, preview).status_code == 302
    again = upload(client, data, "demo.xlsx")
    assert counts(again) == {"New": 0, "Changed": 0, "Unchanged": 10_000}
