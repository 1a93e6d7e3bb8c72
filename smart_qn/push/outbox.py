"""The outbox transport: delivery without Firebase (the demo, development). It sends nothing and records
exactly what would have gone to FCM: the `messages:send` body as FCM would receive it, its target and the
time, and every topic (un)subscription with its number of tokens. Every send succeeds, with a message id of
its own (`outbox/…`), so that the rest of delivery runs as it would against FCM.

Rows are written in the caller's session: they are kept when the dispatcher commits the work that sent
them, as FCM's acceptance would be.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Integer, String, Text, insert
from sqlalchemy.orm import Mapped, mapped_column

from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.push.transport import OutgoingMessage, SendOutcome, TopicOutcome, fcm_message


class OutboxKind(StrEnum):
    SEND = "send"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"


class PushOutboxMessage(db.Model):
    """One call that would have been made to FCM."""

    __tablename__ = "push_outbox_message"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'send') = (body IS NOT NULL AND message_id IS NOT NULL)",
            name="send_has_body",
        ),
        CheckConstraint("(kind = 'send') = (token_count IS NULL)", name="topic_call_counts_tokens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OutboxKind] = mapped_column(str_enum(OutboxKind, "push_outbox_kind"))
    # The push it belongs to (none for topic subscriptions).
    notification_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # "token", "topic" or "condition" and its value; a topic call's topic.
    target_kind: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(Text)
    # The JSON body of `messages:send`, as FCM would have received it.
    body: Mapped[dict | None] = mapped_column(JSON)
    message_id: Mapped[str | None] = mapped_column(String(100))
    token_count: Mapped[int | None]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class OutboxTransport:
    name = "outbox"

    def send(self, message: OutgoingMessage) -> SendOutcome:
        return self.send_each([message])[0]

    def send_each(self, messages: list[OutgoingMessage]) -> list[SendOutcome]:
        if not messages:
            return []
        now = utcnow()
        rows = [
            {
                "kind": OutboxKind.SEND,
                "notification_id": message.notification_id,
                "target_kind": message.target[0],
                "target": message.target[1],
                "body": {"message": fcm_message(message, now.timestamp())},
                "message_id": f"outbox/{uuid.uuid4()}",
                "recorded_at": now,
            }
            for message in messages
        ]
        db.session.execute(insert(PushOutboxMessage), rows)
        return [SendOutcome(ok=True, message_id=row["message_id"]) for row in rows]

    def subscribe(self, tokens: list[str], topic: str) -> TopicOutcome:
        return self._record_topic_call(OutboxKind.SUBSCRIBE, tokens, topic)

    def unsubscribe(self, tokens: list[str], topic: str) -> TopicOutcome:
        return self._record_topic_call(OutboxKind.UNSUBSCRIBE, tokens, topic)

    @staticmethod
    def _record_topic_call(kind: OutboxKind, tokens: list[str], topic: str) -> TopicOutcome:
        if not tokens:
            return TopicOutcome(success_count=0, failures=[])
        db.session.add(
            PushOutboxMessage(kind=kind, target_kind="topic", target=topic, token_count=len(tokens))
        )
        return TopicOutcome(success_count=len(tokens), failures=[])
