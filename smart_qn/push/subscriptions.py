"""FCM topic subscriptions as data: the database says which token should be in which topic
(`DeviceTopic` rows, kept by `devices.py`), and `apply_subscription_changes` brings FCM in line with it,
1,000 tokens per call.

A token FCM reports as not registered or invalid is pruned: its device and all its rows go. Other failures
are counted on the row and retried by later runs, up to MAX_ATTEMPTS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from smart_qn.extensions import db
from smart_qn.push.devices import DeviceTopic, TopicState, prune_tokens

FCM_TOPIC_BATCH = 1000
# Failures FCM reports for the token itself: the app was uninstalled, or the token was never valid.
TOKEN_GONE_REASONS = frozenset({"registration-token-not-registered", "invalid-argument"})
# A row failing for another reason (quota, internal error) is retried by later runs up to this many times,
# then left for inspection with its `last_error`.
MAX_ATTEMPTS = 5


class TopicOutcome(Protocol):
    """What FCM answered to one (un)subscribe call (`smart_qn.push.transport.TopicOutcome`)."""

    success_count: int
    failures: list[tuple[int, str]]


class TopicTransport(Protocol):
    name: str

    def subscribe(self, tokens: list[str], topic: str) -> TopicOutcome: ...

    def unsubscribe(self, tokens: list[str], topic: str) -> TopicOutcome: ...


@dataclass
class SubscriptionCounts:
    calls: int = 0
    subscribed: int = 0
    unsubscribed: int = 0
    failed: int = 0  # failures that will be retried (or have used up their attempts)
    pruned_tokens: int = 0


def apply_subscription_changes(
    transport: TopicTransport, limit_batches: int | None = None
) -> SubscriptionCounts:
    """Subscribe and unsubscribe the pending rows, topic by topic, at most 1,000 tokens per call, and
    commit after each call so that the work done survives a crash. Running it again with nothing pending
    changes nothing. A transport error (network, FCM unavailable) propagates after the batches before it
    were committed; the rows of the failed call stay pending for the next run."""
    counts = SubscriptionCounts()
    actions: tuple[tuple[TopicState, Callable[[list[str], str], TopicOutcome]], ...] = (
        (TopicState.SUBSCRIBE_PENDING, transport.subscribe),
        (TopicState.UNSUBSCRIBE_PENDING, transport.unsubscribe),
    )
    for state, call in actions:
        for topic in _pending_topics(state):
            after_id = 0
            while limit_batches is None or counts.calls < limit_batches:
                rows = _pending_batch(state, topic, after_id)
                if not rows:
                    break
                after_id = rows[-1].id
                outcome = call([row.token for row in rows], topic)
                counts.calls += 1
                _record(rows, state, outcome, counts)
                db.session.commit()
    return counts


def _pending_topics(state: TopicState) -> list[str]:
    return db.session.scalars(
        select(DeviceTopic.topic)
        .where(DeviceTopic.state == state, DeviceTopic.attempts < MAX_ATTEMPTS)
        .distinct()
        .order_by(DeviceTopic.topic)
    ).all()


def _pending_batch(state: TopicState, topic: str, after_id: int) -> list[DeviceTopic]:
    return db.session.scalars(
        select(DeviceTopic)
        .where(
            DeviceTopic.state == state,
            DeviceTopic.topic == topic,
            DeviceTopic.attempts < MAX_ATTEMPTS,
            DeviceTopic.id > after_id,
        )
        .order_by(DeviceTopic.id)
        .limit(FCM_TOPIC_BATCH)
    ).all()


def _record(
    rows: list[DeviceTopic], state: TopicState, outcome: TopicOutcome, counts: SubscriptionCounts
) -> None:
    failures = dict(outcome.failures)
    gone_tokens = {rows[index].token for index, reason in failures.items() if reason in TOKEN_GONE_REASONS}
    for index, row in enumerate(rows):
        reason = failures.get(index)
        if row.token in gone_tokens:
            continue
        if reason is not None:
            row.attempts += 1
            row.last_error = reason[:100]
            counts.failed += 1
        elif state is TopicState.SUBSCRIBE_PENDING:
            row.state, row.attempts, row.last_error = TopicState.SUBSCRIBED, 0, None
            counts.subscribed += 1
        else:
            db.session.delete(row)
            counts.unsubscribed += 1
    if gone_tokens:
        prune_tokens(gone_tokens)
        counts.pruned_tokens += len(gone_tokens)
