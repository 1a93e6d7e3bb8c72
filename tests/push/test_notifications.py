"""Composing pushes: who may, which need a second person, the test send before approval, the state machine,
the daily cap on province-wide pushes and the block on repeating the same push within ten minutes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content.notices import NoticeState
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.push import notifications as push
from smart_qn.push.notifications import IllegalTransition, InvalidPush, PushRefused, PushState

THANG_BINH = "513"


@pytest.fixture
def communicator(make):
    return make.user(is_communicator=True)


@pytest.fixture
def second_communicator(make):
    return make.user(is_communicator=True)


@pytest.fixture
def district_fields(make):
    return {
        "title_vi": "Cắt điện khu vực Hà Lam",
        "body_vi": "Từ 7 giờ đến 17 giờ ngày mai.",
        "audience_unit_ids": [make.unit(THANG_BINH).id],
    }


@pytest.fixture
def province_fields(make):
    return {
        "title_vi": "Cảnh báo bão số 9",
        "body_vi": "Người dân ven biển chủ động sơ tán.",
        "audience_unit_ids": [make.unit("49").id],
        "urgency": "emergency",
    }


def actions(push_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "push", AuditEvent.object_id == str(push_id))
            .order_by(AuditEvent.id)
        )
    )


def approved_province_push(fields, by, approver) -> push.PushNotification:
    draft = push.create_draft(fields, by)
    push.record_test_send(draft, by)
    push.submit(draft, by, estimated_reach=100)
    push.approve(draft, approver)
    return draft


def test_only_communicators_and_administrators_compose(make, district_fields):
    editor = make.user(memberships={make.organization(): Role.APPROVER})
    with pytest.raises(PushRefused) as refused:
        push.create_draft(district_fields, editor)
    assert refused.value.status == 403

    draft = push.create_draft(district_fields, make.user(is_admin=True))
    assert draft.state is PushState.DRAFT
    assert actions(draft.id) == ["push.create"]


def test_bad_content_is_refused_field_by_field(communicator, make):
    draft_notice = make.notice(state=NoticeState.DRAFT)
    with pytest.raises(InvalidPush) as invalid:
        push.create_draft(
            {
                "title_vi": " ",
                "body_vi": "x" * 1001,
                "audience_unit_ids": [-1],
                "audience_categories": ["khong-co"],
                "ttl_seconds": 29 * 24 * 3600,
                "notice_id": draft_notice.id,
                "urgency": "loud",
            },
            communicator,
        )
    assert set(invalid.value.errors) == {
        "title_vi",
        "body_vi",
        "audience_unit_ids",
        "audience_categories",
        "ttl_seconds",
        "notice_id",
        "urgency",
    }


def test_a_small_routine_push_goes_without_a_second_person(communicator, district_fields):
    draft = push.create_draft(district_fields, communicator)

    push.submit(draft, communicator, estimated_reach=1200)

    assert draft.state is PushState.APPROVED
    assert not draft.needs_approval and not draft.province_wide
    assert draft.approved_by == communicator
    assert draft.ttl_seconds == 24 * 3600


@pytest.mark.parametrize(
    "change, reach",
    [({"urgency": "emergency"}, 10), ({"audience_unit_ids": []}, 10), ({}, 10_001)],
    ids=["emergency", "province-wide", "large"],
)
def test_what_needs_a_second_person(communicator, second_communicator, district_fields, change, reach):
    draft = push.create_draft(district_fields | change, communicator)

    with pytest.raises(PushRefused) as untested:
        push.submit(draft, communicator, estimated_reach=reach)
    assert untested.value.status == 409 and draft.state is PushState.DRAFT

    push.record_test_send(draft, communicator)
    push.submit(draft, communicator, estimated_reach=reach)
    assert draft.state is PushState.PENDING_APPROVAL

    with pytest.raises(PushRefused) as own:
        push.approve(draft, communicator)
    assert own.value.status == 403

    push.approve(draft, second_communicator)
    assert draft.state is PushState.APPROVED
    assert actions(draft.id) == ["push.create", "push.test_send", "push.submit", "push.approve"]


def test_an_edit_after_the_test_send_calls_for_a_new_one(communicator, province_fields):
    draft = push.create_draft(province_fields, communicator)
    push.record_test_send(draft, communicator)
    assert draft.tested

    push.save(draft, {"body_vi": "Người dân ven biển sơ tán ngay."}, draft.version, communicator)

    assert not draft.tested
    with pytest.raises(PushRefused):
        push.submit(draft, communicator, estimated_reach=100)


def test_a_save_from_an_old_version_is_refused(communicator, district_fields):
    draft = push.create_draft(district_fields, communicator)
    old = draft.version
    push.save(draft, {"body_vi": "Sửa lần một."}, old, communicator)

    with pytest.raises(IllegalTransition):
        push.save(draft, {"body_vi": "Sửa từ bản cũ."}, old, communicator)
    assert draft.body_vi == "Sửa lần một."


def test_rejected_goes_back_to_draft(communicator, second_communicator, province_fields):
    draft = push.create_draft(province_fields, communicator)
    push.record_test_send(draft, communicator)
    push.submit(draft, communicator, estimated_reach=100)

    push.reject(draft, second_communicator)

    assert draft.state is PushState.DRAFT and draft.submitted_by is None


def test_province_wide_pushes_are_capped_per_day(
    app, communicator, second_communicator, province_fields, monkeypatch
):
    monkeypatch.setitem(app.config, "PUSH_DAILY_PROVINCE_WIDE_CAP", 1)
    approved_province_push(province_fields, communicator, second_communicator)

    second = push.create_draft(province_fields | {"title_vi": "Cảnh báo lũ"}, communicator)
    push.record_test_send(second, communicator)
    push.submit(second, communicator, estimated_reach=100)
    with pytest.raises(PushRefused) as capped:
        push.approve(second, second_communicator)

    assert capped.value.status == 409
    assert second.state is PushState.PENDING_APPROVAL


def test_the_same_push_to_the_same_audience_is_blocked_for_ten_minutes(communicator, district_fields):
    first = push.create_draft(district_fields, communicator)
    push.submit(first, communicator, estimated_reach=50)

    again = push.create_draft(district_fields, communicator)
    with pytest.raises(PushRefused) as blocked:
        push.submit(again, communicator, estimated_reach=50)
    assert blocked.value.status == 409

    other_audience = push.create_draft(district_fields | {"audience_unit_ids": []}, communicator)
    assert other_audience.content_key != first.content_key

    first.approved_at = utcnow() - timedelta(minutes=11)
    db.session.flush()
    push.submit(again, communicator, estimated_reach=50)
    assert again.state is PushState.APPROVED


def test_a_push_with_a_send_time_is_scheduled_and_due_then(communicator, district_fields):
    send_at = utcnow() + timedelta(hours=3)
    draft = push.create_draft(district_fields | {"send_at": send_at}, communicator)
    push.submit(draft, communicator, estimated_reach=50)

    assert draft.state is PushState.SCHEDULED
    assert draft not in push.due_pushes(utcnow())
    with pytest.raises(IllegalTransition):
        push.start_sending(draft, utcnow())
    assert draft in push.due_pushes(send_at)

    push.start_sending(draft, send_at)
    push.finish_sending(draft, "partly_failed", send_at + timedelta(seconds=5))

    assert draft.state is PushState.PARTLY_FAILED
    assert actions(draft.id)[-2:] == ["push.start_sending", "push.partly_failed"]


@pytest.mark.parametrize("reached", ["draft", "approved", "sending"])
def test_a_push_can_be_cancelled_until_it_has_finished(communicator, district_fields, reached):
    draft = push.create_draft(district_fields, communicator)
    if reached in ("approved", "sending"):
        push.submit(draft, communicator, estimated_reach=5)
    if reached == "sending":
        push.start_sending(draft, utcnow())

    push.cancel(draft, communicator)

    assert draft.state is PushState.CANCELLED
    with pytest.raises(IllegalTransition):
        push.start_sending(draft, utcnow())


def test_a_finished_push_cannot_be_cancelled(communicator, district_fields):
    draft = push.create_draft(district_fields, communicator)
    push.submit(draft, communicator, estimated_reach=5)
    push.start_sending(draft, utcnow())
    push.finish_sending(draft, "sent", utcnow())

    with pytest.raises(IllegalTransition):
        push.cancel(draft, communicator)


def test_a_published_notice_starts_a_linked_draft(communicator, make):
    notice = make.notice(
        audience=[THANG_BINH, "20818"], title_vi="Lịch tiêm chủng", summary_vi="Tại trạm y tế xã."
    )

    draft = push.draft_for_notice(notice, communicator)

    assert draft.notice_id == notice.id
    assert (draft.title_vi, draft.body_vi) == ("Lịch tiêm chủng", "Tại trạm y tế xã.")
    assert sorted(draft.audience_unit_ids) == sorted(unit.id for unit in notice.audience)
    with pytest.raises(IllegalTransition):
        push.draft_for_notice(make.notice(state=NoticeState.DRAFT), communicator)


def test_a_push_too_large_for_fcm_is_refused_before_anything_is_queued(communicator, district_fields):
    draft = push.create_draft(district_fields | {"body_vi": "Nội dung rất dài. " * 55}, communicator)
    assert len(draft.body_vi) <= push.BODY_MAX

    draft.body_vi = (
        "Nội dung rất dài, quá giới hạn của FCM. " * 110
    )  # as an older, laxer form could have saved
    with pytest.raises(InvalidPush) as invalid:
        push.submit(draft, communicator, estimated_reach=5)

    assert set(invalid.value.errors) == {"body_vi"}
    assert draft.state is PushState.DRAFT
