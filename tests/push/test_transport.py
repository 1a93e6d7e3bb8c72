"""The message as FCM receives it, its size check, and which transport the app picks."""

import email.utils

import pytest

from smart_qn import create_app
from smart_qn.config import ConfigError
from smart_qn.content.notices import Urgency
from smart_qn.push.fcm import FcmTransport, SeamRefused, retry_after_seconds
from smart_qn.push.outbox import OutboxTransport
from smart_qn.push.transport import (
    MAX_PAYLOAD_BYTES,
    MAX_TTL_SECONDS,
    OutgoingMessage,
    fcm_message,
    payload_bytes,
    payload_problems,
    transport_for,
)

NOW = 1_800_000_000.0


def message(**fields) -> OutgoingMessage:
    return OutgoingMessage(
        **{"notification_id": 42, "title": "Bão số 5", "body": "Sơ tán", "ttl_seconds": 86400, **fields}
    )


@pytest.mark.parametrize(
    "targets",
    [{}, {"token": "t", "topic": "province"}, {"topic": "a", "condition": "'a' in topics"}, {"token": ""}],
)
def test_a_message_has_exactly_one_target(targets):
    with pytest.raises(ValueError, match="exactly one"):
        message(**targets)


@pytest.mark.parametrize("ttl", [-1, MAX_TTL_SECONDS + 1])
def test_the_ttl_is_at_most_28_days(ttl):
    with pytest.raises(ValueError, match="ttl_seconds"):
        message(token="t", ttl_seconds=ttl)


@pytest.mark.parametrize("data", [{"from": "x"}, {"google.x": "y"}, {"gcm.n": "z"}, {"link": 5}])
def test_data_fcm_would_refuse_is_refused_here(data):
    with pytest.raises(ValueError, match="data"):
        message(token="t", data=data)


def test_the_message_carries_the_notification_id_as_tag_and_collapse_id_and_its_own_ttl():
    encoded = fcm_message(message(topic="province", data={"notice_id": "7"}), now=NOW)
    assert encoded == {
        "android": {
            "notification": {"tag": "42", "channel_id": "smart_qn_normal"},
            "priority": "normal",
            "ttl": "86400s",
        },
        "apns": {
            "headers": {
                "apns-priority": "5",
                "apns-expiration": str(int(NOW) + 86400),
                "apns-collapse-id": "42",
                "apns-push-type": "alert",
            },
            "payload": {"aps": {"interruption-level": "active"}},
        },
        "notification": {"body": "Sơ tán", "title": "Bão số 5"},
        "topic": "province",
        "data": {"notice_id": "7"},
    }


@pytest.mark.parametrize(
    ("urgency", "priority", "channel", "apns_priority", "level"),
    [
        (Urgency.NORMAL, "normal", "smart_qn_normal", "5", "active"),
        (Urgency.IMPORTANT, "high", "smart_qn_important", "10", "time-sensitive"),
        (Urgency.EMERGENCY, "high", "smart_qn_emergency", "10", "time-sensitive"),
    ],
)
def test_urgency_sets_priority_channel_and_interruption_level(
    urgency, priority, channel, apns_priority, level
):
    encoded = fcm_message(message(condition="'a' in topics", urgency=urgency), now=NOW)
    assert encoded["condition"] == "'a' in topics"
    assert encoded["android"]["priority"] == priority
    assert encoded["android"]["notification"]["channel_id"] == channel
    assert encoded["apns"]["headers"]["apns-priority"] == apns_priority
    assert encoded["apns"]["payload"]["aps"]["interruption-level"] == level
    assert ("sound" in encoded["apns"]["payload"]["aps"]) == (urgency is not Urgency.NORMAL)


def test_urgency_given_as_text_is_read_as_the_enum():
    assert message(token="t", urgency="emergency").urgency is Urgency.EMERGENCY


def with_payload_of(size: int, **target) -> OutgoingMessage:
    """A message whose counted payload is exactly `size` bytes (Vietnamese letters are 2 or 3 bytes)."""
    base = message(body="", **target)
    return message(
        body="ộ" * ((size - payload_bytes(base)) // 3) + "a" * ((size - payload_bytes(base)) % 3), **target
    )


def test_a_payload_of_4096_bytes_passes_and_one_more_does_not(app):
    with app.test_request_context("/?lang=en"):
        assert payload_bytes(with_payload_of(MAX_PAYLOAD_BYTES, token="t")) == MAX_PAYLOAD_BYTES
        assert payload_problems(with_payload_of(MAX_PAYLOAD_BYTES, token="t")) == []
        too_big = with_payload_of(MAX_PAYLOAD_BYTES + 1, token="t")
        assert payload_bytes(too_big) == MAX_PAYLOAD_BYTES + 1
        assert payload_problems(too_big) == [
            "The notification is 4,097 bytes long; FCM accepts at most 4,096 bytes. "
            "Shorten the title or the text."
        ]


def test_the_target_is_not_counted_in_the_payload():
    assert payload_bytes(message(token="x" * 4000)) == payload_bytes(message(topic="province"))


def test_retry_after_is_read_as_seconds_or_as_a_date():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(email.utils.formatdate(NOW + 30, usegmt=True), now=NOW) == 30.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None


def test_without_credentials_the_app_delivers_to_the_outbox(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "TESTING": True})
    transport = transport_for(app)
    assert isinstance(transport, OutboxTransport)
    assert transport.name == "outbox"
    assert transport_for(app) is transport


def test_with_credentials_the_app_delivers_through_fcm(tmp_path, fcm_standin):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "TESTING": True,
            "FIREBASE_CREDENTIALS": str(fcm_standin.credentials_path),
            "FIREBASE_PROJECT_ID": fcm_standin.project_id,
            "FCM_ENDPOINT_OVERRIDE": fcm_standin.url,
        }
    )
    transport = transport_for(app)
    try:
        assert isinstance(transport, FcmTransport)
        assert transport.name == "fcm"
        assert transport_for(app) is transport
        assert transport.send(message(token="device-1")).ok
        assert fcm_standin.sent_to("device-1") == 1
    finally:
        transport.close()


def test_the_endpoint_override_is_refused_in_production(tmp_path, fcm_standin):
    with pytest.raises(ConfigError, match="FCM_ENDPOINT_OVERRIDE"):
        create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "ENVIRONMENT": "production",
                "SECRET_KEY": "a-real-secret",
                "FCM_ENDPOINT_OVERRIDE": fcm_standin.url,
            }
        )
    with pytest.raises(SeamRefused):
        FcmTransport(
            str(fcm_standin.credentials_path),
            fcm_standin.project_id,
            endpoint_override=fcm_standin.url,
            environment="production",
        )
