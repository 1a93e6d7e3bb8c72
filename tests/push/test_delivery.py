"""Delivery through the real firebase-admin to the FCM stand-in: one message per disjoint condition, test
sends to the composer's devices, retries with backoff, dead tokens removed, cancel mid-send, resuming what
a dead worker left in flight."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.push import delivery
from smart_qn.push import notifications as push
from smart_qn.push.delivery import DeliveryState, Purpose, PushDelivery
from smart_qn.push.devices import Device
from smart_qn.push.notifications import PushState
from smart_qn.push.transport import transport_for
from tests.push.fcm_standin import UNREGISTERED, quota_exceeded, unavailable

THANG_BINH, BINH_TRI, HOI_AN = "513", "20818", "503"


@pytest.fixture
def to_standin(app, fcm_transport, monkeypatch):
    """The app sends through firebase-admin to the stand-in."""
    monkeypatch.setitem(app.extensions, "smart_qn.push_transport", fcm_transport)
    assert transport_for(app) is fcm_transport
    return fcm_transport


@pytest.fixture
def communicator(make):
    return make.user(is_communicator=True)


def approved(make, communicator, units, **fields):
    """A push approved and committed: its delivery job runs then (inline, as jobs do in tests)."""
    draft = push.create_draft(
        {
            "title_vi": "Mất điện khu vực",
            "body_vi": "Từ 7 giờ đến 17 giờ.",
            "title_en": "Power cut",
            "body_en": "From 7:00 to 17:00.",
            "audience_unit_ids": [make.unit(code).id for code in units],
        }
        | fields,
        communicator,
    )
    push.submit(draft, communicator, estimated_reach=10)
    db.session.commit()
    return draft


def rows_of(draft) -> list[PushDelivery]:
    return list(
        db.session.scalars(
            select(PushDelivery).where(PushDelivery.push_id == draft.id).order_by(PushDelivery.id)
        )
    )


def test_an_audience_goes_out_as_one_message_per_disjoint_condition(
    to_standin, fcm_standin, make, communicator
):
    draft = approved(make, communicator, [THANG_BINH, BINH_TRI])

    db.session.refresh(draft)
    assert draft.state is PushState.SENT
    sent = fcm_standin.sent_messages()
    assert len(sent) == 2  # the commune is inside the district: one condition per language
    assert {message["notification"]["title"] for message in sent} == {"Mất điện khu vực", "Power cut"}
    assert all(
        "unit-513-" in message["condition"] and "unit-20818" not in message["condition"] for message in sent
    )
    assert all(message["android"]["notification"]["tag"] == str(draft.id) for message in sent)
    assert [row.state for row in rows_of(draft)] == [DeliveryState.DONE, DeliveryState.DONE]


def test_vietnamese_goes_to_english_devices_when_there_is_no_english(
    to_standin, fcm_standin, make, communicator
):
    approved(make, communicator, [HOI_AN], title_en=None, body_en=None)

    assert {message["notification"]["title"] for message in fcm_standin.sent_messages()} == {
        "Mất điện khu vực"
    }


def test_a_test_send_reaches_only_the_composers_test_devices(to_standin, fcm_standin, make, communicator):
    mine = [make.device(tester=communicator), make.device(tester=communicator, language="en")]
    someone_elses = make.device(tester=make.user(is_communicator=True))
    make.device()
    draft = push.create_draft(
        {"title_vi": "Thử", "body_vi": "Thử nghiệm.", "urgency": "emergency"}, communicator
    )
    tokens = {device.token for device in mine}

    assert delivery.send_test(draft, communicator) == 2
    db.session.commit()

    assert {fcm_standin.sent_to(token) for token in tokens} == {1}
    assert fcm_standin.sent_to(someone_elses.token) == 0
    db.session.refresh(draft)
    assert draft.state is PushState.DRAFT and draft.tested


def test_a_dead_token_removes_its_device_and_a_payload_error_does_not(
    to_standin, fcm_standin, make, communicator
):
    dead, alive = make.device(tester=communicator), make.device(tester=communicator)
    dead_token, alive_id = dead.token, alive.id
    fcm_standin.fail_token(dead_token, UNREGISTERED)
    draft = push.create_draft({"title_vi": "Thử", "body_vi": "Thử nghiệm."}, communicator)

    delivery.send_test(draft, communicator)
    db.session.commit()

    assert db.session.scalar(select(Device.id).where(Device.token == dead_token)) is None
    assert db.session.get(Device, alive_id) is not None
    (row,) = rows_of(draft)
    assert (row.success_count, row.failures) == (1, {"UNREGISTERED": 1})


def test_a_transient_failure_is_tried_again_later_honouring_retry_after(
    to_standin, fcm_standin, make, communicator
):
    fcm_standin.fail_next(1, quota_exceeded(retry_after="30"))
    before = utcnow()

    draft = approved(make, communicator, [HOI_AN], title_en=None, body_en=None)

    db.session.refresh(draft)
    assert draft.state is PushState.SENDING
    waiting = [row for row in rows_of(draft) if row.state is DeliveryState.PENDING]
    assert len(waiting) == 1 and waiting[0].attempts == 1
    assert waiting[0].not_before >= before + timedelta(seconds=30)

    waiting[0].not_before = utcnow() - timedelta(seconds=1)
    db.session.commit()
    delivery.deliver(draft.id)

    db.session.refresh(draft)
    assert draft.state is PushState.SENT
    assert all(row.state is DeliveryState.DONE for row in rows_of(draft))


def test_attempts_are_capped(app, to_standin, fcm_standin, make, communicator, monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_MAX_ATTEMPTS", 2)
    fcm_standin.fail_next(10, unavailable())
    draft = approved(make, communicator, [HOI_AN], title_en=None, body_en=None)

    for _ in range(2):
        for row in rows_of(draft):
            row.not_before = None
        db.session.commit()
        delivery.deliver(draft.id)

    db.session.refresh(draft)
    assert draft.state is PushState.FAILED
    rows = rows_of(draft)
    assert len(rows) == 2  # Vietnamese and English devices
    assert {(row.attempts, row.state, tuple(row.failures.items())) for row in rows} == {
        (2, DeliveryState.FAILED, (("UNAVAILABLE", 1),))
    }


def test_cancelling_while_sending_stops_the_remaining_batches(
    to_standin, fcm_standin, make, communicator, monkeypatch
):
    real_send = to_standin.send

    def send_then_cancel(message):
        outcome = real_send(message)
        if len(fcm_standin.sent_messages()) == 2:
            push.cancel(db.session.get(push.PushNotification, message.notification_id), communicator)
            db.session.commit()
        return outcome

    monkeypatch.setattr(to_standin, "send", send_then_cancel)

    draft = approved(make, communicator, ["503", "504", "505", "506"])  # 4 districts × 2 languages

    db.session.refresh(draft)
    assert draft.state is PushState.CANCELLED
    assert len(fcm_standin.sent_messages()) == 2
    states = [row.state for row in rows_of(draft)]
    assert states.count(DeliveryState.DONE) == 2 and states.count(DeliveryState.SKIPPED) == 6


def test_a_batch_left_in_flight_by_a_dead_worker_is_sent_again(
    app, to_standin, fcm_standin, make, communicator
):
    draft = push.create_draft(
        {"title_vi": "Mất điện", "body_vi": "…", "audience_unit_ids": [make.unit(HOI_AN).id]}, communicator
    )
    push.submit(draft, communicator, estimated_reach=10)
    push.start_sending(draft, utcnow())
    first, _second = delivery.plan_audience(draft)
    first.state, first.started_at, first.attempts = DeliveryState.IN_FLIGHT, utcnow() - timedelta(hours=1), 1
    db.session.commit()  # the delivery job runs: it sends the second row and waits for the first
    assert draft.state is PushState.SENDING and len(fcm_standin.sent_messages()) == 1

    assert delivery.resume_stuck(utcnow()) == 1

    db.session.refresh(draft)
    assert draft.state is PushState.SENT
    assert len(fcm_standin.sent_messages()) == 2
    assert [row.attempts for row in rows_of(draft)] == [2, 1]


def test_the_estimated_reach_counts_the_devices_the_audience_matches(make, communicator):
    make.device(unit=BINH_TRI, categories=["y-te"])
    make.device(unit=BINH_TRI)
    make.device(unit="20401")  # elsewhere
    draft = push.create_draft(
        {"title_vi": "Tiêm chủng", "body_vi": "…", "audience_unit_ids": [make.unit(THANG_BINH).id]},
        communicator,
    )
    assert delivery.estimated_reach(draft) == 2

    push.save(draft, {"audience_categories": ["y-te"]}, draft.version, communicator)

    assert delivery.estimated_reach(draft) == 1


def test_test_rows_are_kept_apart_from_the_audience(make, communicator, to_standin):
    make.device(tester=communicator)
    draft = push.create_draft({"title_vi": "Thử", "body_vi": "…"}, communicator)
    delivery.send_test(draft, communicator)
    db.session.commit()

    assert [row.purpose for row in rows_of(draft)] == [Purpose.TEST]


def test_a_test_send_to_no_device_is_refused_and_not_counted(make, communicator):
    draft = push.create_draft({"title_vi": "Thử", "body_vi": "…"}, communicator)

    with pytest.raises(push.PushRefused):
        delivery.send_test(draft, communicator)

    assert not draft.tested
