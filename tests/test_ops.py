import json
import logging

from smart_qn.cache_store import MemoryStore


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_is_503_when_redis_is_down(client, app, monkeypatch):
    class DownStore(MemoryStore):
        def ping(self):
            raise ConnectionError("refused")

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.extensions, "smart_qn.cache_store", DownStore())

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "redis": "failed"}


def test_request_id_is_generated_or_kept(client):
    generated = client.get("/healthz").headers["X-Request-ID"]
    kept = client.get("/healthz", headers={"X-Request-ID": "app-1234-abcd"}).headers["X-Request-ID"]
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"]

    assert len(generated) == 32 and kept == "app-1234-abcd" and replaced != "bad id <script>"


def test_one_json_log_line_per_request_with_the_request_id(client, caplog):
    from smart_qn.ops import JsonFormatter

    access_log = logging.getLogger("smart_qn.access")
    access_log.addHandler(caplog.handler)  # the app's loggers do not propagate to the root
    try:
        client.get("/api/v1/categories", headers={"X-Request-ID": "req-00000001"})
    finally:
        access_log.removeHandler(caplog.handler)

    (record,) = [record for record in caplog.records if record.name == "smart_qn.access"]
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["request_id"] == "req-00000001"
        and line["status"] == 200
        and line["path"] == "/api/v1/categories"
    )
