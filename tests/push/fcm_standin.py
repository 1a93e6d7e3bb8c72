"""A local stand-in for FCM, for the real firebase-admin to talk to over HTTP.

It answers what firebase-admin 7 calls:

- `POST /token`: Google's OAuth token endpoint (the service account's signed JWT for an access token);
- `POST /v1/projects/<project>/messages:send`: checked as FCM checks it (the bearer token, exactly one target,
  the topic name, the TTL's format and range, string data, the payload size), answered with a message name;
- `POST /v1/projects/<project>/registrations/<token>/topicSubscriptions?topic_name=<topic>` and
  `DELETE …/topicSubscriptions/<topic>?allow_missing=true`: topic subscriptions, one token a call.

Failures are scripted per token (`fail_token`: every call naming the token, or its next `times` calls) or
per call (`fail_next`: the next n message sends, whatever their token), with the answers FCM gives:
`UNREGISTERED`, `INVALID_TOKEN`, `INVALID_PAYLOAD`, `SENDER_ID_MISMATCH`, `quota_exceeded()` (429 with
Retry-After), `unavailable()` (503), `INTERNAL` (500), and `DROP_CONNECTION` (no answer at all); `delay`
makes answers slow. Every request is recorded (`requests`, `sends`,
`sent_to(token)`); anything else asked of it is answered 404 and listed in `unexpected`.
"""

import itertools
import json
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT_ID = "smart-qn-standin"
MAX_PAYLOAD_BYTES = 4096
MAX_TTL_SECONDS = 28 * 24 * 3600
_FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
_TOPIC_NAME = re.compile(r"[a-zA-Z0-9\-_.~%]+")
_TTL = re.compile(r"(\d+)(\.\d{1,9})?s")
_SEND_PATH = re.compile(r"/v1/projects/([^/]+)/messages:send")
_REGISTRATION_PATH = re.compile(r"/v1/projects/([^/]+)/registrations/([^/]+)/topicSubscriptions(?:/([^/]+))?")


@dataclass(frozen=True)
class Failure:
    """An error answer, as FCM shapes it."""

    status: int
    code: str  # the canonical status (INVALID_ARGUMENT, NOT_FOUND, …)
    fcm_code: str | None = None  # FcmError.errorCode, when FCM gives one
    message: str = ""
    field_violations: tuple[tuple[str, str], ...] = ()
    retry_after: str | None = None

    def body(self) -> dict:
        details = []
        if self.fcm_code:
            details.append({"@type": _FCM_ERROR, "errorCode": self.fcm_code})
        if self.field_violations:
            details.append(
                {
                    "@type": _BAD_REQUEST,
                    "fieldViolations": [{"field": f, "description": d} for f, d in self.field_violations],
                }
            )
        error = {"code": self.status, "message": self.message or self.code, "status": self.code}
        if details:
            error["details"] = details
        return {"error": error}


UNREGISTERED = Failure(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")
INVALID_TOKEN = Failure(
    400,
    "INVALID_ARGUMENT",
    "INVALID_ARGUMENT",
    "The registration token is not a valid FCM registration token",
    (("message.token", "Invalid registration token"),),
)
INVALID_PAYLOAD = Failure(
    400,
    "INVALID_ARGUMENT",
    "INVALID_ARGUMENT",
    "Invalid value at 'message.data[0].value'",
    (("message.data[0].value", "Invalid value"),),
)
SENDER_ID_MISMATCH = Failure(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch")


def quota_exceeded(retry_after: str = "30") -> Failure:
    return Failure(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.", retry_after=retry_after)


def unavailable(retry_after: str | None = None) -> Failure:
    return Failure(
        503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.", (), retry_after
    )


INTERNAL = Failure(500, "INTERNAL", "INTERNAL", "Internal error encountered.")
# Not an answer: the connection is closed without one (a network failure).
DROP_CONNECTION = Failure(0, "DROP_CONNECTION")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict | None
    at: float = field(default_factory=time.monotonic)
    status: int | None = None  # the stand-in's answer


class FcmStandin:
    """Start it with `start()`; `url` is its base URL, `project_id` the project it serves."""

    def __init__(self, project_id: str = PROJECT_ID):
        self.project_id = project_id
        self.requests: list[RecordedRequest] = []
        self.unexpected: list[str] = []
        self.subscriptions: dict[str, set[str]] = {}
        self.access_tokens_issued = 0
        self._lock = threading.Lock()
        self._token_failures: dict[str, list] = {}
        self._call_failures: list[Failure] = []
        self._delay = 0.0
        self._generation = 0
        self._message_ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FcmStandin":
        self._thread = threading.Thread(target=self._server.serve_forever, name="fcm-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # Scripting

    def fail_token(self, token: str, failure: Failure, times: int | None = None) -> None:
        """Answer `failure` to calls naming `token`: every one, or the next `times`."""
        with self._lock:
            self._token_failures[token] = [failure, times]

    def fail_next(self, count: int, failure: Failure) -> None:
        """Answer `failure` to the next `count` message sends, whatever their target."""
        with self._lock:
            self._call_failures.extend([failure] * count)

    def delay(self, seconds: float) -> None:
        """Hold every answer this long."""
        self._delay = seconds

    def reset(self) -> None:
        with self._lock:
            self._generation += 1
            self.requests.clear()
            self.unexpected.clear()
            self.subscriptions.clear()
            self._token_failures.clear()
            self._call_failures.clear()
            self._delay = 0.0

    # What was asked

    @property
    def sends(self) -> list[RecordedRequest]:
        return [request for request in self.requests if _SEND_PATH.fullmatch(request.path)]

    def sent_messages(self) -> list[dict]:
        """The `message` of every send FCM accepted."""
        return [request.body["message"] for request in self.sends if request.status == 200]

    def sent_to(self, token: str) -> int:
        """How many sends named the token (accepted or not)."""
        return Counter(request.body.get("message", {}).get("token") for request in self.sends)[token]

    def service_account_file(self, directory: Path) -> Path:
        """A service-account key file whose token endpoint is this stand-in."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        path = directory / "standin-service-account.json"
        path.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": self.project_id,
                    "private_key_id": "standin",
                    "private_key": pem,
                    "client_email": f"push@{self.project_id}.iam.gserviceaccount.com",
                    "client_id": "1",
                    "token_uri": f"{self.url}/token",
                }
            )
        )
        return path

    # Answers

    def _scripted_failure(self, token: str | None, is_send: bool) -> Failure | None:
        with self._lock:
            scripted = self._token_failures.get(token) if token else None
            if scripted:
                failure, times = scripted
                if times is not None:
                    scripted[1] -= 1
                    if scripted[1] <= 0:
                        del self._token_failures[token]
                return failure
            if is_send and self._call_failures:
                return self._call_failures.pop(0)
        return None

    def answer(self, method: str, path: str, query: dict, headers: dict, body: dict | None):
        """(status, JSON body, extra headers) for one request, which is recorded."""
        recorded = RecordedRequest(method, path, query, headers, body)
        with self._lock:
            self.requests.append(recorded)
            generation = self._generation
        if self._delay:
            time.sleep(self._delay)
            if generation != self._generation:
                # A slow request of an earlier test, whose client gave up: it must not use this test's script.
                return _failure(unavailable())
        status, answer, extra_headers = self._answer(method, path, query, headers, body)
        recorded.status = status
        return status, answer, extra_headers

    def _answer(self, method: str, path: str, query: dict, headers: dict, body: dict | None):
        if path == "/token" and method == "POST":
            with self._lock:
                self.access_tokens_issued += 1
            return (
                200,
                {"access_token": "standin-access-token", "expires_in": 3600, "token_type": "Bearer"},
                {},
            )
        send = _SEND_PATH.fullmatch(path)
        registration = _REGISTRATION_PATH.fullmatch(path)
        if not (send or registration) or (send or registration).group(1) != self.project_id:
            with self._lock:
                self.unexpected.append(f"{method} {path}")
            return 404, Failure(404, "NOT_FOUND", message="No such endpoint").body(), {}
        if headers.get("authorization") != "Bearer standin-access-token":
            return 401, Failure(401, "UNAUTHENTICATED").body(), {}
        if send and method == "POST":
            return self._answer_send(body or {})
        if registration:
            return self._answer_registration(method, registration, query)
        with self._lock:
            self.unexpected.append(f"{method} {path}")
        return 405, Failure(405, "METHOD_NOT_ALLOWED").body(), {}

    def _answer_send(self, body: dict):
        message = body.get("message")
        problem = _invalid(message) if isinstance(message, dict) else ("message", "Required")
        if problem:
            return _failure(Failure(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", problem[1], (problem,)))
        failure = self._scripted_failure(message.get("token"), is_send=True)
        if failure:
            return _failure(failure)
        return 200, {"name": f"projects/{self.project_id}/messages/{next(self._message_ids)}"}, {}

    def _answer_registration(self, method: str, match: re.Match, query: dict):
        token = urllib.parse.unquote(match.group(2))
        topic = query.get("topic_name") if method == "POST" else urllib.parse.unquote(match.group(3) or "")
        if not topic or not _TOPIC_NAME.fullmatch(topic):
            return _failure(Failure(400, "INVALID_ARGUMENT", message="Invalid topic name"))
        failure = self._scripted_failure(token, is_send=False)
        if failure:
            return _failure(failure)
        with self._lock:
            if method == "POST":
                self.subscriptions.setdefault(topic, set()).add(token)
            else:
                self.subscriptions.get(topic, set()).discard(token)
        return 200, {}, {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A batch of 500 opens 500 connections at once: the default backlog of 5 would make most wait a
    # second for a SYN retry.
    request_queue_size = 1024


def _failure(failure: Failure):
    headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
    return failure.status, failure.body(), headers


def _invalid(message: dict) -> tuple[str, str] | None:
    """The (field, description) FCM would reject the message for, if any."""
    targets = [key for key in ("token", "topic", "condition", "fid") if message.get(key)]
    if len(targets) != 1:
        return "message", "Exactly one of token, topic or condition is required"
    if "topic" in message and not _TOPIC_NAME.fullmatch(message["topic"]):
        return "message.topic", "Invalid topic name"
    ttl = message.get("android", {}).get("ttl")
    if ttl is not None:
        match = _TTL.fullmatch(ttl)
        if not match:
            return "message.android.ttl", "Invalid duration"
        if int(match.group(1)) > MAX_TTL_SECONDS:
            return "message.android.ttl", "TTL exceeds 28 days"
    data = message.get("data", {})
    if not all(isinstance(value, str) for value in data.values()):
        return "message.data", "Data values must be strings"
    payload = {key: message[key] for key in ("notification", "data") if key in message}
    if len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()) > MAX_PAYLOAD_BYTES:
        return "message", "Message is too big"
    return None


def _handler_for(standin: FcmStandin):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parsed = urllib.parse.urlsplit(self.path)
            if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                body = dict(urllib.parse.parse_qsl(raw.decode()))
            else:
                body = json.loads(raw) if raw else None
            status, answer, headers = standin.answer(
                self.command,
                parsed.path,
                dict(urllib.parse.parse_qsl(parsed.query)),
                {name.lower(): value for name, value in self.headers.items()},
                body,
            )
            if status == DROP_CONNECTION.status:
                self.close_connection = True
                return
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_DELETE = do_GET = _handle

        def log_message(self, format, *args):
            pass

    return Handler
