"""The admin's notice pages: list, form, lifecycle buttons, history, conflicts, as editors and approvers
use them through the real pages (sign-in, CSRF tokens, the public API to see what residents get)."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content import lifecycle
from smart_qn.content.attachments import attachments_in_order
from smart_qn.content.notices import Notice, NoticeState
from smart_qn.content.revisions import NoticeRevision, revisions_of
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.admin.conftest import csrf_token, post_form
from tests.factories import SAMPLE_PDF, sample_image


@pytest.fixture
def organization(make):
    return make.organization()


@pytest.fixture
def editor(make, organization):
    return make.user(memberships={organization: Role.EDITOR})


@pytest.fixture
def approver(make, organization):
    return make.user(memberships={organization: Role.APPROVER})


@pytest.fixture
def category(make):
    return make.category()


@pytest.fixture
def form_data(make, organization, category):
    """What an editor types into the new-notice form."""
    return {
        "organization_id": organization.id,
        "category_id": category.id,
        "title_vi": "Lịch tiêm chủng mở rộng tháng 12",
        "summary_vi": "Tiêm chủng miễn phí tại các trạm y tế xã.",
        "body_vi": "Mang theo **sổ tiêm chủng**.\n\nDòng hai.",
        "title_en": "",
        "summary_en": "",
        "body_en": "",
        "urgency": "important",
        "audience": [make.unit("49").id],
        "publish_at": "",
        "expire_at": "",
        "action": "save",
    }


@pytest.fixture
def draft(organization, editor, category, make):
    notice = lifecycle.create_draft(
        organization,
        {
            "title_vi": "Thông báo lịch cắt điện",
            "summary_vi": "Cắt điện để bảo trì lưới.",
            "body_vi": "Dòng một.\nDòng hai.",
            "category_id": category.id,
            "audience_unit_ids": [make.unit("49").id],
        },
        by=editor,
    )
    db.session.flush()
    return notice


def edit_form(notice: Notice, **changes) -> dict:
    """The edit form as the page fills it in for `notice`, with `changes` typed over it."""
    content = lifecycle.working_content(notice)
    data = {
        "category_id": content["category_id"],
        "title_vi": content["title_vi"],
        "summary_vi": content["summary_vi"],
        "body_vi": content["body_vi"],
        "urgency": content["urgency"],
        "audience": content["audience_unit_ids"],
        "attachment_ids": content.get("attachment_ids", []),
        "version": notice.version,
        "action": "save",
    }
    return data | changes


def audit_count(action: str, notice_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.object_id == str(notice_id))
    )


def public_title(client, notice: Notice) -> str | None:
    """The title residents get from the public API, or None if they cannot see the notice."""
    response = client.get(f"/api/v1/notices/{notice.id}")
    return response.json["title"] if response.status_code == 200 else None


def test_an_editor_writes_a_draft_through_the_form(client, sign_in, editor, form_data):
    sign_in(editor)
    form_page = client.get("/admin/notices/new")
    assert form_page.status_code == 200
    assert 'name="audience"' in form_page.get_data(as_text=True)

    response = post_form(client, "/admin/notices/new", form_data)

    assert response.status_code == 302
    notice = db.session.scalar(select(Notice).where(Notice.title_vi == form_data["title_vi"]))
    assert notice.state is NoticeState.DRAFT
    assert notice.urgency.value == "important"
    assert [unit.code for unit in notice.audience] == ["49"]
    assert notice.title_en is None
    assert len(revisions_of(notice)) == 1
    assert audit_count("notice.create", notice.id) == 1
    assert response.location.endswith(f"/admin/notices/{notice.id}")


def test_invalid_input_is_shown_beside_the_fields_and_nothing_typed_is_lost(
    client, sign_in, editor, form_data
):
    sign_in(editor)
    typed = form_data | {
        "title_vi": "",
        "audience": [],
        "body_vi": "Nội dung <em>đã gõ</em> không được mất",
        "publish_at": "2026-12-02T08:00",
        "expire_at": "2026-12-01T08:00",
    }

    response = post_form(client, "/admin/notices/new", typed)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="title_vi-errors"', page)
    assert "Choose at least one unit" in page or "Chọn ít nhất một đơn vị" in page
    assert re.search(r'id="expire_at-errors"', page)
    assert "Nội dung &lt;em&gt;đã gõ&lt;/em&gt; không được mất" in page
    assert 'value="2026-12-02T08:00"' in page
    assert (
        db.session.scalar(
            select(func.count()).select_from(Notice).where(Notice.summary_vi == typed["summary_vi"])
        )
        == 0
    )


def test_times_are_typed_in_vietnam_time_and_kept_in_utc(client, sign_in, editor, form_data):
    sign_in(editor)
    post_form(
        client,
        "/admin/notices/new",
        form_data | {"publish_at": "2031-12-01T07:00", "expire_at": "2031-12-02T07:00"},
    )

    notice = db.session.scalar(select(Notice).where(Notice.title_vi == form_data["title_vi"]))
    assert notice.publish_at == datetime(2031, 12, 1, 0, 0, tzinfo=UTC)
    page = client.get(f"/admin/notices/{notice.id}").get_data(as_text=True)
    assert 'value="2031-12-01T07:00"' in page


def test_submit_then_publish_by_an_approver_makes_it_public(client, sign_in, editor, approver, draft):
    sign_in(editor)
    assert (
        post_form(
            client, f"/admin/notices/{draft.id}/submit", {}, token_from=f"/admin/notices/{draft.id}"
        ).status_code
        == 302
    )
    denied = post_form(
        client, f"/admin/notices/{draft.id}/publish", {}, token_from=f"/admin/notices/{draft.id}"
    )
    assert denied.status_code == 403
    db.session.refresh(draft)
    assert draft.state is NoticeState.IN_REVIEW
    assert public_title(client, draft) is None

    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    sign_in(approver)
    edit_page = client.get(f"/admin/notices/{draft.id}").get_data(as_text=True)
    assert f"/admin/notices/{draft.id}/publish" in edit_page
    response = post_form(
        client, f"/admin/notices/{draft.id}/publish", {}, token_from=f"/admin/notices/{draft.id}"
    )

    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.state is NoticeState.PUBLISHED
    assert public_title(client, draft) == draft.title_vi
    assert audit_count("notice.publish", draft.id) == 1


def test_an_editor_sees_no_publish_button_and_an_approver_does(client, sign_in, editor, draft):
    sign_in(editor)
    page = client.get(f"/admin/notices/{draft.id}").get_data(as_text=True)
    assert f"/admin/notices/{draft.id}/submit" in page
    assert f"/admin/notices/{draft.id}/publish" not in page


def test_an_edit_of_a_published_notice_stays_out_of_sight_until_published(client, sign_in, approver, draft):
    lifecycle.publish(draft, by=approver)
    db.session.flush()
    old_title = draft.title_vi
    sign_in(approver)

    response = post_form(
        client, f"/admin/notices/{draft.id}", edit_form(draft, title_vi="Lịch cắt điện (đã sửa)")
    )

    assert response.status_code == 302
    assert public_title(client, draft) == old_title
    page = client.get(f"/admin/notices/{draft.id}").get_data(as_text=True)
    assert "Lịch cắt điện (đã sửa)" in page  # the form edits the pending revision

    post_form(client, f"/admin/notices/{draft.id}/publish", {}, token_from=f"/admin/notices/{draft.id}")
    assert public_title(client, draft) == "Lịch cắt điện (đã sửa)"


def test_a_second_save_from_an_old_version_is_refused_with_what_changed(
    client, sign_in, editor, approver, draft
):
    loaded_version = draft.version
    lifecycle.save(
        draft, {"body_vi": "Dòng một.\nDòng hai đã được người khác sửa."}, loaded_version, by=approver
    )
    db.session.flush()
    sign_in(editor)

    mine = edit_form(
        draft, version=loaded_version, title_vi="Tiêu đề của tôi", body_vi="Dòng một.\nDòng hai."
    )
    response = post_form(client, f"/admin/notices/{draft.id}", mine)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Tiêu đề của tôi" in page  # what the editor typed is still there
    assert "Dòng hai đã được người khác sửa." in page  # and what the other person changed is shown
    db.session.refresh(draft)
    assert draft.title_vi == "Thông báo lịch cắt điện"
    new_version = re.search(
        r'name="version" type="hidden" value="(\d+)"|id="version" name="version" type="hidden" value="(\d+)"',
        page,
    )
    assert new_version and int(new_version.group(1) or new_version.group(2)) == draft.version

    again = post_form(client, f"/admin/notices/{draft.id}", mine | {"version": draft.version})
    assert again.status_code == 302
    db.session.refresh(draft)
    assert draft.title_vi == "Tiêu đề của tôi"


def test_the_history_shows_who_and_a_readable_diff_and_restores(client, sign_in, editor, draft):
    lifecycle.save(draft, {"body_vi": "Dòng một.\nDòng hai đã sửa."}, draft.version, by=editor)
    db.session.flush()
    sign_in(editor)

    history = client.get(f"/admin/notices/{draft.id}/history").get_data(as_text=True)
    assert editor.display_name in history
    assert f"/admin/notices/{draft.id}/revisions/2" in history
    revision_page = client.get(f"/admin/notices/{draft.id}/revisions/2").get_data(as_text=True)
    assert "<del>-Dòng hai.</del>" in revision_page
    assert "<ins>+Dòng hai đã sửa.</ins>" in revision_page

    response = post_form(
        client,
        f"/admin/notices/{draft.id}/revisions/1/restore",
        {},
        token_from=f"/admin/notices/{draft.id}/revisions/1",
    )

    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.body_vi == "Dòng một.\nDòng hai."
    assert [revision.number for revision in revisions_of(draft)] == [1, 2, 3]
    assert audit_count("notice.restore", draft.id) == 1


def test_a_step_the_state_no_longer_allows_is_a_conflict(client, sign_in, approver, draft):
    lifecycle.publish(draft, by=approver)
    lifecycle.archive(draft, by=approver)
    db.session.flush()
    sign_in(approver)

    response = post_form(
        client, f"/admin/notices/{draft.id}/publish", {}, token_from=f"/admin/notices/{draft.id}"
    )

    assert response.status_code == 409
    assert "archived" in response.get_data(as_text=True).lower() or "lưu trữ" in response.get_data(
        as_text=True
    )
    assert audit_count("notice.publish", draft.id) == 1


def test_a_draft_can_be_deleted_and_a_published_notice_cannot(
    client, sign_in, editor, approver, draft, make, organization, category
):
    sign_in(editor)
    response = post_form(
        client, f"/admin/notices/{draft.id}/delete", {}, token_from=f"/admin/notices/{draft.id}"
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Notice.id).where(Notice.id == draft.id)) is None
    db.session.expunge(draft)  # SQLite may give its id to the next notice

    published = make.notice(organization=organization, category=category, first_published_at=utcnow())
    response = post_form(
        client, f"/admin/notices/{published.id}/delete", {}, token_from=f"/admin/notices/{published.id}"
    )
    assert response.status_code == 403
    assert db.session.scalar(select(Notice.id).where(Notice.id == published.id)) == published.id


def test_the_list_shows_only_the_users_organizations_with_filters(
    client, sign_in, editor, organization, make, draft
):
    other = make.notice(title_vi="Thông báo của sở khác", state=NoticeState.DRAFT)
    mine_live = make.notice(organization=organization, title_vi="Đường Hùng Vương sửa chữa")
    sign_in(editor)

    everything = client.get("/admin/notices").get_data(as_text=True)
    assert draft.title_vi in everything and mine_live.title_vi in everything
    assert other.title_vi not in everything

    drafts = client.get("/admin/notices?status=draft").get_data(as_text=True)
    assert draft.title_vi in drafts and mine_live.title_vi not in drafts

    found = client.get("/admin/notices?q=duong hung vuong").get_data(as_text=True)
    assert mine_live.title_vi in found and draft.title_vi not in found


def test_the_preview_renders_markdown_as_residents_will_get_it(client, sign_in, editor):
    sign_in(editor)
    token = csrf_token(client, "/admin/notices/new")

    response = client.post(
        "/admin/notices/preview",
        data={"markdown": "**Đậm** <script>alert(1)</script>"},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 200
    assert "<strong>Đậm</strong>" in response.get_data(as_text=True)
    assert "<script>" not in response.get_data(as_text=True)
    assert client.post("/admin/notices/preview", data={"markdown": "x"}).status_code == 400


def test_the_preview_button_shows_the_rendering_without_saving(client, sign_in, editor, draft):
    sign_in(editor)
    response = post_form(
        client, f"/admin/notices/{draft.id}", edit_form(draft, body_vi="## Tiêu đề phụ", action="preview")
    )
    assert response.status_code == 200
    assert "<h2>Tiêu đề phụ</h2>" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.body_vi == "Dòng một.\nDòng hai."


def test_nothing_changed_writes_nothing(client, sign_in, editor, draft):
    sign_in(editor)
    version = draft.version
    response = post_form(client, f"/admin/notices/{draft.id}", edit_form(draft))
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.version == version
    assert (
        db.session.scalar(
            select(func.count()).select_from(NoticeRevision).where(NoticeRevision.notice_id == draft.id)
        )
        == 1
    )


def test_scheduling_says_so(client, sign_in, approver, draft):
    lifecycle.save(draft, {"publish_at": utcnow() + timedelta(days=2)}, draft.version, by=approver)
    db.session.flush()
    sign_in(approver)
    response = post_form(
        client, f"/admin/notices/{draft.id}/publish", {}, token_from=f"/admin/notices/{draft.id}"
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "status-scheduled" in page
    assert audit_count("notice.schedule", draft.id) == 1


def test_the_dashboard_counts_lead_to_the_list(client, sign_in, editor, organization, draft):
    sign_in(editor)
    page = client.get("/admin/").get_data(as_text=True)
    link = re.search(
        rf'href="(/admin/notices\?organization={organization.id}&amp;status=draft)">(\d+)<', page
    )
    assert link and link.group(2) == "1"
    listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert draft.title_vi in listed


def multipart(data: dict, files: list[tuple[bytes, str]]) -> dict:
    return data | {"new_attachments": [(io.BytesIO(content), name) for content, name in files]}


def test_files_chosen_in_the_form_are_attached(client, sign_in, editor, form_data):
    sign_in(editor)
    token = csrf_token(client, "/admin/notices/new")
    response = client.post(
        "/admin/notices/new",
        data=multipart(
            form_data | {"csrf_token": token}, [(SAMPLE_PDF, "lịch tiêm.pdf"), (sample_image(), "bản đồ.png")]
        ),
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    notice = db.session.scalar(select(Notice).where(Notice.title_vi == form_data["title_vi"]))
    names = [
        attachment.filename
        for attachment in attachments_in_order(lifecycle.working_content(notice)["attachment_ids"])
    ]
    assert names == ["lịch tiêm.pdf", "bản đồ.png"]
    page = client.get(response.location).get_data(as_text=True)
    assert "lịch tiêm.pdf" in page and 'name="attachment_ids"' in page


def test_a_refused_file_is_explained_and_nothing_typed_is_lost(client, sign_in, editor, form_data):
    sign_in(editor)
    token = csrf_token(client, "/admin/notices/new")
    response = client.post(
        "/admin/notices/new",
        data=multipart(form_data | {"csrf_token": token}, [(b"<html><script>alert(1)</script>", "đơn.pdf")]),
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="new_attachments-errors"' in page and "đơn.pdf" in page
    assert form_data["summary_vi"] in page
    assert (
        db.session.scalar(
            select(func.count()).select_from(Notice).where(Notice.title_vi == form_data["title_vi"])
        )
        == 0
    )


def test_a_file_survives_a_mistake_elsewhere_in_the_form(client, sign_in, editor, form_data):
    sign_in(editor)
    token = csrf_token(client, "/admin/notices/new")
    response = client.post(
        "/admin/notices/new",
        data=multipart(form_data | {"csrf_token": token, "title_vi": ""}, [(SAMPLE_PDF, "kế hoạch.pdf")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    kept = re.search(r'name="attachment_ids" value="(\d+)" checked', response.get_data(as_text=True))
    assert kept, "the stored file is offered again"

    fixed = post_form(client, "/admin/notices/new", form_data | {"attachment_ids": [kept.group(1)]})

    assert fixed.status_code == 302
    notice = db.session.scalar(select(Notice).where(Notice.title_vi == form_data["title_vi"]))
    assert lifecycle.working_content(notice)["attachment_ids"] == [int(kept.group(1))]


def test_unticking_a_file_removes_it_from_the_notice(client, sign_in, editor, organization, draft, make):
    attachment = make.attachment(organization, by=editor)
    lifecycle.save(draft, {"attachment_ids": [attachment.id]}, draft.version, by=editor)
    db.session.flush()
    sign_in(editor)

    response = post_form(client, f"/admin/notices/{draft.id}", edit_form(draft, attachment_ids=[]))

    assert response.status_code == 302
    db.session.refresh(draft)
    assert lifecycle.working_content(draft)["attachment_ids"] == []


def test_an_approver_sees_what_publishing_an_edit_changes(client, sign_in, approver, draft):
    lifecycle.publish(draft, by=approver)
    lifecycle.save(draft, {"body_vi": "Dòng một.\nDòng hai đã sửa."}, draft.version, by=approver)
    db.session.flush()
    sign_in(approver)

    page = client.get(f"/admin/notices/{draft.id}").get_data(as_text=True)

    assert "<del>-Dòng hai.</del>" in page
    assert "<ins>+Dòng hai đã sửa.</ins>" in page
