"""How a push leaves the application: the message as FCM receives it, and the transports that carry it.

Every sender speaks to a `Transport`: `FcmTransport` (smart_qn.push.fcm, the only module that imports
firebase-admin) when Firebase credentials are configured, else the `OutboxTransport`, which records what
would have been sent (the demo, development).

The message JSON is built here, once, in FCM v1's shape (`fcm_message`): the outbox records it as is, the
payload-size check measures it, and the FCM transport sends the same fields through firebase-admin (a test
holds the two encodings equal).

Urgency decides how loudly a phone announces the push:

| urgency | Android priority | Android channel | APNs priority | APNs interruption level |
|---|---|---|---|---|
| normal | normal | `smart_qn_normal` | 5 | active |
| important | high | `smart_qn_important` | 10 | time-sensitive |
| emergency | high | `smart_qn_emergency` | 10 | time-sensitive |

The app creates the three Android channels (their importance and sound are the user's to change). An
emergency is `time-sensitive`, not `critical`: iOS only honours `critical` (which sounds through silent mode
and Focus) for apps Apple has granted the Critical Alerts entitlement, which a public-safety app must apply
for. Once the app has it, `EMERGENCY_INTERRUPTION_LEVEL` becomes "critical" and the app's entitlements file
gains `com.apple.developer.usernotifications.critical-alerts`.

Every message carries the notification id as Android `tag` and APNs `apns-collapse-id`: a duplicate (a
retried send whose first attempt did arrive) replaces the one already shown instead of stacking beside it.
"""

import time
from dataclasses import dataclass, field
from typing import Protocol

import orjson
from flask import Flask
from flask_babel import format_decimal
from flask_babel import gettext as _

from smart_qn.content.notices import Urgency

# FCM refuses a message whose payload exceeds 4,096 bytes.
MAX_PAYLOAD_BYTES = 4096
# FCM keeps an undelivered message at most 28 days (also its default: a stale warning must never wait that
# long, so every message states its own TTL).
MAX_TTL_SECONDS = 28 * 24 * 3600
MAX_SEND_EACH = 500
MAX_TOPIC_TOKENS = 1000
EMERGENCY_INTERRUPTION_LEVEL = "time-sensitive"
# Data keys FCM reserves for itself (a message carrying one is refused).
_RESERVED_DATA_KEYS = frozenset({"from", "notification", "message_type"})
_RESERVED_DATA_PREFIXES = ("google.", "gcm.")
# APNs refuses a collapse id longer than this.
_MAX_COLLAPSE_ID_BYTES = 64


@dataclass(frozen=True)
class OutgoingMessage:
    """One push to one target: a registration token, a topic, or a topic condition."""

    notification_id: int
    title: str
    body: str
    ttl_seconds: int
    urgency: Urgency = Urgency.NORMAL
    # The deep link the app opens (string values only, as FCM requires).
    data: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    topic: str | None = None
    condition: str | None = None

    def __post_init__(self):
        targets = [value for value in (self.token, self.topic, self.condition) if value is not None]
        if len(targets) != 1 or not targets[0]:
            raise ValueError("a message needs exactly one of token, topic or condition")
        if not 0 <= self.ttl_seconds <= MAX_TTL_SECONDS:
            raise ValueError(f"ttl_seconds must be between 0 and {MAX_TTL_SECONDS}")
        object.__setattr__(self, "urgency", Urgency(self.urgency))
        for key, value in self.data.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise ValueError("data keys and values must be strings")
            if key in _RESERVED_DATA_KEYS or key.startswith(_RESERVED_DATA_PREFIXES):
                raise ValueError(f"data key {key!r} is reserved by FCM")
        if len(self.collapse_id.encode()) > _MAX_COLLAPSE_ID_BYTES:
            raise ValueError("the notification id is too long for an APNs collapse id")

    @property
    def target(self) -> tuple[str, str]:
        """("token" | "topic" | "condition", its value)."""
        if self.token is not None:
            return "token", self.token
        if self.topic is not None:
            return "topic", self.topic
        return "condition", self.condition

    @property
    def collapse_id(self) -> str:
        return str(self.notification_id)

    @property
    def android_priority(self) -> str:
        return "normal" if self.urgency is Urgency.NORMAL else "high"

    @property
    def android_channel_id(self) -> str:
        return f"smart_qn_{self.urgency.value}"

    @property
    def apns_priority(self) -> str:
        return "5" if self.urgency is Urgency.NORMAL else "10"

    @property
    def interruption_level(self) -> str:
        return {
            Urgency.NORMAL: "active",
            Urgency.IMPORTANT: "time-sensitive",
            Urgency.EMERGENCY: EMERGENCY_INTERRUPTION_LEVEL,
        }[self.urgency]

    def apns_headers(self, now: float) -> dict[str, str]:
        # APNs has no relative TTL: without an expiry FCM would keep the message 30 days for iOS.
        return {
            "apns-priority": self.apns_priority,
            "apns-expiration": str(int(now) + self.ttl_seconds),
            "apns-collapse-id": self.collapse_id,
            "apns-push-type": "alert",
        }

    def aps(self) -> dict[str, str]:
        aps = {"interruption-level": self.interruption_level}
        if self.urgency is not Urgency.NORMAL:
            aps["sound"] = "default"
        return aps


def fcm_message(message: OutgoingMessage, now: float | None = None) -> dict:
    """The `message` object of FCM v1's `messages:send` body, exactly as firebase-admin encodes it."""
    now = time.time() if now is None else now
    target_kind, target = message.target
    encoded = {
        "android": {
            "notification": {"tag": message.collapse_id, "channel_id": message.android_channel_id},
            "priority": message.android_priority,
            "ttl": f"{message.ttl_seconds}s",
        },
        "apns": {"headers": message.apns_headers(now), "payload": {"aps": message.aps()}},
        "notification": {"body": message.body, "title": message.title},
        target_kind: target,
    }
    if message.data:
        encoded["data"] = dict(message.data)
    return encoded


def payload_bytes(message: OutgoingMessage) -> int:
    """The size FCM's 4,096-byte limit applies to, counted generously: the compact UTF-8 JSON of the whole
    message but its target. FCM itself counts less (the notification and data payload), so a message that
    passes here is never refused for its size."""
    encoded = fcm_message(message, now=0)
    del encoded[message.target[0]]
    return len(orjson.dumps(encoded))


def payload_problems(message: OutgoingMessage) -> list[str]:
    """What would make FCM refuse the message, in words for the composer; empty when it may be queued."""
    size = payload_bytes(message)
    if size <= MAX_PAYLOAD_BYTES:
        return []
    return [
        _(
            "The notification is %(size)s bytes long; FCM accepts at most %(limit)s bytes. "
            "Shorten the title or the text.",
            size=format_decimal(size),
            limit=format_decimal(MAX_PAYLOAD_BYTES),
        )
    ]


@dataclass(frozen=True)
class SendOutcome:
    """What FCM answered for one message."""

    ok: bool
    message_id: str | None = None
    # FCM's error code (UNREGISTERED, INVALID_ARGUMENT, SENDER_ID_MISMATCH, QUOTA_EXCEEDED, UNAVAILABLE,
    # INTERNAL, THIRD_PARTY_AUTH_ERROR…), or NETWORK / DEADLINE_EXCEEDED when no answer came.
    error_code: str | None = None
    # Worth trying again later (500, 503, 429, no answer).
    transient: bool = False
    # Seconds FCM asked us to wait (Retry-After), if it said.
    retry_after: float | None = None
    # The token will never work again: remove the device. Never set for an error in the payload.
    token_is_dead: bool = False


@dataclass(frozen=True)
class TopicOutcome:
    success_count: int
    # (index of the token in the call, FCM reason code)
    failures: list[tuple[int, str]]


class Transport(Protocol):
    name: str  # "fcm" or "outbox"

    def subscribe(self, tokens: list[str], topic: str) -> TopicOutcome: ...  # at most 1,000 tokens

    def unsubscribe(self, tokens: list[str], topic: str) -> TopicOutcome: ...

    def send(self, message: OutgoingMessage) -> SendOutcome: ...

    def send_each(self, messages: list[OutgoingMessage]) -> list[SendOutcome]: ...  # at most 500


_TRANSPORT_KEY = "smart_qn.push_transport"


def transport_for(app: Flask) -> Transport:
    """The app's transport, made once per process: FCM when a service account and project are configured,
    else the outbox."""
    transport = app.extensions.get(_TRANSPORT_KEY)
    if transport is None:
        if app.config["FIREBASE_CREDENTIALS"] and app.config["FIREBASE_PROJECT_ID"]:
            from smart_qn.push.fcm import FcmTransport

            transport = FcmTransport(
                app.config["FIREBASE_CREDENTIALS"],
                app.config["FIREBASE_PROJECT_ID"],
                endpoint_override=app.config["FCM_ENDPOINT_OVERRIDE"],
                environment=app.config["ENVIRONMENT"],
            )
        else:
            from smart_qn.push.outbox import OutboxTransport

            transport = OutboxTransport()
        app.extensions[_TRANSPORT_KEY] = transport
    return transport
