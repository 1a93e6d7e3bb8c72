"""A notice's way to residents in a real browser: an editor writes it with the live preview, the audience
picker and an attachment, and submits it; an approver publishes it; the public API then serves it and its
file. The pages are used in English here (the language switch has its own test)."""

import re

from playwright.sync_api import expect

from smart_qn.accounts.users import Role
from tests.factories import SAMPLE_PDF

NOTICE_PAGE = re.compile(r"/admin/notices/(\d+)$")


def test_an_editor_writes_and_submits_a_notice_and_an_approver_publishes_it(
    new_page, live_user, live_organization, sign_in, save_screenshot, tmp_path
):
    water_works = live_organization(name_vi="Công ty Cấp nước thử nghiệm", editors_may_publish=False)
    editor = live_user(memberships={water_works.code: Role.EDITOR})
    approver = live_user(memberships={water_works.code: Role.APPROVER})
    schedule = tmp_path / "lịch cắt nước.pdf"
    schedule.write_bytes(SAMPLE_PDF)
    title = f"Lịch tạm ngừng cấp nước khu vực Hà Lam ({water_works.code})"

    editor_page = sign_in(new_page(), editor)
    editor_page.goto("/admin/notices/new?lang=en")
    editor_page.get_by_label("Title (Vietnamese)").fill(title)
    editor_page.get_by_label("Summary (Vietnamese)").fill("Tạm ngừng cấp nước để sửa đường ống chính.")
    editor_page.get_by_label("Text (Vietnamese)").fill("## Thời gian\n\nTừ **7 giờ** đến 17 giờ.")
    # The live preview: rendered by the server as residents will see it, without saving.
    expect(editor_page.locator("#body_vi-preview strong")).to_have_text("7 giờ")
    expect(editor_page.locator("#body_vi-preview h2")).to_have_text("Thời gian")
    # The audience picker: find the district without diacritics, then tick one of its communes.
    editor_page.get_by_label("Find a district or commune").fill("thang binh")
    district = editor_page.locator("details.district", has_text="Huyện Thăng Bình")
    expect(district).to_be_visible()
    expect(editor_page.locator("details.district", has_text="Thành phố Hội An")).to_be_hidden()
    district.get_by_label("Thị trấn Hà Lam").check()
    editor_page.get_by_label("Important").check()
    editor_page.get_by_label("Add files").set_input_files(schedule)
    editor_page.get_by_role("button", name="Save draft").click()

    expect(editor_page).to_have_url(NOTICE_PAGE)
    notice_id = NOTICE_PAGE.search(editor_page.url).group(1)
    expect(editor_page.get_by_role("status")).to_contain_text("The draft has been saved.")
    expect(editor_page.get_by_role("link", name="lịch cắt nước.pdf")).to_be_visible()
    expect(editor_page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    editor_page.get_by_role("button", name="Submit for review").click()
    expect(editor_page.locator(".meta .badge").first).to_have_text("In review")

    approver_page = sign_in(new_page(), approver)
    approver_page.goto("/admin/notices?status=in_review&lang=en")
    approver_page.get_by_role("link", name=title).click()
    expect(approver_page).to_have_url(re.compile(rf"/admin/notices/{notice_id}$"))
    approver_page.get_by_role("button", name="Publish", exact=True).click()
    expect(approver_page.get_by_role("status")).to_contain_text("The notice has been published.")
    expect(approver_page.locator(".meta .badge").first).to_have_text("Published")

    published = approver_page.request.get(f"/api/v1/notices/{notice_id}")
    assert published.status == 200
    body = published.json()
    assert body["title"] == title
    assert [attachment["filename"] for attachment in body["attachments"]] == ["lịch cắt nước.pdf"]
    in_thang_binh = approver_page.request.get("/api/v1/notices?unit=20818&page_size=100").json()
    assert title not in [item["title"] for item in in_thang_binh["items"]], "Xã Bình Trị is not Hà Lam"
    file = approver_page.request.get(body["attachments"][0]["url"])
    assert file.status == 200
    assert file.headers["content-type"] == "application/pdf"
    assert file.body() == SAMPLE_PDF

    editor_page.goto("/admin/")
    expect(editor_page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    save_screenshot(editor_page, "dashboard-after-publishing")
