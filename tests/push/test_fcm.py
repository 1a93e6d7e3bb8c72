"""Delivery through the real firebase-admin, over HTTP, to the local FCM stand-in."""

import pytest
import requests
from firebase_admin import messaging

from smart_qn.content.notices import Urgency
from smart_qn.push.fcm import FCM_BASE_URL, FcmTransport, firebase_message
from smart_qn.push.transport import OutgoingMessage, SendOutcome, fcm_message
from tests.push.fcm_standin import (
    DROP_CONNECTION,
    INTERNAL,
    INVALID_PAYLOAD,
    INVALID_TOKEN,
    SENDER_ID_MISMATCH,
    UNREGISTERED,
    Failure,
    quota_exceeded,
    unavailable,
)


def message(notification_id: int = 42, **fields) -> OutgoingMessage:
    return OutgoingMessage(
        **{
            "notification_id": notification_id,
            "title": "Cảnh báo lũ",
            "body": "Nước sông Vu Gia đang lên",
            "ttl_seconds": 3600,
            "urgency": Urgency.EMERGENCY,
            "data": {"notice_id": "17"},
            **fields,
        }
    )


def without_expiry(encoded: dict) -> dict:
    """The message but its APNs expiry, which is counted from the moment it is encoded."""
    headers = {key: value for key, value in encoded["apns"]["headers"].items() if key != "apns-expiration"}
    return {**encoded, "apns": {**encoded["apns"], "headers": headers}}


def test_canary_firebase_admin_keeps_its_endpoints_where_the_seam_sets_them(fcm_standin):
    """If a firebase-admin upgrade renames or moves these, the seam would silently stop working: tests
    would head for Google (which tests/push/conftest.py refuses) instead of the stand-in."""
    assert messaging._MessagingService.FCM_URL == "https://fcm.googleapis.com/v1/projects/{0}/messages:send"
    plain = FcmTransport(str(fcm_standin.credentials_path), "canary-project")
    try:
        assert plain._service._fcm_url == f"{FCM_BASE_URL}/v1/projects/canary-project/messages:send"
        assert plain._service._fcm_topic_url == f"{FCM_BASE_URL}/v1/projects/canary-project/registrations"
    finally:
        plain.close()

    pointed = FcmTransport(
        str(fcm_standin.credentials_path), fcm_standin.project_id, endpoint_override=fcm_standin.url
    )
    try:
        assert pointed._service._fcm_url.startswith(fcm_standin.url)
        assert pointed._service._fcm_topic_url.startswith(fcm_standin.url)
        assert pointed.send(message(token="device-1")).ok
        assert pointed.subscribe(["device-1"], "province").success_count == 1
    finally:
        pointed.close()
    assert fcm_standin.access_tokens_issued >= 1
    assert [
        (request.method, request.path.rsplit("/", 1)[-1])
        for request in fcm_standin.requests
        if request.path != "/token"
    ] == [("POST", "messages:send"), ("POST", "topicSubscriptions")]
    assert fcm_standin.sends[0].headers["authorization"] == "Bearer standin-access-token"
    assert fcm_standin.subscriptions == {"province": {"device-1"}}


@pytest.mark.parametrize(
    "target", [{"token": "device-1"}, {"topic": "province"}, {"condition": "'d-502' in topics"}]
)
def test_fcm_receives_exactly_the_message_built_for_it(fcm_transport, fcm_standin, target):
    outgoing = message(**target)
    outcome = fcm_transport.send(outgoing)
    assert outcome == SendOutcome(ok=True, message_id=outcome.message_id)
    assert outcome.message_id.startswith(f"projects/{fcm_standin.project_id}/messages/")
    [sent] = fcm_standin.sent_messages()
    assert without_expiry(sent) == without_expiry(fcm_message(outgoing))
    assert sent["android"]["notification"]["tag"] == sent["apns"]["headers"]["apns-collapse-id"] == "42"
    assert sent["android"]["ttl"] == "3600s"


@pytest.mark.parametrize("urgency", list(Urgency))
@pytest.mark.parametrize("target", [{"token": "t"}, {"topic": "province"}, {"condition": "'a' in topics"}])
def test_firebase_admin_encodes_the_message_as_the_outbox_records_it(urgency, target):
    outgoing = message(urgency=urgency, **target)
    encoded = messaging._MessagingService.encode_message(firebase_message(outgoing, now=1_800_000_000))
    assert encoded == fcm_message(outgoing, now=1_800_000_000)


def test_send_each_sends_500_once_each(fcm_transport, fcm_standin):
    outcomes = fcm_transport.send_each([message(n, token=f"device-{n}") for n in range(500)])
    assert all(outcome.ok for outcome in outcomes)
    assert len({outcome.message_id for outcome in outcomes}) == 500
    assert sorted(m["token"] for m in fcm_standin.sent_messages()) == sorted(
        f"device-{n}" for n in range(500)
    )


def test_send_each_answers_in_the_order_of_the_messages(fcm_transport, fcm_standin):
    fcm_standin.fail_token("device-1", UNREGISTERED)
    fcm_standin.fail_token("device-3", quota_exceeded("12"))
    outcomes = fcm_transport.send_each([message(n, token=f"device-{n}") for n in range(5)])
    assert [outcome.ok for outcome in outcomes] == [True, False, True, False, True]
    assert outcomes[1].token_is_dead
    assert outcomes[3].transient
    assert outcomes[3].retry_after == 12.0
    assert fcm_transport.send_each([]) == []


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (UNREGISTERED, SendOutcome(ok=False, error_code="UNREGISTERED", token_is_dead=True)),
        (INVALID_TOKEN, SendOutcome(ok=False, error_code="INVALID_ARGUMENT", token_is_dead=True)),
        (INVALID_PAYLOAD, SendOutcome(ok=False, error_code="INVALID_ARGUMENT")),
        (SENDER_ID_MISMATCH, SendOutcome(ok=False, error_code="SENDER_ID_MISMATCH")),
        (
            quota_exceeded("30"),
            SendOutcome(ok=False, error_code="QUOTA_EXCEEDED", transient=True, retry_after=30),
        ),
        (unavailable("5"), SendOutcome(ok=False, error_code="UNAVAILABLE", transient=True, retry_after=5)),
        (INTERNAL, SendOutcome(ok=False, error_code="INTERNAL", transient=True)),
        (DROP_CONNECTION, SendOutcome(ok=False, error_code="NETWORK", transient=True)),
    ],
    ids=lambda value: getattr(value, "code", None) if not isinstance(value, SendOutcome) else "",
)
def test_each_fcm_error_is_read_for_what_it_means(fcm_transport, fcm_standin, failure, expected):
    fcm_standin.fail_token("device-1", failure)
    assert fcm_transport.send(message(token="device-1")) == expected
    # firebase-admin retries nothing by itself: attempts are the dispatcher's to count.
    assert fcm_standin.sent_to("device-1") == 1


def test_an_invalid_argument_that_names_no_field_does_not_kill_the_token(fcm_transport, fcm_standin):
    fcm_standin.fail_token("device-1", Failure(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Bad request"))
    outcome = fcm_transport.send(message(token="device-1"))
    assert outcome.error_code == "INVALID_ARGUMENT"
    assert not outcome.token_is_dead


def test_a_payload_fcm_refuses_never_kills_the_token(fcm_transport, fcm_standin):
    """Refused by the stand-in's own check (as FCM refuses it), not by a script."""
    outcome = fcm_transport.send(message(token="device-1", body="ộ" * 1400))
    assert outcome.error_code == "INVALID_ARGUMENT"
    assert not outcome.token_is_dead
    assert not outcome.transient


def test_a_slow_answer_within_the_timeout_is_a_success(fcm_transport, fcm_standin):
    fcm_standin.delay(0.5)
    assert fcm_transport.send(message(token="device-1")).ok


def test_no_answer_within_the_timeout_is_transient(fcm_standin):
    transport = FcmTransport(
        str(fcm_standin.credentials_path),
        fcm_standin.project_id,
        endpoint_override=fcm_standin.url,
        timeout=0.3,
    )
    try:
        assert transport.send(message(token="device-0")).ok
        fcm_standin.delay(0.6)
        assert transport.send(message(token="device-1")) == SendOutcome(
            ok=False, error_code="DEADLINE_EXCEEDED", transient=True
        )
    finally:
        transport.close()


def test_without_an_access_token_nothing_is_sent_and_it_is_transient(fcm_standin):
    """The token endpoint (here, a closed port) does not answer."""
    transport = FcmTransport(
        str(fcm_standin.credentials_path), fcm_standin.project_id, endpoint_override="http://127.0.0.1:9"
    )
    try:
        assert transport.send(message(token="device-1")) == SendOutcome(
            ok=False, error_code="AUTH", transient=True
        )
        assert (
            transport.send_each([message(token="device-1"), message(token="device-2")])
            == [SendOutcome(ok=False, error_code="UNKNOWN", transient=True)] * 2
        )
    finally:
        transport.close()


def test_subscriptions_report_each_token_that_failed(fcm_transport, fcm_standin):
    fcm_standin.fail_token("dead", UNREGISTERED)
    fcm_standin.fail_token("garbled", INVALID_TOKEN)
    outcome = fcm_transport.subscribe(["a", "dead", "b", "garbled"], "d-502")
    assert outcome.success_count == 2
    assert outcome.failures == [(1, "UNREGISTERED"), (3, "INVALID_ARGUMENT")]
    assert fcm_standin.subscriptions == {"d-502": {"a", "b"}}

    outcome = fcm_transport.unsubscribe(["a", "dead"], "d-502")
    assert outcome.success_count == 1
    assert outcome.failures == [(1, "UNREGISTERED")]
    assert fcm_standin.subscriptions == {"d-502": {"b"}}
    assert fcm_transport.subscribe([], "d-502").success_count == 0


def test_a_subscription_call_takes_1000_tokens(fcm_transport, fcm_standin):
    tokens = [f"device-{n}" for n in range(1000)]
    assert fcm_transport.subscribe(tokens, "province").success_count == 1000
    assert fcm_standin.subscriptions["province"] == set(tokens)


def test_failures_scripted_per_call_hit_that_many_sends(fcm_transport, fcm_standin):
    fcm_standin.fail_next(2, unavailable())
    outcomes = fcm_transport.send_each([message(n, token=f"device-{n}") for n in range(5)])
    assert sorted(outcome.ok for outcome in outcomes) == [False, False, True, True, True]
    assert fcm_transport.send(message(token="device-9")).ok


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": "province"}, "message"),
        ({"android": {"ttl": "1h"}}, "message.android.ttl"),
        ({"android": {"ttl": "2419201s"}}, "message.android.ttl"),
        ({"data": {"count": 3}}, "message.data"),
        ({"notification": {"body": "x" * 4100}}, "message"),
    ],
)
def test_the_standin_refuses_what_fcm_refuses(fcm_standin, change, field):
    response = requests.post(
        f"{fcm_standin.url}/v1/projects/{fcm_standin.project_id}/messages:send",
        json={"message": {"token": "device-1", **change}},
        headers={"Authorization": "Bearer standin-access-token"},
        timeout=5,
    )
    assert response.status_code == 400
    [violation] = response.json()["error"]["details"][1]["fieldViolations"]
    assert violation["field"] == field
