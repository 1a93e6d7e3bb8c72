"""Delivery: how an approved push reaches FCM, batch by batch, surviving retries, cancellation and a worker
killed halfway.

A push's deliveries are rows planned in the database before anything is sent: one per FCM condition for
an audience (smart_qn.push.topics makes them disjoint, so no device gets two copies), or one per batch of at
most 500 tokens. The `deliver` job works the rows in order. Each row is marked in flight and committed
before it is sent, and its outcome committed right after, so that a killed worker leaves at most one row in
flight: the sweep (`resume_stuck`) puts it back after PUSH_STUCK_AFTER_SECONDS and only that batch is sent
again. FCM replaces rather than stacks a repeated message, because every message carries the push's id as
Android tag and APNs collapse id.

A transient failure (429, 500, 503, no answer) is tried again after a jittered exponential backoff that
honours Retry-After, up to PUSH_MAX_ATTEMPTS attempts, counted in the row. A token FCM no longer knows
removes its device; an error in the payload never removes a token. A cancelled push sends no further row.
"""

import random
from collections import Counter
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.geography import province_on
from smart_qn.jobs import enqueue_after_commit, job
from smart_qn.push import devices, notifications
from smart_qn.push.notifications import PushNotification, PushState
from smart_qn.push.topics import Audience, ancestors, category_topic, conditions_for, unit_tree
from smart_qn.push.transport import MAX_SEND_EACH, SendOutcome, transport_for

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0


class Purpose(StrEnum):
    AUDIENCE = "audience"
    TEST = "test"


class DeliveryState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # the push was cancelled before this row was sent


class PushDelivery(db.Model):
    """One FCM call to make: a condition, or a batch of tokens."""

    __tablename__ = "push_delivery"
    __table_args__ = (Index("ix_push_delivery_push_state", "push_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    push_id: Mapped[int] = mapped_column(ForeignKey("push_notification.id", ondelete="CASCADE"))
    purpose: Mapped[Purpose] = mapped_column(str_enum(Purpose, "push_delivery_purpose"))
    position: Mapped[int]
    language: Mapped[str] = mapped_column(String(2))
    condition: Mapped[str | None] = mapped_column(Text)
    tokens: Mapped[list[str] | None] = mapped_column(JSON)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState, "push_delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    success_count: Mapped[int] = mapped_column(default=0)
    # FCM's error codes and how many messages of the row got each.
    failures: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<PushDelivery {self.id} push={self.push_id} {self.purpose} {self.state}>"


def plan_audience(push: PushNotification) -> list[PushDelivery]:
    """The rows of a push to its audience: one per disjoint FCM condition."""
    units = push.audience_unit_ids or [province_on(current_app.config["UNITS_AS_OF"]).id]
    audience = Audience(units=frozenset(units), categories=frozenset(push.audience_categories))
    rows = [
        PushDelivery(
            push_id=push.id,
            purpose=Purpose.AUDIENCE,
            position=position,
            language=condition.language,
            condition=condition.expression,
        )
        for position, condition in enumerate(conditions_for(audience, unit_tree()))
    ]
    db.session.add_all(rows)
    return rows


def plan_tokens(push: PushNotification, tokens_by_language: dict[str, list[str]], purpose: Purpose) -> list:
    """Rows for sending to tokens directly (test devices, small lists), at most 500 per row."""
    rows, position = [], _next_position(push)
    for language, tokens in sorted(tokens_by_language.items()):
        for start in range(0, len(tokens), MAX_SEND_EACH):
            rows.append(
                PushDelivery(
                    push_id=push.id,
                    purpose=purpose,
                    position=position,
                    language=language,
                    tokens=tokens[start : start + MAX_SEND_EACH],
                )
            )
            position += 1
    db.session.add_all(rows)
    return rows


def test_devices_of(user_id: int) -> dict[str, list[str]]:
    """The tokens of a composer's own test devices, by language."""
    rows = db.session.execute(
        select(devices.Device.language, devices.Device.token)
        .where(devices.Device.tester_id == user_id)
        .order_by(devices.Device.id)
    )
    by_language: dict[str, list[str]] = {}
    for language, token in rows:
        by_language.setdefault(language.value, []).append(token)
    return by_language


@job()
def deliver(push_id: int) -> None:
    """Send what is due of a push: start it if it is due, work its rows, finish it when none is left."""
    now = utcnow()
    push = db.session.get(PushNotification, push_id)
    if push is None:
        return
    if push.state in (PushState.APPROVED, PushState.SCHEDULED) and push in notifications.due_pushes(now):
        notifications.start_sending(push, now)
        plan_audience(push)
        db.session.commit()
    while (row := _next_row(push_id)) is not None:
        db.session.refresh(push)
        if row.purpose is Purpose.AUDIENCE and push.state is not PushState.SENDING:
            _skip_remaining(push_id)
            break
        _send(push, row)
    _finish_or_reschedule(push_id)


def resume_stuck(now: datetime) -> int:
    """Put back rows left in flight by a worker that died, and restart the pushes that have work due
    (the sweep calls it every minute). Returns how many pushes it restarted."""
    stuck_before = now - timedelta(seconds=current_app.config["PUSH_STUCK_AFTER_SECONDS"])
    db.session.execute(
        update(PushDelivery)
        .where(PushDelivery.state == DeliveryState.IN_FLIGHT, PushDelivery.started_at < stuck_before)
        .values(state=DeliveryState.PENDING)
    )
    waiting = set(
        db.session.scalars(
            select(PushDelivery.push_id).where(
                PushDelivery.state == DeliveryState.PENDING,
                (PushDelivery.not_before.is_(None)) | (PushDelivery.not_before <= now),
            )
        )
    )
    waiting |= {push.id for push in notifications.due_pushes(now)}
    db.session.commit()
    for push_id in sorted(waiting):
        deliver(push_id)
    return len(waiting)


def _next_row(push_id: int) -> PushDelivery | None:
    return db.session.scalar(
        select(PushDelivery)
        .where(
            PushDelivery.push_id == push_id,
            PushDelivery.state == DeliveryState.PENDING,
            (PushDelivery.not_before.is_(None)) | (PushDelivery.not_before <= utcnow()),
        )
        .order_by(PushDelivery.position, PushDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _send(push: PushNotification, row: PushDelivery) -> None:
    row.state, row.started_at = DeliveryState.IN_FLIGHT, utcnow()
    row.attempts += 1
    db.session.commit()
    transport = transport_for(current_app)
    if row.condition is not None:
        outcomes = [transport.send(notifications.message_for(push, row.language, condition=row.condition))]
        targets = [None]
    else:
        targets = list(row.tokens)
        outcomes = transport.send_each(
            [notifications.message_for(push, row.language, token=token) for token in targets]
        )
    _record(push, row, targets, outcomes)
    db.session.commit()


def _record(push: PushNotification, row: PushDelivery, targets: list, outcomes: list[SendOutcome]) -> None:
    now = utcnow()
    failures = Counter(row.failures)
    retry, dead, wait = [], set(), 0.0
    for target, outcome in zip(targets, outcomes, strict=True):
        if outcome.ok:
            row.success_count += 1
            row.message_id = row.message_id or outcome.message_id
        elif outcome.transient and row.attempts < current_app.config["PUSH_MAX_ATTEMPTS"]:
            retry.append(target)
            wait = max(wait, outcome.retry_after or 0.0)
        else:
            failures[outcome.error_code or "UNKNOWN"] += 1
            if outcome.token_is_dead and target is not None:
                dead.add(target)
    row.failures = dict(failures)
    if dead:
        devices.prune_tokens(dead)
    if not retry:
        row.state, row.finished_at = (DeliveryState.DONE if row.success_count else _final_state(row)), now
        return
    delay = max(wait, _backoff(row.attempts))
    if row.condition is not None:
        row.state, row.not_before = DeliveryState.PENDING, now + timedelta(seconds=delay)
        return
    # The tokens that went through are done; those to try again form a row of their own.
    row.state, row.finished_at = DeliveryState.DONE, now
    db.session.add(
        PushDelivery(
            push_id=push.id,
            purpose=row.purpose,
            position=row.position,
            language=row.language,
            tokens=retry,
            attempts=row.attempts,
            not_before=now + timedelta(seconds=delay),
        )
    )


def _final_state(row: PushDelivery) -> DeliveryState:
    return DeliveryState.FAILED if row.failures else DeliveryState.DONE


def _backoff(attempts: int) -> float:
    """Jittered exponential backoff: up to 2, 4, 8… seconds (capped), at least half of it."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempts - 1))
    return random.uniform(ceiling / 2, ceiling)


def _skip_remaining(push_id: int) -> None:
    db.session.execute(
        update(PushDelivery)
        .where(
            PushDelivery.push_id == push_id,
            PushDelivery.purpose == Purpose.AUDIENCE,
            PushDelivery.state == DeliveryState.PENDING,
        )
        .values(state=DeliveryState.SKIPPED)
    )
    db.session.commit()


def _finish_or_reschedule(push_id: int) -> None:
    """Finish a sending push whose rows are all done; otherwise come back when the next retry is due."""
    push = db.session.get(PushNotification, push_id)
    open_rows = db.session.execute(
        select(func.count(), func.min(PushDelivery.not_before)).where(
            PushDelivery.push_id == push_id,
            PushDelivery.purpose == Purpose.AUDIENCE,
            PushDelivery.state.in_((DeliveryState.PENDING, DeliveryState.IN_FLIGHT)),
        )
    ).one()
    if open_rows[0]:
        if open_rows[1] is not None:
            deliver.schedule(args=(push_id,), delay=max((open_rows[1] - utcnow()).total_seconds(), 0))
        return
    if push.state is PushState.SENDING:
        notifications.finish_sending(push, _outcome(push_id), utcnow())
        db.session.commit()


def _outcome(push_id: int) -> str:
    rows = db.session.scalars(
        select(PushDelivery).where(PushDelivery.push_id == push_id, PushDelivery.purpose == Purpose.AUDIENCE)
    ).all()
    delivered = sum(row.success_count for row in rows)
    failed = sum(sum(row.failures.values()) for row in rows)
    if failed == 0:
        return "sent"
    return "partly_failed" if delivered else "failed"


def results(push: PushNotification) -> dict[str, Any]:
    """What went out for a push: rows by state, messages accepted, failures by FCM's reason."""
    rows = db.session.scalars(
        select(PushDelivery)
        .where(PushDelivery.push_id == push.id)
        .order_by(PushDelivery.position, PushDelivery.id)
    ).all()
    failures = Counter()
    for row in rows:
        failures.update(row.failures)
    return {
        "rows": rows,
        "accepted": sum(row.success_count for row in rows if row.purpose is Purpose.AUDIENCE),
        "failures": dict(failures),
    }


def _next_position(push: PushNotification) -> int:
    last = db.session.scalar(select(func.max(PushDelivery.position)).where(PushDelivery.push_id == push.id))
    return 0 if last is None else last + 1


def send_test(push: PushNotification, by) -> int:
    """Send the push as it is now to `by`'s own test devices (and note that it was tested); returns how
    many devices it goes to. The sending job starts once the caller commits."""
    tokens = test_devices_of(by.id)
    if not tokens:
        # A test that reached no phone must not count as the test an approval rests on.
        raise notifications.PushRefused(
            _l(
                "You have no test device. An administrator must mark one of your devices as a test "
                "device (Push notifications › Registered devices) before you can send a test."
            ),
            409,
        )
    notifications.record_test_send(push, by)
    rows = plan_tokens(push, tokens, Purpose.TEST)
    if rows:
        enqueue_after_commit(deliver, push.id)
    return sum(len(row.tokens) for row in rows)


def estimated_reach(push: PushNotification) -> int:
    """The registered devices the push's audience matches (what the composer sees before sending)."""
    tree = unit_tree()
    chosen = set(push.audience_unit_ids) or {province_on(current_app.config["UNITS_AS_OF"]).id}
    reached_units = {unit_id for unit_id in tree if chosen & ({unit_id} | ancestors(unit_id, tree))}
    query = select(func.count(func.distinct(devices.Device.id))).where(
        devices.Device.admin_unit_id.in_(reached_units)
    )
    if push.audience_categories:
        query = query.join(devices.DeviceTopic, devices.DeviceTopic.device_id == devices.Device.id).where(
            devices.DeviceTopic.topic.in_([category_topic(slug) for slug in push.audience_categories])
        )
    return db.session.scalar(query)
