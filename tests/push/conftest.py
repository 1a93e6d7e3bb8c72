"""Push tests talk to FCM through the real firebase-admin, over HTTP, to a local stand-in
(tests/push/fcm_standin.py). Nothing in them may reach any other host: connections anywhere but the
loopback are refused, and a test that tried fails."""

import ipaddress
import socket

import pytest

from smart_qn.push.fcm import FcmTransport
from tests.push.fcm_standin import FcmStandin


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch):
    """Refuse (and remember) any connection or name lookup beyond 127.0.0.1 / ::1."""
    attempts = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def is_loopback(host) -> bool:
        if host in ("localhost", None):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
            attempts.append(address)
            raise ConnectionRefusedError(f"tests/push may not connect to {address}")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not is_loopback(host):
            attempts.append(host)
            raise socket.gaierror(f"tests/push may not look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert attempts == [], f"something tried to leave the machine: {attempts}"


@pytest.fixture(scope="session")
def _standin_server(tmp_path_factory):
    standin = FcmStandin().start()
    standin.credentials_path = standin.service_account_file(tmp_path_factory.mktemp("firebase"))
    yield standin
    standin.stop()


@pytest.fixture
def fcm_standin(_standin_server):
    """The FCM stand-in, with no script and nothing recorded; `credentials_path` is a service-account file
    whose token endpoint it is. A request it did not expect fails the test."""
    _standin_server.reset()
    yield _standin_server
    assert _standin_server.unexpected == []


@pytest.fixture
def fcm_transport(fcm_standin):
    """An FcmTransport pointed at the stand-in (a short timeout, for the slow-answer tests)."""
    transport = FcmTransport(
        str(fcm_standin.credentials_path),
        fcm_standin.project_id,
        endpoint_override=fcm_standin.url,
        timeout=2.0,
    )
    yield transport
    transport.close()
