"""Delivery through Firebase Cloud Messaging with firebase-admin: the only module that imports it.

Each `FcmTransport` has a firebase-admin App of its own (never the default app), so that several can live
in one process (tests, a benchmark beside the real thing).

firebase-admin 7's `send_each` sends each message from a thread of its own (a thread pool as large as the
batch) through one `requests` session; its own adapter for fcm.googleapis.com keeps 100 connections, so
most of a batch of 500 would open and drop a connection per message. We mount an adapter keeping
`MAX_SEND_EACH` connections on the FCM host, one per thread of the largest batch. Topic subscriptions
(one request per token in 7.x, 100 threads) share that pool.

Retries belong to the dispatcher, which counts attempts in the database and honours Retry-After without
holding a thread: the adapter retries nothing but a connection that could not be opened (the request never
left), where firebase-admin would retry 500 and 503 four times on its own.

`point_at` is the test-only seam: it sends every call of the transport to a local FCM stand-in (the
messages, topic and OAuth token endpoints). The endpoints are private attributes of firebase-admin's
messaging service; tests/push/test_fcm.py has a canary that fails if an upgrade moves them.
"""

import email.utils
import threading
import time
import uuid
import warnings
from datetime import UTC, datetime, timedelta

import firebase_admin
import google.auth.exceptions
import requests
from firebase_admin import credentials, exceptions, messaging
from urllib3.util.retry import Retry

from smart_qn.push.transport import (
    MAX_SEND_EACH,
    OutgoingMessage,
    SendOutcome,
    TopicOutcome,
    fcm_message,
)

FCM_BASE_URL = "https://fcm.googleapis.com"
DEFAULT_TIMEOUT_SECONDS = 10.0
# An answer worth waiting for and asking again: overloaded (429), unavailable (503), internal error (500).
TRANSIENT_STATUSES = frozenset({429, 500, 503})
TRANSIENT_CODES = frozenset({"QUOTA_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL"})
_FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
# The field FCM names when it is the registration token, not the payload, that is invalid.
_TOKEN_FIELD = "message.token"


class SeamRefused(RuntimeError):
    """The test-only endpoint override was asked for in production."""


class FcmTransport:
    name = "fcm"

    def __init__(
        self,
        credentials_path: str,
        project_id: str,
        *,
        endpoint_override: str | None = None,
        environment: str = "development",
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ):
        if endpoint_override and environment == "production":
            raise SeamRefused("the FCM endpoint override is for tests and refused in production")
        credential = credentials.Certificate(credentials_path)
        if endpoint_override:
            credential = _TokenFrom(credential, f"{endpoint_override.rstrip('/')}/token")
        self.project_id = project_id
        self._app = firebase_admin.initialize_app(
            credential,
            {"projectId": project_id, "httpTimeout": timeout},
            name=f"smart-qn-push-{uuid.uuid4().hex}",
        )
        self._service = messaging._get_messaging_service(self._app)
        base_url = FCM_BASE_URL
        if endpoint_override:
            base_url = endpoint_override.rstrip("/")
            point_at(self._service, base_url, project_id)
        self._service._client.session.mount(
            base_url,
            requests.adapters.HTTPAdapter(
                pool_connections=1,
                pool_maxsize=MAX_SEND_EACH,
                max_retries=Retry(total=1, connect=1, read=0, status=0, other=0, redirect=0),
            ),
        )

    def close(self) -> None:
        # firebase-admin closes its async HTTP client with asyncio.run, which fails in a thread whose event
        # loop is running: a thread of its own has none.
        closing = threading.Thread(target=firebase_admin.delete_app, args=(self._app,), name="fcm-close")
        closing.start()
        closing.join()

    def send(self, message: OutgoingMessage) -> SendOutcome:
        try:
            message_id = self._service.send(firebase_message(message))
        except exceptions.FirebaseError as error:
            return outcome_of(error)
        except google.auth.exceptions.GoogleAuthError:
            # No access token (the token endpoint unreachable or refusing): nothing was sent.
            return SendOutcome(ok=False, error_code="AUTH", transient=True)
        return SendOutcome(ok=True, message_id=message_id)

    def send_each(self, messages: list[OutgoingMessage]) -> list[SendOutcome]:
        if not messages:
            return []
        try:
            batch = self._service.send_each([firebase_message(message) for message in messages])
        except exceptions.UnknownError:
            # firebase-admin gives up on the whole batch when a send fails outside its error handling (no
            # access token, above all) and says nothing of the others: all are to be tried again, and a
            # message that did arrive is replaced by its duplicate on the phone (same tag / collapse id).
            return [SendOutcome(ok=False, error_code="UNKNOWN", transient=True)] * len(messages)
        return [
            SendOutcome(ok=True, message_id=response.message_id)
            if response.success
            else outcome_of(response.exception)
            for response in batch.responses
        ]

    def subscribe(self, tokens: list[str], topic: str) -> TopicOutcome:
        return self._manage_topic(self._service.subscribe_to_topic, tokens, topic)

    def unsubscribe(self, tokens: list[str], topic: str) -> TopicOutcome:
        return self._manage_topic(self._service.unsubscribe_from_topic, tokens, topic)

    @staticmethod
    def _manage_topic(operation, tokens: list[str], topic: str) -> TopicOutcome:
        if not tokens:
            return TopicOutcome(success_count=0, failures=[])
        response = operation(tokens, topic)
        return TopicOutcome(
            success_count=response.success_count,
            failures=[(error.index, error.reason) for error in response.errors],
        )


def point_at(service: messaging._MessagingService, base_url: str, project_id: str) -> None:
    """Send the messaging service's calls (messages:send and the v1 topic registrations) to `base_url`.
    Tests only: FcmTransport refuses it in production."""
    service._fcm_url = f"{base_url}/v1/projects/{project_id}/messages:send"
    service._fcm_topic_url = f"{base_url}/v1/projects/{project_id}/registrations"


class _TokenFrom(credentials.Base):
    """The service account, with its OAuth access tokens asked of another token endpoint."""

    def __init__(self, certificate: credentials.Certificate, token_uri: str):
        self._credential = certificate.get_credential().with_token_uri(token_uri)
        # google-auth 2.5x looks the account's Regional Access Boundary up at iamcredentials.googleapis.com,
        # in the background. A stand-in has no boundary to give: an empty one that does not expire (the
        # contract google-auth keeps for gcloud) stops the lookup.
        self._credential._set_regional_access_boundary(
            {
                "encodedLocations": "0x0",
                "expiry": datetime.now(UTC).replace(tzinfo=None) + timedelta(days=3650),
            }
        )

    def get_credential(self):
        return self._credential


def firebase_message(message: OutgoingMessage, now: float | None = None) -> messaging.Message:
    """The firebase-admin message whose encoding is `fcm_message(message, now)`."""
    encoded = fcm_message(message, now)
    android = encoded["android"]
    apns = encoded["apns"]
    aps = apns["payload"]["aps"]
    with warnings.catch_warnings():
        # FCM v1 still addresses an app's registration token as `token`; the `fid` firebase-admin 7
        # suggests instead is the Firebase installation id, which the app does not register.
        warnings.filterwarnings("ignore", "Message.token is deprecated", DeprecationWarning)
        return messaging.Message(
            notification=messaging.Notification(**encoded["notification"]),
            data=encoded.get("data"),
            android=messaging.AndroidConfig(
                priority=android["priority"],
                ttl=message.ttl_seconds,
                notification=messaging.AndroidNotification(**android["notification"]),
            ),
            apns=messaging.APNSConfig(
                headers=apns["headers"],
                payload=messaging.APNSPayload(
                    aps=messaging.Aps(
                        sound=aps.get("sound"),
                        custom_data={"interruption-level": aps["interruption-level"]},
                    )
                ),
            ),
            token=message.token,
            topic=message.topic,
            condition=message.condition,
        )


def outcome_of(error: exceptions.FirebaseError) -> SendOutcome:
    """A failed send as the dispatcher needs it: why, whether to try again (and when), whether the token
    is dead. An INVALID_ARGUMENT kills the token only when FCM names the token as the invalid field: a
    payload error must never remove devices, and an error that names nothing removes nothing (a token that
    is really dead answers UNREGISTERED soon enough). SENDER_ID_MISMATCH is not taken as a dead token
    either: with a misconfigured project every token answers it."""
    response = error.http_response
    if response is None:
        code = "DEADLINE_EXCEEDED" if isinstance(error, exceptions.DeadlineExceededError) else "NETWORK"
        transient = isinstance(error, exceptions.UnavailableError | exceptions.DeadlineExceededError)
        return SendOutcome(ok=False, error_code=code, transient=transient)
    details = _error_details(response)
    code = next(
        (detail.get("errorCode") for detail in details if detail.get("@type") == _FCM_ERROR_TYPE),
        None,
    ) or str(error.code)
    violated_fields = {
        violation.get("field")
        for detail in details
        if detail.get("@type") == _BAD_REQUEST_TYPE
        for violation in detail.get("fieldViolations", [])
    }
    return SendOutcome(
        ok=False,
        error_code=code,
        transient=response.status_code in TRANSIENT_STATUSES or code in TRANSIENT_CODES,
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        token_is_dead=code == "UNREGISTERED"
        or (code == "INVALID_ARGUMENT" and violated_fields == {_TOKEN_FIELD}),
    )


def _error_details(response: requests.Response) -> list[dict]:
    try:
        body = response.json()
    except ValueError:
        return []
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    return [detail for detail in details if isinstance(detail, dict)] if isinstance(details, list) else []


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds to wait: it is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
