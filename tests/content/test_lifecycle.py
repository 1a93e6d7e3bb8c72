"""The editorial lifecycle: transitions, revisions, conflicting saves, the audit trail and the clock."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content import lifecycle
from smart_qn.content.access import AccessDenied
from smart_qn.content.attachments import Attachment, NoticeAttachment
from smart_qn.content.lifecycle import IllegalTransition, InvalidContent, StaleEdit
from smart_qn.content.notices import Notice, NoticeState, Urgency, next_visibility_change
from smart_qn.content.revisions import NoticeRevision, RevisionReason, diff, revisions_of
from smart_qn.content.sync import changes_between
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.factories import SAMPLE_PDF


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
def fields(make):
    return {
        "title_vi": "Lịch tiêm chủng tháng 12",
        "summary_vi": "Tiêm chủng mở rộng tại các trạm y tế xã.",
        "body_vi": "Dòng một.\nDòng hai.\nDòng ba.",
        "category_id": make.category().id,
        "audience_unit_ids": [make.unit("49").id],
    }


@pytest.fixture
def draft(organization, editor, fields):
    return lifecycle.create_draft(organization, fields, by=editor)


@pytest.fixture
def published(draft, approver):
    lifecycle.publish(draft, by=approver)
    return draft


def audit_trail(notice_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "notice", AuditEvent.object_id == str(notice_id))
            .order_by(AuditEvent.id)
        )
    )


def published_view(client, notice: Notice) -> dict:
    response = client.get(f"/api/v1/notices/{notice.id}")
    assert response.status_code == 200
    return response.get_json()


def test_a_draft_starts_with_revision_one_and_an_audit_row(draft, editor, fields):
    assert draft.state is NoticeState.DRAFT
    assert draft.title_vi == fields["title_vi"]
    assert draft.urgency is Urgency.NORMAL
    [revision] = revisions_of(draft)
    assert (revision.number, revision.reason, revision.created_by) == (1, RevisionReason.CREATE, editor)
    assert revision.content["audience_unit_ids"] == fields["audience_unit_ids"]
    [created] = audit_trail(draft.id)
    assert (created.action, created.actor, created.before) == ("notice.create", editor, None)
    assert created.after["title_vi"] == fields["title_vi"]
    assert created.after["state"] == "draft"


def test_only_members_create_drafts_and_content_is_checked(make, organization, editor, fields):
    with pytest.raises(AccessDenied) as denied:
        lifecycle.create_draft(make.organization(), fields, by=editor)
    assert denied.value.status == 404

    with pytest.raises(InvalidContent) as invalid:
        lifecycle.create_draft(
            organization,
            fields | {"title_vi": " ", "audience_unit_ids": [], "publish_at": utcnow().replace(tzinfo=None)},
            by=editor,
        )
    assert set(invalid.value.errors) == {"title_vi", "audience_unit_ids", "publish_at"}

    with pytest.raises(InvalidContent) as invalid:
        lifecycle.create_draft(
            organization,
            fields | {"publish_at": utcnow() + timedelta(days=2), "expire_at": utcnow() + timedelta(days=1)},
            by=editor,
        )
    assert set(invalid.value.errors) == {"expire_at"}


def test_every_save_of_a_draft_makes_a_revision_and_changes_the_row(draft, editor):
    first = lifecycle.save(draft, {"title_vi": "Lịch tiêm chủng (sửa)"}, draft.version, by=editor)
    second = lifecycle.save(draft, {"pinned": True, "urgency": "important"}, draft.version, by=editor)

    assert [revision.number for revision in revisions_of(draft)] == [1, 2, 3]
    assert (first.reason, second.reason) == (RevisionReason.SAVE, RevisionReason.SAVE)
    assert (draft.title_vi, draft.pinned, draft.urgency) == ("Lịch tiêm chủng (sửa)", True, Urgency.IMPORTANT)
    assert second.content["title_vi"] == "Lịch tiêm chủng (sửa)"
    saves = [event for event in audit_trail(draft.id) if event.action == "notice.save"]
    assert [event.changed_fields() for event in saves] == [["title_vi"], ["pinned", "urgency"]]
    assert saves[0].before["title_vi"] == "Lịch tiêm chủng tháng 12"
    assert saves[0].after["title_vi"] == "Lịch tiêm chủng (sửa)"


def test_a_save_that_changes_nothing_writes_nothing(draft, editor, fields):
    assert lifecycle.save(draft, {"title_vi": fields["title_vi"]}, draft.version, by=editor) is None
    assert len(revisions_of(draft)) == 1
    assert [event.action for event in audit_trail(draft.id)] == ["notice.create"]


def test_a_stale_save_is_refused_with_what_changed_meanwhile(make, organization, draft, editor):
    colleague = make.user(memberships={organization: Role.EDITOR})
    loaded_version = draft.version
    lifecycle.save(draft, {"body_vi": "Dòng một.\nDòng hai đã sửa.\nDòng ba."}, loaded_version, by=colleague)

    with pytest.raises(StaleEdit) as stale:
        lifecycle.save(draft, {"title_vi": "Bản của tôi"}, loaded_version, by=editor)

    assert stale.value.current_version == draft.version != loaded_version
    assert stale.value.current["body_vi"] == "Dòng một.\nDòng hai đã sửa.\nDòng ba."
    assert list(stale.value.changes) == ["body_vi"]
    assert "-Dòng hai.\n+Dòng hai đã sửa." in stale.value.changes["body_vi"].line_diff
    assert draft.title_vi != "Bản của tôi"
    assert len(revisions_of(draft)) == 2
    # With the current version the editor's change goes through.
    lifecycle.save(draft, {"title_vi": "Bản của tôi"}, stale.value.current_version, by=editor)
    assert draft.title_vi == "Bản của tôi"


def test_diff_shows_changed_fields_and_line_diffs_of_long_texts(draft, editor):
    lifecycle.save(
        draft,
        {"title_vi": "Tiêu đề mới", "body_vi": "Dòng một.\nDòng hai.\nDòng bốn.", "pinned": True},
        draft.version,
        by=editor,
    )
    older, newer = revisions_of(draft)

    changes = diff(older, newer)

    assert list(changes) == ["title_vi", "body_vi", "pinned"]
    assert (changes["title_vi"].before, changes["title_vi"].after) == (
        "Lịch tiêm chủng tháng 12",
        "Tiêu đề mới",
    )
    assert changes["title_vi"].line_diff is None
    assert changes["pinned"].before is False
    assert changes["body_vi"].line_diff.splitlines()[2:] == [
        "@@ -1,3 +1,3 @@",
        " Dòng một.",
        " Dòng hai.",
        "-Dòng ba.",
        "+Dòng bốn.",
    ]
    assert diff(newer, newer) == {}


def test_restore_makes_a_new_revision_and_keeps_history(draft, editor):
    lifecycle.save(draft, {"title_vi": "Sai"}, draft.version, by=editor)
    lifecycle.save(draft, {"title_vi": "Sai nữa"}, draft.version, by=editor)
    original, *_ = revisions_of(draft)

    restored = lifecycle.restore(draft, original, by=editor)

    assert (restored.number, restored.reason) == (4, RevisionReason.RESTORE)
    assert restored.content == original.content
    assert [revision.content["title_vi"] for revision in revisions_of(draft)] == [
        "Lịch tiêm chủng tháng 12",
        "Sai",
        "Sai nữa",
        "Lịch tiêm chủng tháng 12",
    ]
    assert draft.title_vi == "Lịch tiêm chủng tháng 12"
    assert audit_trail(draft.id)[-1].action == "notice.restore"


def test_restore_refuses_another_notices_revision(make, draft, editor, organization, fields):
    other = lifecycle.create_draft(organization, fields, by=editor)
    with pytest.raises(ValueError, match="not a revision"):
        lifecycle.restore(draft, revisions_of(other)[0], by=editor)


def test_submit_then_publish(draft, editor, approver):
    lifecycle.submit(draft, by=editor)
    assert draft.state is NoticeState.IN_REVIEW
    with pytest.raises(IllegalTransition):
        lifecycle.submit(draft, by=editor)
    with pytest.raises(AccessDenied) as denied:
        lifecycle.publish(draft, by=editor)
    assert denied.value.status == 403

    before = utcnow()
    lifecycle.publish(draft, by=approver)

    assert draft.state is NoticeState.PUBLISHED
    assert before <= draft.publish_at <= utcnow()
    assert draft.first_published_at == draft.publish_at
    assert db.session.scalar(select(Notice.id).where(Notice.live(utcnow()), Notice.id == draft.id))
    with pytest.raises(IllegalTransition):
        lifecycle.publish(draft, by=approver)
    assert [event.action for event in audit_trail(draft.id)] == [
        "notice.create",
        "notice.submit",
        "notice.publish",
    ]
    published_event = audit_trail(draft.id)[-1]
    assert (published_event.before["state"], published_event.after["state"]) == ("in_review", "published")


def test_editors_publish_where_their_organization_lets_them(make, fields):
    organization = make.organization(editors_may_publish=True)
    editor = make.user(memberships={organization: Role.EDITOR})
    notice = lifecycle.create_draft(organization, fields, by=editor)

    lifecycle.publish(notice, by=editor)

    assert notice.state is NoticeState.PUBLISHED


def test_a_scheduled_notice_goes_live_by_the_clock(draft, editor, approver):
    go_live = utcnow() + timedelta(hours=1)
    lifecycle.save(draft, {"publish_at": go_live}, draft.version, by=editor)

    lifecycle.publish(draft, by=approver)

    def live_at(moment) -> bool:
        return (
            db.session.scalar(select(Notice.id).where(Notice.live(moment), Notice.id == draft.id)) is not None
        )

    assert draft.state is NoticeState.PUBLISHED
    assert audit_trail(draft.id)[-1].action == "notice.schedule"
    assert not live_at(utcnow())
    assert live_at(go_live + timedelta(seconds=1))
    assert next_visibility_change(utcnow()) <= go_live


def test_editing_a_published_notice_keeps_the_live_content_until_published(
    client, published, editor, approver
):
    seen = published_view(client, published)
    live_title = published.title_vi

    revision = lifecycle.save(
        published, {"title_vi": "Lịch tiêm chủng (cập nhật)"}, published.version, by=editor
    )

    assert published.title_vi == live_title
    assert published.pending_revision_number == revision.number
    assert lifecycle.working_content(published)["title_vi"] == "Lịch tiêm chủng (cập nhật)"
    assert published_view(client, published) == seen

    lifecycle.submit(published, by=editor)
    assert published.pending_in_review is True
    assert published_view(client, published) == seen
    with pytest.raises(IllegalTransition):
        lifecycle.submit(published, by=editor)

    lifecycle.publish(published, by=approver)

    assert published.title_vi == "Lịch tiêm chủng (cập nhật)"
    assert (published.pending_revision_number, published.pending_in_review) == (None, False)
    shown = published_view(client, published)
    assert shown["title"] == "Lịch tiêm chủng (cập nhật)"
    assert shown["updated_at"] != seen["updated_at"]
    publish_event = audit_trail(published.id)[-1]
    assert publish_event.action == "notice.publish"
    assert publish_event.before["pending_content"]["title_vi"] == "Lịch tiêm chủng (cập nhật)"
    assert publish_event.after["title_vi"] == "Lịch tiêm chủng (cập nhật)"


def test_a_stale_edit_of_a_published_notice_is_refused_too(make, organization, published, editor):
    colleague = make.user(memberships={organization: Role.EDITOR})
    loaded_version = published.version
    lifecycle.save(published, {"title_vi": "Bản của đồng nghiệp"}, loaded_version, by=colleague)

    with pytest.raises(StaleEdit) as stale:
        lifecycle.save(published, {"title_vi": "Bản của tôi"}, loaded_version, by=editor)

    assert stale.value.current["title_vi"] == "Bản của đồng nghiệp"
    assert stale.value.changes["title_vi"].before == "Lịch tiêm chủng tháng 12"


def test_restoring_on_a_published_notice_makes_a_pending_edit(client, published, editor):
    seen = published_view(client, published)
    original = revisions_of(published)[0]
    lifecycle.save(published, {"title_vi": "Sửa"}, published.version, by=editor)

    restored = lifecycle.restore(published, original, by=editor)

    assert published.pending_revision_number == restored.number
    assert published_view(client, published) == seen


def test_unpublish_folds_the_pending_edit_in_and_archive_is_final(published, editor, approver):
    lifecycle.save(published, {"title_vi": "Bản nháp mới"}, published.version, by=editor)
    with pytest.raises(AccessDenied):
        lifecycle.unpublish(published, by=editor)

    lifecycle.unpublish(published, by=approver)

    assert published.state is NoticeState.UNPUBLISHED
    assert (published.title_vi, published.pending_revision_number) == ("Bản nháp mới", None)
    with pytest.raises(IllegalTransition):
        lifecycle.unpublish(published, by=approver)

    lifecycle.archive(published, by=approver)

    assert published.state is NoticeState.ARCHIVED
    for operation in (
        lambda: lifecycle.save(published, {"title_vi": "x"}, published.version, by=editor),
        lambda: lifecycle.publish(published, by=approver),
        lambda: lifecycle.archive(published, by=approver),
        lambda: lifecycle.submit(published, by=editor),
        lambda: lifecycle.restore(published, revisions_of(published)[0], by=editor),
        lambda: lifecycle.delete_draft(published, by=approver),
    ):
        with pytest.raises(IllegalTransition):
            operation()


def test_drafts_cannot_be_unpublished_or_archived(draft, approver):
    for operation in (lifecycle.unpublish, lifecycle.archive):
        with pytest.raises(IllegalTransition):
            operation(draft, by=approver)


def test_an_unpublished_notice_goes_back_through_review(published, editor, approver):
    lifecycle.unpublish(published, by=approver)
    lifecycle.save(published, {"title_vi": "Đã sửa"}, published.version, by=editor)
    assert published.title_vi == "Đã sửa"

    lifecycle.submit(published, by=editor)
    assert published.state is NoticeState.IN_REVIEW
    with pytest.raises(AccessDenied) as denied:
        lifecycle.delete_draft(published, by=editor)
    assert denied.value.status == 403

    lifecycle.publish(published, by=approver)
    assert published.state is NoticeState.PUBLISHED


def test_only_never_published_notices_are_deleted(draft, published, editor, approver, organization, fields):
    with pytest.raises(IllegalTransition):
        lifecycle.delete_draft(published, by=approver)

    fresh = lifecycle.create_draft(organization, fields, by=editor)
    lifecycle.save(fresh, {"title_vi": "Sẽ xoá"}, fresh.version, by=editor)
    notice_id = fresh.id
    lifecycle.delete_draft(fresh, by=editor)
    db.session.expunge_all()

    assert db.session.get(Notice, notice_id) is None
    assert not db.session.scalars(select(NoticeRevision).where(NoticeRevision.notice_id == notice_id)).all()
    deleted = audit_trail(notice_id)[-1]
    assert (deleted.action, deleted.after) == ("notice.delete", None)
    assert deleted.before["title_vi"] == "Sẽ xoá"


def test_one_audit_row_per_mutation(draft, editor, approver):
    lifecycle.submit(draft, by=editor)
    lifecycle.publish(draft, by=approver)
    lifecycle.save(draft, {"summary_vi": "Tóm tắt mới."}, draft.version, by=editor)
    lifecycle.submit(draft, by=editor)
    lifecycle.publish(draft, by=approver)
    lifecycle.restore(draft, revisions_of(draft)[0], by=editor)
    lifecycle.unpublish(draft, by=approver)
    lifecycle.archive(draft, by=approver)

    trail = audit_trail(draft.id)

    assert [event.action for event in trail] == [
        "notice.create",
        "notice.submit",
        "notice.publish",
        "notice.save",
        "notice.submit",
        "notice.publish",
        "notice.restore",
        "notice.unpublish",
        "notice.archive",
    ]
    assert all(event.changed_fields() for event in trail)
    assert [event.actor for event in trail] == [
        editor,
        editor,
        approver,
        editor,
        editor,
        approver,
        editor,
        approver,
        approver,
    ]
    assert all(event.organization_id == draft.organization_id for event in trail)


def test_existing_notices_get_an_initial_revision_on_their_first_save(make, organization, editor):
    notice = make.notice(organization=organization, state=NoticeState.DRAFT, title_vi="Từ dữ liệu mẫu")

    lifecycle.save(notice, {"title_vi": "Đã sửa"}, notice.version, by=editor)

    initial, saved = revisions_of(notice)
    assert (initial.reason, initial.content["title_vi"]) == (RevisionReason.INITIAL, "Từ dữ liệu mẫu")
    assert (saved.reason, saved.content["title_vi"]) == (RevisionReason.SAVE, "Đã sửa")


def test_publishing_what_has_already_expired_is_refused(make, organization, draft, editor, approver):
    past = utcnow() - timedelta(hours=1)
    lifecycle.save(
        draft, {"publish_at": past - timedelta(hours=1), "expire_at": past}, draft.version, by=editor
    )

    with pytest.raises(IllegalTransition):
        lifecycle.publish(draft, by=approver)


def test_apply_schedule_archives_expired_notices_with_one_tombstone_and_nothing_seen_changing(
    client, make, organization
):
    now = utcnow()
    expired = make.notice(
        organization=organization,
        publish_at=now - timedelta(hours=2),
        expire_at=now - timedelta(hours=1),
        created_at=now - timedelta(hours=3),
        updated_at=now - timedelta(hours=3),
    )
    current = make.notice(organization=organization, expire_at=now + timedelta(hours=1))
    key = str(expired.id)

    def tombstones(since, until) -> int:
        changes = [change for change in changes_between(since, until) if change.key == key]
        assert all(change.item is None for change in changes)
        return len(changes)

    # A client that synced while the notice was live gets its tombstone when it expires by the clock...
    assert tombstones(now - timedelta(minutes=90), now - timedelta(minutes=30)) == 1
    listing = client.get("/api/v1/notices?page_size=100").get_json()

    changed = lifecycle.apply_schedule(now)

    assert expired in changed and current not in changed
    assert (expired.state, current.state) == (NoticeState.ARCHIVED, NoticeState.PUBLISHED)
    [event] = [event for event in audit_trail(expired.id) if event.action == "notice.expire"]
    assert (event.actor, event.before["state"], event.after["state"]) == (None, "published", "archived")
    # ...and nothing more once the sweep has archived it, nor does anything residents see change.
    assert tombstones(now - timedelta(minutes=30), utcnow() + timedelta(minutes=1)) == 0
    assert tombstones(now - timedelta(minutes=90), utcnow() + timedelta(minutes=1)) == 1
    db.session.refresh(expired)
    assert expired.updated_at == now - timedelta(hours=3)
    assert client.get("/api/v1/notices?page_size=100").get_json() == listing
    assert client.get(f"/api/v1/notices/{expired.id}").status_code == 404
    assert lifecycle.apply_schedule(now) == []


def test_attached_files_are_content_in_the_editors_order(make, organization, editor, fields):
    plan = make.attachment(organization, data=SAMPLE_PDF, filename="Kế hoạch.pdf", by=editor)
    photo = make.attachment(organization, filename="Ảnh.png", by=editor)

    notice = lifecycle.create_draft(
        organization, fields | {"attachment_ids": [plan.id, photo.id, plan.id]}, by=editor
    )

    assert list(notice.attachments) == [plan, photo]
    assert revisions_of(notice)[0].content["attachment_ids"] == [plan.id, photo.id]
    lifecycle.save(notice, {"attachment_ids": [photo.id, plan.id]}, notice.version, by=editor)
    db.session.expire(notice)
    assert list(notice.attachments) == [photo, plan]
    assert audit_trail(notice.id)[-1].changed_fields() == ["attachment_ids"]

    lifecycle.delete_draft(notice, by=editor)
    db.session.flush()
    assert db.session.scalars(select(NoticeAttachment)).all() == []
    assert db.session.get(Attachment, plan.id) is plan


def test_only_the_organizations_own_uploads_can_be_attached(make, organization, draft, editor):
    own = make.attachment(organization, by=editor)
    foreign = make.attachment(make.organization())

    for wrong in ([foreign.id], [own.id, foreign.id + 1000], "1,2", [str(own.id)], [True]):
        with pytest.raises(InvalidContent) as invalid:
            lifecycle.save(draft, {"attachment_ids": wrong}, draft.version, by=editor)
        assert set(invalid.value.errors) == {"attachment_ids"}, wrong
    assert list(draft.attachments) == []


def test_a_save_that_only_changes_the_files_moves_the_version_on(make, organization, draft, editor):
    colleague = make.user(memberships={organization: Role.EDITOR})
    photo = make.attachment(organization, filename="Ảnh.png", by=editor)
    loaded_version = draft.version

    lifecycle.save(draft, {"attachment_ids": [photo.id]}, loaded_version, by=colleague)

    assert draft.version == loaded_version + 1
    with pytest.raises(StaleEdit) as stale:
        lifecycle.save(draft, {"title_vi": "Bản của tôi"}, loaded_version, by=editor)
    change = stale.value.changes["attachment_ids"]
    assert (change.before, change.after) == ([], ["Ảnh.png"])


def test_a_file_added_by_a_pending_edit_reaches_residents_when_published(
    client, make, organization, published, editor, approver
):
    schedule = make.attachment(organization, data=SAMPLE_PDF, filename="Lịch tiêm.pdf", by=editor)

    lifecycle.save(published, {"attachment_ids": [schedule.id]}, published.version, by=editor)

    assert list(published.attachments) == []
    assert lifecycle.working_content(published)["attachment_ids"] == [schedule.id]
    assert published_view(client, published)["attachments"] == []

    lifecycle.publish(published, by=approver)

    assert list(published.attachments) == [schedule]
    [shown] = published_view(client, published)["attachments"]
    assert (shown["id"], shown["filename"], shown["media_type"]) == (
        schedule.id,
        "Lịch tiêm.pdf",
        "application/pdf",
    )


def test_the_history_names_files_by_their_names(make, organization, draft, editor):
    photo = make.attachment(organization, filename="Sơ đồ.png", by=editor)
    decision = make.attachment(organization, data=SAMPLE_PDF, filename="Quyết định.pdf", by=editor)
    lifecycle.save(draft, {"attachment_ids": [photo.id, decision.id]}, draft.version, by=editor)
    lifecycle.save(draft, {"attachment_ids": [decision.id]}, draft.version, by=editor)
    created, attached, removed = revisions_of(draft)

    changes = diff(created, attached)

    assert list(changes) == ["attachment_ids"]
    assert (changes["attachment_ids"].before, changes["attachment_ids"].after) == (
        [],
        ["Sơ đồ.png", "Quyết định.pdf"],
    )
    assert diff(attached, removed)["attachment_ids"].line_diff.splitlines()[2:] == [
        "@@ -1,2 +1 @@",
        "-Sơ đồ.png",
        " Quyết định.pdf",
    ]


def test_revisions_written_before_attachments_read_as_without_files(published, editor, approver):
    lifecycle.save(published, {"title_vi": "Bản sửa trước khi có tệp"}, published.version, by=editor)
    for revision in revisions_of(published):
        revision.content = {
            name: value for name, value in revision.content.items() if name != "attachment_ids"
        }
    db.session.flush()
    original, pending = revisions_of(published)

    assert lifecycle.working_content(published)["attachment_ids"] == []
    assert "title_vi" in diff(original, pending) and "attachment_ids" not in diff(original, pending)
    lifecycle.publish(published, by=approver)
    assert (published.title_vi, list(published.attachments)) == ("Bản sửa trước khi có tệp", [])
    assert lifecycle.restore(published, original, by=editor).content["attachment_ids"] == []
