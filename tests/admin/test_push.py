"""Push notifications in the admin: only communicators and administrators reach them; composing keeps what
was typed and puts the rules' messages beside the fields; the buttons drive the state machine (a test send
first, a second person to approve); the results page shows what went out without showing tokens; the
devices page gives the adoption figures and lets an administrator pick test devices; a live notice can be
announced by a push."""

import itertools
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content.notices import NoticeState
from smart_qn.extensions import db, huey
from smart_qn.push import notifications
from smart_qn.push.notifications import PushNotification, PushState
from smart_qn.push.outbox import OutboxKind, PushOutboxMessage
from smart_qn.push.transport import transport_for
from tests.admin.conftest import csrf_token, post_form
from tests.admin.test_guard import admin_rules, example_urls

THANG_BINH, BINH_TRI = "513", "20818"


@pytest.fixture
def sign_in(sign_in, client):
    """Sign in, then read the pages in English: the messages are checked as they are written."""

    def in_english(user):
        response = sign_in(user)
        client.get("/admin/?lang=en")
        return response

    return in_english


@pytest.fixture
def communicator(make, with_second_factor):
    return with_second_factor(make.user(is_communicator=True))


@pytest.fixture
def second_communicator(make, with_second_factor):
    return with_second_factor(make.user(is_communicator=True))


@pytest.fixture
def administrator(make, with_second_factor):
    return with_second_factor(make.user(is_admin=True))


def district_push(make, by, **fields) -> PushNotification:
    push = notifications.create_draft(
        {
            "title_vi": "Cắt điện khu vực Hà Lam",
            "body_vi": "Từ 7 giờ đến 17 giờ ngày mai.",
            "audience_unit_ids": [make.unit(THANG_BINH).id],
        }
        | fields,
        by,
    )
    db.session.flush()
    return push


def province_push(make, by) -> PushNotification:
    return district_push(
        make, by, title_vi="Cảnh báo bão số 9", audience_unit_ids=[make.unit("49").id], urgency="emergency"
    )


def form_data(make, **fields) -> dict:
    return {
        "title_vi": "Thông báo lịch tiêm chủng",
        "body_vi": "Trạm y tế xã tiêm vắc-xin sởi từ 8 giờ.",
        "title_en": "",
        "body_en": "",
        "notice_id": "",
        "audience": [make.unit(THANG_BINH).id],
        "urgency": "normal",
        "ttl_hours": "24",
        "timing": "now",
        "send_at": "",
    } | fields


def audit_actions(object_type: str, object_id) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.id)
        )
    )


def push_rules(app):
    return [rule for rule in admin_rules(app) if rule.rule.startswith("/admin/push")]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.APPROVER])
def test_every_push_route_refuses_whoever_is_not_a_communicator(
    app, client, make, sign_in, communicator, role
):
    push = district_push(make, communicator)
    sign_in(make.user(memberships={make.organization(): role}))
    token = csrf_token(client, "/admin/")
    audited = db.session.scalar(select(func.count()).select_from(AuditEvent))
    checked = 0
    for rule in push_rules(app):
        for url, method in itertools.product(example_urls(rule), sorted(rule.methods - {"HEAD", "OPTIONS"})):
            url = url.replace("/push/1", f"/push/{push.id}") if "push_id" in rule.arguments else url
            data = {"csrf_token": token, "notice": make.notice().id} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 403, (method, url, response.status_code)
            checked += 1
    assert checked >= 9
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audited
    assert "Push notifications" not in client.get("/admin/").get_data(as_text=True)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/admin/push")
    assert response.status_code == 302 and "/admin/login" in response.location


def test_the_list_filters_by_state_and_says_the_outbox_is_in_use(app, client, make, sign_in, communicator):
    draft = district_push(make, communicator, title_vi="Bản nháp đầu tiên")
    cancelled = district_push(make, communicator, title_vi="Đã huỷ rồi")
    notifications.cancel(cancelled, communicator)
    db.session.flush()
    sign_in(communicator)
    assert transport_for(app).name == "outbox"

    page = client.get("/admin/push").get_data(as_text=True)
    assert "Push notifications" in page  # the nav link
    assert "Firebase is not configured: pushes are recorded in the outbox, not sent." in page
    assert page.index("Đã huỷ rồi") < page.index("Bản nháp đầu tiên")  # newest first

    drafts = client.get("/admin/push?state=draft").get_data(as_text=True)
    assert draft.title_vi in drafts and cancelled.title_vi not in drafts


def test_composing_a_push(client, make, sign_in, communicator):
    sign_in(communicator)
    assert client.get("/admin/push/new").status_code == 200
    category = make.category()

    response = post_form(
        client,
        "/admin/push/new",
        form_data(make, categories=[category.slug], ttl_hours="6", urgency="important"),
    )

    assert response.status_code == 302
    push = db.session.scalars(select(PushNotification).order_by(PushNotification.id.desc())).first()
    assert response.location.endswith(f"/admin/push/{push.id}")
    assert (push.title_vi, push.state, push.urgency.value) == (
        "Thông báo lịch tiêm chủng",
        PushState.DRAFT,
        "important",
    )
    assert (push.audience_unit_ids, push.audience_categories, push.ttl_seconds) == (
        [make.unit(THANG_BINH).id],
        [category.slug],
        6 * 3600,
    )
    assert push.title_en is None and push.send_at is None
    assert audit_actions("push", push.id) == ["push.create"]

    page = client.get(response.location).get_data(as_text=True)
    assert "Estimated reach: 0 registered devices." in page
    assert "It does not need approval: it goes out once submitted." in page
    assert "The message fits within Firebase's size limit." in page


def test_invalid_input_is_refused_beside_the_fields_and_nothing_typed_is_lost(
    client, make, sign_in, communicator
):
    sign_in(communicator)
    categories = [make.category().slug for _ in range(4)]
    response = post_form(
        client,
        "/admin/push/new",
        form_data(
            make,
            title_vi="",
            body_vi="Nội dung đã gõ, không được mất.",
            audience=[],
            categories=categories,
            ttl_hours="1000",
            timing="at",
        ),
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="title_vi-errors"', page)
    assert "Nội dung đã gõ, không được mất." in page
    assert "Choose at least one unit: the province to reach everyone." in page
    assert "Choose at most 3 categories." in page
    assert "Between 1 and 672 hours (28 days)." in page
    assert "Give the time to send it" in page
    assert db.session.scalar(select(func.count()).select_from(PushNotification)) == 0


def test_a_link_to_an_unpublished_notice_is_refused_by_the_rules(client, make, sign_in, communicator):
    sign_in(communicator)
    draft_notice = make.notice(state=NoticeState.DRAFT)

    response = post_form(client, "/admin/push/new", form_data(make, notice_id=str(draft_notice.id)))

    assert response.status_code == 422
    assert "Link only to a published notice." in response.get_data(as_text=True)


def test_a_save_over_someone_elses_keeps_the_text_and_answers_409(
    client, make, sign_in, communicator, second_communicator
):
    push = district_push(make, communicator)
    sign_in(communicator)
    opened_version = push.version
    notifications.save(push, {"title_vi": "Sửa bởi người khác"}, push.version, second_communicator)
    db.session.flush()

    response = post_form(
        client,
        f"/admin/push/{push.id}",
        form_data(make, title_vi="Bản của tôi", version=str(opened_version)),
        token_from="/admin/",
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this push while you were editing it" in page
    assert "Bản của tôi" in page
    db.session.refresh(push)
    assert push.title_vi == "Sửa bởi người khác"

    # The form now carries the current version: saving again replaces the other edit.
    current = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    again = post_form(
        client,
        f"/admin/push/{push.id}",
        form_data(make, title_vi="Bản của tôi", version=current),
        token_from="/admin/",
    )
    assert again.status_code == 302
    db.session.refresh(push)
    assert push.title_vi == "Bản của tôi"


def test_a_test_send_without_test_devices_says_so_and_counts_for_nothing(client, make, sign_in, communicator):
    push = district_push(make, communicator)
    sign_in(communicator)
    assert "You have no test device" in client.get(f"/admin/push/{push.id}").get_data(as_text=True)

    response = post_form(client, f"/admin/push/{push.id}/test", {}, token_from="/admin/")

    assert response.status_code == 409
    assert "An administrator must mark one of your devices as a test device" in response.get_data(
        as_text=True
    )
    db.session.refresh(push)
    assert push.tested_at is None
    assert audit_actions("push", push.id) == ["push.create"]


def test_a_test_send_goes_to_the_composers_test_devices(client, make, sign_in, communicator):
    push = district_push(make, communicator)
    mine = [make.device(tester=communicator), make.device(tester=communicator)]
    make.device(tester=make.user(is_communicator=True))
    sign_in(communicator)

    response = post_form(client, f"/admin/push/{push.id}/test", {}, token_from="/admin/")

    assert response.status_code == 302
    assert "The push has been sent to your 2 test devices." in client.get(response.location).get_data(
        as_text=True
    )
    db.session.refresh(push)
    assert push.tested
    sent = db.session.scalars(
        select(PushOutboxMessage.target).where(
            PushOutboxMessage.kind == OutboxKind.SEND, PushOutboxMessage.notification_id == push.id
        )
    ).all()
    assert sorted(sent) == sorted(device.token for device in mine)


def test_a_push_that_needs_approval_needs_a_test_send_first(client, make, sign_in, communicator):
    push = province_push(make, communicator)
    sign_in(communicator)
    page = client.get(f"/admin/push/{push.id}").get_data(as_text=True)
    assert "It goes to the whole province." in page and "It is an emergency." in page

    response = post_form(client, f"/admin/push/{push.id}/submit", {}, token_from="/admin/")

    assert response.status_code == 409
    assert "Send it to your test devices first: this push needs approval." in response.get_data(as_text=True)
    db.session.refresh(push)
    assert push.state is PushState.DRAFT


def test_approval_is_for_a_second_person_and_the_outbox_records_the_send(
    app, client, make, sign_in, communicator, second_communicator
):
    push = province_push(make, communicator)
    make.device(tester=communicator)
    resident = make.device(unit=BINH_TRI)
    sign_in(communicator)
    assert post_form(client, f"/admin/push/{push.id}/test", {}, token_from="/admin/").status_code == 302
    assert post_form(client, f"/admin/push/{push.id}/submit", {}, token_from="/admin/").status_code == 302
    db.session.refresh(push)
    assert push.state is PushState.PENDING_APPROVAL and push.estimated_reach == 2
    page = client.get(f"/admin/push/{push.id}").get_data(as_text=True)
    assert ">Approve<" not in page

    refused = post_form(client, f"/admin/push/{push.id}/approve", {}, token_from="/admin/")
    assert refused.status_code == 403
    assert "approved by someone other than the person who submitted it" in refused.get_data(as_text=True)

    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    sign_in(second_communicator)
    assert ">Approve<" in client.get(f"/admin/push/{push.id}").get_data(as_text=True)
    approved = post_form(client, f"/admin/push/{push.id}/approve", {}, token_from="/admin/")

    assert approved.status_code == 302
    db.session.refresh(push)
    # Jobs run inline in tests: the delivery ran once the approval was committed.
    assert push.approved_by_id == second_communicator.id
    assert push.state is PushState.SENT
    assert transport_for(app).name == "outbox"
    conditions = db.session.scalars(
        select(PushOutboxMessage.target).where(
            PushOutboxMessage.notification_id == push.id, PushOutboxMessage.target_kind == "condition"
        )
    ).all()
    assert conditions and all("unit-49-" in condition for condition in conditions)
    assert audit_actions("push", push.id)[:4] == [
        "push.create",
        "push.test_send",
        "push.submit",
        "push.approve",
    ]

    results = client.get(f"/admin/push/{push.id}").get_data(as_text=True)
    assert "What went out" in results
    assert "In the outbox (recorded, not sent)" in results
    assert "unit-49-" in results
    assert resident.token not in results
    tester_token = db.session.scalar(
        select(PushOutboxMessage.target).where(
            PushOutboxMessage.notification_id == push.id, PushOutboxMessage.target_kind == "token"
        )
    )
    assert tester_token not in results and f"{tester_token[:4]}…{tester_token[-4:]}" in results


def test_reject_sends_it_back_to_draft(client, make, sign_in, communicator, second_communicator):
    push = province_push(make, communicator)
    make.device(tester=communicator)
    sign_in(communicator)
    post_form(client, f"/admin/push/{push.id}/test", {}, token_from="/admin/")
    post_form(client, f"/admin/push/{push.id}/submit", {}, token_from="/admin/")
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    sign_in(second_communicator)

    assert post_form(client, f"/admin/push/{push.id}/reject", {}, token_from="/admin/").status_code == 302
    db.session.refresh(push)
    assert push.state is PushState.DRAFT


def test_cancel_and_then_nothing_more(client, make, sign_in, communicator):
    push = district_push(make, communicator)
    sign_in(communicator)

    assert post_form(client, f"/admin/push/{push.id}/cancel", {}, token_from="/admin/").status_code == 302
    db.session.refresh(push)
    assert push.state is PushState.CANCELLED

    again = post_form(client, f"/admin/push/{push.id}/cancel", {}, token_from="/admin/")
    assert again.status_code == 409
    assert "Not possible for a push in this state." in again.get_data(as_text=True)
    edit = post_form(client, f"/admin/push/{push.id}", form_data(make), token_from="/admin/")
    assert edit.status_code == 409
    assert audit_actions("push", push.id) == ["push.create", "push.cancel"]


def test_a_push_that_needs_no_approval_goes_out_when_submitted(client, make, sign_in, communicator):
    push = district_push(make, communicator)
    make.device(unit=BINH_TRI)
    sign_in(communicator)

    assert post_form(client, f"/admin/push/{push.id}/submit", {}, token_from="/admin/").status_code == 302

    db.session.refresh(push)
    assert push.state is PushState.SENT
    page = client.get(f"/admin/push/{push.id}").get_data(as_text=True)
    # One message per language's condition, FCM fanning each out.
    assert "2 messages accepted for the audience." in page
    assert "Cắt điện khu vực Hà Lam" in page[page.index("In the outbox") :]
    assert "unit-513-" in page


def test_the_devices_page_gives_adoption_figures(client, make, sign_in, communicator):
    make.device(unit=BINH_TRI, platform="ios")
    make.device(unit=BINH_TRI, language="en")
    make.device(unit=THANG_BINH)
    sign_in(communicator)

    page = client.get("/admin/push/devices").get_data(as_text=True)
    assert "3 devices registered for push notifications." in page
    assert re.search(r"<th scope=\"row\">android</th><td>2</td>", page)
    assert re.search(r"<th scope=\"row\">ios</th><td>1</td>", page)
    assert re.search(rf"<th scope=\"row\">{make.unit(THANG_BINH).name_en}</th><td>3</td>", page)
    assert re.search(r"<th scope=\"row\">English</th><td>1</td>", page)
    assert "Make a device a test device" not in page  # an administrator's job


def test_an_administrator_makes_a_device_a_test_device(client, make, sign_in, administrator, communicator):
    device = make.device()
    sign_in(administrator)

    response = post_form(
        client,
        "/admin/push/devices/tester",
        {"device_id": device.id, "tester_id": communicator.id},
        token_from="/admin/push/devices",
    )

    assert response.status_code == 302
    db.session.refresh(device)
    assert device.tester_id == communicator.id
    assert audit_actions("device", device.id) == ["device.tester_set"]
    page = client.get("/admin/push/devices").get_data(as_text=True)
    assert device.masked_token in page and device.token not in page

    unknown = post_form(
        client,
        "/admin/push/devices/tester",
        {"device_id": 999999, "tester_id": communicator.id},
        token_from="/admin/push/devices",
    )
    assert unknown.status_code == 422
    assert "No registered device has this number." in unknown.get_data(as_text=True)

    editor = make.user(memberships={make.organization(): Role.EDITOR})
    not_a_tester = post_form(
        client,
        "/admin/push/devices/tester",
        {"device_id": device.id, "tester_id": editor.id},
        token_from="/admin/push/devices",
    )
    assert not_a_tester.status_code == 422
    db.session.refresh(device)
    assert device.tester_id == communicator.id


def test_a_communicator_may_not_choose_test_devices(client, make, sign_in, communicator):
    device = make.device()
    sign_in(communicator)

    response = post_form(
        client,
        "/admin/push/devices/tester",
        {"device_id": device.id, "tester_id": communicator.id},
        token_from="/admin/push/devices",
    )

    assert response.status_code == 403
    db.session.refresh(device)
    assert device.tester_id is None


def test_a_live_notice_can_be_announced_by_push(client, make, sign_in, administrator):
    notice = make.notice(audience=[THANG_BINH])
    sign_in(administrator)
    page = client.get(f"/admin/notices/{notice.id}").get_data(as_text=True)
    assert "Announce by push" in page

    response = post_form(client, "/admin/push/announce", {"notice": notice.id}, token_from="/admin/")

    assert response.status_code == 302
    push = db.session.scalar(select(PushNotification).where(PushNotification.notice_id == notice.id))
    assert response.location.endswith(f"/admin/push/{push.id}")
    assert (push.title_vi, push.state, push.audience_unit_ids) == (
        notice.title_vi,
        PushState.DRAFT,
        [make.unit(THANG_BINH).id],
    )
    assert notice.title_vi in client.get(response.location).get_data(as_text=True)


def test_the_announce_button_is_only_for_communicators_on_live_notices(client, make, sign_in, administrator):
    organization = make.organization()
    live = make.notice(organization=organization)
    draft = make.notice(organization=organization, state=NoticeState.DRAFT)
    sign_in(make.user(memberships={organization: Role.APPROVER}))
    assert "Announce by push" not in client.get(f"/admin/notices/{live.id}").get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    sign_in(administrator)
    assert "Announce by push" not in client.get(f"/admin/notices/{draft.id}").get_data(as_text=True)

    refused = post_form(client, "/admin/push/announce", {"notice": draft.id}, token_from="/admin/")

    assert refused.status_code == 303
    assert "Only a published notice can be announced by a push." in client.get(refused.location).get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(PushNotification)) == 0


def test_a_push_for_later_is_typed_in_vietnam_time_and_kept_in_utc(client, make, sign_in, communicator):
    sign_in(communicator)
    past = post_form(client, "/admin/push/new", form_data(make, timing="at", send_at="2020-01-01T07:00"))
    assert past.status_code == 422
    assert "This time has passed." in past.get_data(as_text=True)

    response = post_form(client, "/admin/push/new", form_data(make, timing="at", send_at="2031-12-01T07:00"))

    assert response.status_code == 302
    push = db.session.scalars(select(PushNotification).order_by(PushNotification.id.desc())).first()
    assert push.send_at == datetime(2031, 12, 1, 0, 0, tzinfo=UTC)
    assert 'value="2031-12-01T07:00"' in client.get(response.location).get_data(as_text=True)

    assert post_form(client, f"/admin/push/{push.id}/submit", {}, token_from="/admin/").status_code == 302
    db.session.refresh(push)
    assert push.state is PushState.SCHEDULED
    # Its delivery job waits for the time (the queue is the process's own: leave nothing behind).
    assert [task.args for task in huey.scheduled()] == [(push.id,)]
    huey.storage.flush_schedule()
    assert "The push is scheduled: it goes out at its time." in client.get(f"/admin/push/{push.id}").get_data(
        as_text=True
    )
