"""Bringing FCM's topics in line with the database: batches of 1,000, pruning, retries, idempotence."""

from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, insert, select

from smart_qn.extensions import db
from smart_qn.push import devices
from smart_qn.push.devices import Device, DeviceTopic, TopicState
from smart_qn.push.subscriptions import MAX_ATTEMPTS, apply_subscription_changes
from smart_qn.push.topics import topics_of


@dataclass(frozen=True)
class Outcome:
    success_count: int
    failures: list[tuple[int, str]]


@dataclass
class RecordingTransport:
    """Records every call; answers with the failures given per token (any call not failing succeeds)."""

    name: str = "recording"
    failing: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def subscribe(self, tokens: list[str], topic: str) -> Outcome:
        return self._answer("subscribe", tokens, topic)

    def unsubscribe(self, tokens: list[str], topic: str) -> Outcome:
        return self._answer("unsubscribe", tokens, topic)

    def _answer(self, action: str, tokens: list[str], topic: str) -> Outcome:
        self.calls.append((action, topic, list(tokens)))
        failures = [
            (index, self.failing[token]) for index, token in enumerate(tokens) if token in self.failing
        ]
        return Outcome(len(tokens) - len(failures), failures)


class BrokenTransport(RecordingTransport):
    def subscribe(self, tokens: list[str], topic: str) -> Outcome:
        if self.calls:
            raise ConnectionError("FCM unreachable")
        return super().subscribe(tokens, topic)


def pending_rows(count: int, topic: str = "unit-49-test") -> list[str]:
    tokens = [f"bulk-token-{number:05d}-{'q' * 30}" for number in range(count)]
    db.session.execute(
        insert(DeviceTopic),
        [
            {"token": token, "topic": topic, "state": TopicState.SUBSCRIBE_PENDING, "attempts": 0}
            for token in tokens
        ],
    )
    return tokens


def states() -> dict[tuple[str, str], TopicState]:
    return {(row.token, row.topic): row.state for row in db.session.scalars(select(DeviceTopic))}


def test_2500_tokens_go_out_in_three_calls_of_at_most_1000(app):
    tokens = pending_rows(2500)
    transport = RecordingTransport()

    counts = apply_subscription_changes(transport)

    assert [len(call_tokens) for _action, _topic, call_tokens in transport.calls] == [1000, 1000, 500]
    assert [token for *_call, call_tokens in transport.calls for token in call_tokens] == tokens
    assert (counts.calls, counts.subscribed) == (3, 2500)
    assert set(states().values()) == {TopicState.SUBSCRIBED}


def test_running_again_changes_nothing(make):
    make.device()
    make.device(unit="503", categories=["y-te"])
    apply_subscription_changes(RecordingTransport())
    before = states()
    transport = RecordingTransport()

    counts = apply_subscription_changes(transport)

    assert transport.calls == [] and counts.calls == 0
    assert states() == before


def test_each_device_is_subscribed_to_each_of_its_topics(make):
    device = make.device(categories=["thien-tai"])
    transport = RecordingTransport()

    apply_subscription_changes(transport)

    assert {(action, topic) for action, topic, tokens in transport.calls if device.token in tokens} == {
        ("subscribe", topic) for topic in topics_of(device)
    }
    assert {state for (token, _topic), state in states().items() if token == device.token} == {
        TopicState.SUBSCRIBED
    }


def test_an_unregistered_device_is_unsubscribed_then_forgotten(make):
    device = make.device()
    token, topics = device.token, topics_of(device)
    apply_subscription_changes(RecordingTransport())
    devices.unregister(device)
    transport = RecordingTransport()

    counts = apply_subscription_changes(transport)

    assert {(action, topic) for action, topic, tokens in transport.calls if token in tokens} == {
        ("unsubscribe", topic) for topic in topics
    }
    assert counts.unsubscribed == len(topics)
    assert not any(row_token == token for row_token, _topic in states())


def test_tokens_fcm_no_longer_knows_are_pruned_with_their_device(make):
    kept = make.device()
    gone = make.device()
    invalid = make.device()
    gone_id, invalid_id = gone.id, invalid.id
    transport = RecordingTransport(
        failing={gone.token: "registration-token-not-registered", invalid.token: "invalid-argument"}
    )

    counts = apply_subscription_changes(transport)

    assert counts.pruned_tokens == 2
    assert db.session.get(Device, gone_id) is None and db.session.get(Device, invalid_id) is None
    assert {token for token, _topic in states()} == {kept.token}
    assert set(states().values()) == {TopicState.SUBSCRIBED}
    assert apply_subscription_changes(RecordingTransport()).calls == 0


def test_other_failures_are_retried_a_few_times_then_left_for_inspection(make):
    device = make.device()
    topic_count = len(topics_of(device))
    transport = RecordingTransport(failing={device.token: "internal-error"})

    for _run in range(MAX_ATTEMPTS):
        assert apply_subscription_changes(transport).failed == topic_count

    assert apply_subscription_changes(transport).calls == 0
    rows = db.session.scalars(select(DeviceTopic).where(DeviceTopic.token == device.token)).all()
    assert {(row.state, row.attempts, row.last_error) for row in rows} == {
        (TopicState.SUBSCRIBE_PENDING, MAX_ATTEMPTS, "internal-error")
    }


def test_a_limited_run_leaves_the_rest_for_the_next(app):
    pending_rows(2500)

    assert apply_subscription_changes(RecordingTransport(), limit_batches=2).calls == 2
    assert list(states().values()).count(TopicState.SUBSCRIBED) == 2000
    assert apply_subscription_changes(RecordingTransport()).subscribed == 500


def test_a_transport_error_keeps_the_batches_done_before_it(app):
    pending_rows(1500)

    with pytest.raises(ConnectionError):
        apply_subscription_changes(BrokenTransport())

    pending = db.session.scalar(
        select(func.count()).select_from(DeviceTopic).where(DeviceTopic.state == TopicState.SUBSCRIBE_PENDING)
    )
    assert pending == 500
