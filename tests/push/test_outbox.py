"""Without Firebase credentials, delivery goes to the outbox, which records what would have been sent."""

import sqlalchemy as sa

from smart_qn.content.notices import Urgency
from smart_qn.extensions import db
from smart_qn.push.outbox import OutboxKind, OutboxTransport, PushOutboxMessage
from smart_qn.push.transport import OutgoingMessage, SendOutcome, TopicOutcome, fcm_message


def message(notification_id: int = 7, **target) -> OutgoingMessage:
    return OutgoingMessage(
        notification_id=notification_id,
        title="Lịch cắt điện",
        body="Thứ bảy, 7:00–11:00",
        ttl_seconds=7200,
        urgency=Urgency.IMPORTANT,
        data={"notice_id": "3"},
        **target,
    )


def recorded() -> list[PushOutboxMessage]:
    return db.session.scalars(sa.select(PushOutboxMessage).order_by(PushOutboxMessage.id)).all()


def test_a_send_is_recorded_as_fcm_would_have_received_it(app):
    outgoing = message(condition="'d-502' in topics && 'lang-vi' in topics")
    outcome = OutboxTransport().send(outgoing)
    db.session.commit()

    assert outcome == SendOutcome(ok=True, message_id=outcome.message_id)
    [row] = recorded()
    assert row.kind is OutboxKind.SEND
    assert row.notification_id == 7
    assert (row.target_kind, row.target) == ("condition", "'d-502' in topics && 'lang-vi' in topics")
    assert row.message_id == outcome.message_id
    assert row.body == {"message": fcm_message(outgoing, now=row.recorded_at.timestamp())}
    assert row.body["message"]["apns"]["headers"]["apns-expiration"] == str(
        int(row.recorded_at.timestamp()) + 7200
    )


def test_send_each_records_every_message_with_an_id_of_its_own(app):
    outcomes = OutboxTransport().send_each([message(n, token=f"device-{n}") for n in range(3)])
    db.session.commit()

    assert all(outcome.ok for outcome in outcomes)
    assert len({outcome.message_id for outcome in outcomes}) == 3
    assert [(row.target, row.message_id) for row in recorded()] == [
        (f"device-{n}", outcomes[n].message_id) for n in range(3)
    ]
    assert OutboxTransport().send_each([]) == []


def test_topic_calls_are_recorded_with_their_number_of_tokens(app):
    transport = OutboxTransport()
    assert transport.subscribe(["a", "b", "c"], "d-502") == TopicOutcome(success_count=3, failures=[])
    assert transport.unsubscribe(["a"], "d-502") == TopicOutcome(success_count=1, failures=[])
    assert transport.subscribe([], "d-502") == TopicOutcome(success_count=0, failures=[])
    db.session.commit()

    assert [(row.kind, row.target, row.token_count, row.body) for row in recorded()] == [
        (OutboxKind.SUBSCRIBE, "d-502", 3, None),
        (OutboxKind.UNSUBSCRIBE, "d-502", 1, None),
    ]


def test_nothing_is_recorded_when_the_work_that_sent_it_is_rolled_back(app):
    OutboxTransport().send(message(token="device-1"))
    db.session.rollback()
    assert recorded() == []
