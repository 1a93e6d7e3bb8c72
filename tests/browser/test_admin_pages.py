"""The admin in a real browser: signing in with a password and with an authenticator, the dashboard, the
users list, the language switch, signing out, and the dashboard on a phone."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import Role
from smart_qn.content.notices import NoticeState
from tests import factories

DASHBOARD = re.compile(r"/admin/$")
LOGIN = re.compile(r"/admin/login(\?.*)?$")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def count_of(card: Locator, label: str) -> Locator:
    return card.locator("div", has=card.page.locator("dt", has_text=label)).locator("dd")


def fill_sign_in_form(page: Page, email: str, password: str) -> None:
    page.get_by_label("Địa chỉ e-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_editor_signs_in_and_sees_their_organizations_work_on_the_dashboard(
    page, live_user, live_organization, live_db, save_screenshot
):
    clinic = live_organization(name_vi="Trung tâm Y tế thử nghiệm")
    with live_db() as session:
        make = factories.Factories()
        health = make.category_by_slug("y-te")
        owner = session.get(Organization, clinic.id)
        for state in (NoticeState.DRAFT, NoticeState.DRAFT, NoticeState.IN_REVIEW):
            make.notice(organization=owner, category=health, state=state)
    editor = live_user(memberships={clinic.code: Role.EDITOR})

    page.goto("/admin/login")
    expect(heading(page)).to_have_text("Đăng nhập")
    fill_sign_in_form(page, editor.email, editor.password)

    expect(page).to_have_url(DASHBOARD)
    expect(heading(page)).to_have_text("Tổng quan")
    expect(page.get_by_role("banner")).to_contain_text(editor.display_name)
    card = page.get_by_role("region", name="Trung tâm Y tế thử nghiệm")
    expect(card).to_contain_text("Vai trò của bạn: Biên tập viên")
    expect(count_of(card, "Bản nháp")).to_have_text("2")
    expect(count_of(card, "Chờ duyệt")).to_have_text("1")
    expect(count_of(card, "Hẹn giờ đăng")).to_have_text("0")
    # Accounts are the administrators' business.
    expect(page.get_by_role("link", name="Người dùng")).to_have_count(0)
    save_screenshot(page, "dashboard-editor")


def test_an_administrator_signs_in_with_the_code_from_their_authenticator(page, live_user):
    admin = live_user(is_admin=True)

    page.goto("/admin/users")
    expect(page).to_have_url(LOGIN)
    fill_sign_in_form(page, admin.email, admin.password)
    expect(heading(page)).to_have_text("Xác thực hai lớp")
    code = page.get_by_label("Mã", exact=True)
    code.fill("12345")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#code-errors")).to_have_text(
        "Mã không hợp lệ. Hãy thử mã hiện tại hoặc một mã khôi phục."
    )
    code.fill(admin.totp_code())
    page.get_by_role("button", name="Tiếp tục").click()

    # Back where they were going: the users list, where they are themselves.
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(heading(page)).to_have_text("Người dùng")
    own_row = page.get_by_role("row").filter(has_text=admin.email)
    expect(own_row).to_contain_text(admin.display_name)
    expect(own_row).to_contain_text("Quản trị viên")
    expect(own_row).to_contain_text("Đã bật xác thực hai lớp")


def test_a_wrong_password_is_answered_in_the_form_and_keeps_the_address(page, live_user):
    editor = live_user(memberships={"SYT": Role.EDITOR})

    page.goto("/admin/login")
    fill_sign_in_form(page, editor.email, "not the password")

    expect(page).to_have_url(LOGIN)
    expect(page.locator("main form").get_by_role("alert")).to_have_text("Sai địa chỉ e-mail hoặc mật khẩu.")
    expect(page.get_by_label("Địa chỉ e-mail")).to_have_value(editor.email)
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def test_the_language_switch_keeps_the_page_and_holds_on_the_next_ones(page, live_user, sign_in):
    admin = live_user(is_admin=True)
    sign_in(page, admin)
    page.get_by_role("link", name="Người dùng").click()
    expect(heading(page)).to_have_text("Người dùng")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/admin/users\?lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_text("Users")
    expect(page.get_by_role("columnheader", name="E-mail address")).to_be_visible()
    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(DASHBOARD)
    expect(heading(page)).to_have_text("Dashboard")

    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page).to_have_url(re.compile(r"/admin/\?lang=vi$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(heading(page)).to_have_text("Tổng quan")
    expect(page.get_by_role("link", name="English")).to_be_visible()


def test_signing_out_ends_the_session(page, live_user, sign_in):
    editor = live_user(memberships={"SYT": Role.EDITOR})
    sign_in(page, editor)
    signed_in_cookies = page.context.cookies()

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(LOGIN)
    expect(page.get_by_role("status")).to_have_text("Bạn đã đăng xuất.")
    page.goto("/admin/")
    expect(page).to_have_url(LOGIN)
    expect(heading(page)).to_have_text("Đăng nhập")

    # The cookie from before, sent again, opens nothing: the session ended on the server too.
    page.context.clear_cookies()
    page.context.add_cookies(signed_in_cookies)
    page.goto("/admin/")
    expect(page).to_have_url(LOGIN)
    expect(page.get_by_role("status")).to_have_text("Phiên làm việc đã kết thúc. Vui lòng đăng nhập lại.")


@pytest.mark.viewport("phone")
def test_the_dashboard_fits_a_phone_screen(page, live_user, sign_in, save_screenshot):
    editor = live_user(memberships={"SYT": Role.EDITOR, "UBND-513": Role.APPROVER})
    sign_in(page, editor)

    expect(page.get_by_role("region")).to_have_count(2)
    expect(page.get_by_text("Vai trò của bạn: Người phê duyệt")).to_be_visible()
    # Laid out for the phone's own width (a page without a viewport tag would get 980 px), and nothing
    # wider than it.
    page_width, screen_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert screen_width == page.viewport_size["width"]
    assert page_width <= screen_width
    save_screenshot(page, "dashboard-phone")
