"""The indicator pages in a real browser: a district People's Committee's editor corrects a published
figure in the grid with a decimal comma, then types one that is not a number; axe checks the grid (on a
desktop and a phone), the indicators list, the spreadsheet import and the freshness report."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from smart_qn.accounts.users import Role
from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.geography import AdminUnit
from smart_qn.localtime import province_today
from tests.browser.axe import describe, run_axe

# The demo's Thăng Bình district and its People's Committee, which reports the district's figures of
# every district-level indicator.
THANG_BINH = "513"
THANG_BINH_COMMITTEE = "UBND-513"
POOR_HOUSEHOLDS = "POOR_HOUSEHOLD_RATE"
GRID = re.compile(rf"/admin/indicators/{POOR_HOUSEHOLDS}/values(\?.*)?$")


def assert_accessible(page: Page) -> None:
    violations = run_axe(page)
    assert not violations, f"{page.url}:\n{describe(violations)}"


def stored_figure(live_db, period: str) -> tuple[ValueStatus, Decimal, Decimal | None, datetime]:
    """Thăng Bình's figure of the period as stored: its status, published value, pending correction and
    last change."""
    with live_db() as session:
        return session.execute(
            select(
                IndicatorValue.status,
                IndicatorValue.value,
                IndicatorValue.pending_value,
                IndicatorValue.updated_at,
            )
            .join(Indicator)
            .join(AdminUnit)
            .where(Indicator.code == POOR_HOUSEHOLDS, AdminUnit.code == THANG_BINH)
            .where(IndicatorValue.period == period)
        ).one()


def test_a_district_editor_corrects_a_figure_with_a_decimal_comma_and_is_told_about_one_that_is_not_a_number(
    new_page, live_app, live_user, live_db, sign_in, save_screenshot
):
    editor = live_user(memberships={THANG_BINH_COMMITTEE: Role.EDITOR})
    with live_app.app_context():
        latest_year = str(province_today().year - 1)
    # The demo's recent reporting has Thăng Bình's figure of the latest finished year published.
    status, published, pending, _changed = stored_figure(live_db, latest_year)
    assert (status, pending) == (ValueStatus.PUBLISHED, None)
    published_input = format(published.normalize(), "f").replace(".", ",")

    page = sign_in(new_page(), editor)
    page.get_by_role("link", name="Chỉ tiêu", exact=True).click()
    page.get_by_role("row").filter(has_text=POOR_HOUSEHOLDS).get_by_role("link", name="Số liệu").click()
    expect(page).to_have_url(GRID)

    # Only the district the committee reports: neither the province's row nor another district's.
    unit_rows = page.locator("table.grid tbody th[scope=row]")
    expect(unit_rows).to_have_count(1)
    expect(unit_rows).to_contain_text("Huyện Thăng Bình")
    expect(page.locator("table.grid thead th").last).to_have_text(latest_year)
    latest = page.get_by_label(f"Giá trị Huyện Thăng Bình {latest_year}", exact=True)
    about_latest = page.locator(f"#about-{THANG_BINH}-{latest_year}")
    expect(latest).to_have_value(published_input)
    other_figures = page.locator(f"table.grid input[id^=value-]:not(#value-{THANG_BINH}-{latest_year})")
    other_figures_before = [field.input_value() for field in other_figures.all()]
    assert len(other_figures_before) == 2 and all(other_figures_before)

    latest.fill("3,9")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page).to_have_url(GRID)
    expect(page.get_by_role("status").filter(has_text="Đã lưu nháp")).to_have_text(
        "Đã lưu nháp: 0 số liệu mới, 1 số liệu thay đổi."
    )
    # A correction of a published figure: residents keep seeing the published one until it is published.
    expect(latest).to_have_value("3,9")
    expect(about_latest.locator(".badge")).to_have_text("Bản sửa chờ công bố")
    expect(about_latest).to_contain_text(f"Đã công bố: {published_input}")
    corrected = stored_figure(live_db, latest_year)
    assert corrected[:3] == (ValueStatus.PUBLISHED, published, Decimal("3.9"))

    latest.fill("abc")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("main").get_by_role("alert")).to_contain_text("Chưa lưu gì")
    expect(latest).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#errors-{THANG_BINH}-{latest_year}")).to_have_text(
        "Không phải là số: abc. Hãy viết không có dấu phân cách hàng nghìn, ví dụ 1234,5."
    )
    expect(latest).to_have_value("abc")
    expect(page.locator("input[aria-invalid=true]")).to_have_count(1)
    assert_accessible(page)
    save_screenshot(page, "indicator-grid-refused")
    assert stored_figure(live_db, latest_year) == corrected

    page.goto(f"/admin/indicators/{POOR_HOUSEHOLDS}/values")
    expect(latest).to_have_value("3,9")
    assert [field.input_value() for field in other_figures.all()] == other_figures_before
    assert_accessible(page)
    save_screenshot(page, "indicator-grid")

    phone = sign_in(new_page("phone"), editor)
    phone.goto(f"/admin/indicators/{POOR_HOUSEHOLDS}/values")
    expect(phone.get_by_label(f"Giá trị Huyện Thăng Bình {latest_year}", exact=True)).to_have_value("3,9")
    # The grid scrolls sideways in its frame; the page itself stays as wide as the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    assert_accessible(phone)
    save_screenshot(phone, "indicator-grid-phone")


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/admin/indicators", "Chỉ tiêu"),
        ("/admin/indicators/import", "Nhập số liệu chỉ tiêu"),
        ("/admin/indicators/freshness", "Tình hình cập nhật chỉ tiêu"),
    ],
)
def test_the_indicator_pages_of_a_district_editor_are_accessible(
    page, live_user, sign_in, save_screenshot, path, title
):
    editor = live_user(memberships={THANG_BINH_COMMITTEE: Role.EDITOR})
    sign_in(page, editor)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)
    save_screenshot(page, f"indicators-{path.rsplit('/', 1)[-1]}-editor")


def test_the_freshness_report_of_an_administrator_is_accessible(page, live_user, sign_in, save_screenshot):
    admin = live_user(is_admin=True)
    sign_in(page, admin)
    page.get_by_role("link", name="Báo cáo cập nhật số liệu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tình hình cập nhật chỉ tiêu")
    # Every organization's summary, the district committees' among them.
    expect(
        page.locator("table.freshness-summary tbody tr").filter(has_text=THANG_BINH_COMMITTEE)
    ).to_have_count(1)
    assert_accessible(page)
    save_screenshot(page, "indicator-freshness-admin")
