"""POST/PATCH/DELETE /api/v1/devices: registration for push, authenticated by the device secret."""

import json
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from smart_qn.api import UNCACHED
from smart_qn.extensions import db
from smart_qn.ops import JsonFormatter
from smart_qn.push import devices
from smart_qn.push.devices import Device, DeviceTopic, TopicState

TOKEN = "ZmNtLXRva2VuLWZvci1hcGktdGVzdHM6QVBBOTFi" + "k" * 80


def body(**fields) -> dict:
    return {
        "token": TOKEN,
        "platform": "android",
        "language": "vi",
        "unit": "20818",
        "categories": ["thien-tai"],
        "app_version": "1.2.0",
    } | fields


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def registered(client) -> dict:
    response = client.post("/api/v1/devices", json=body())
    assert response.status_code == 201
    return response.get_json()


def test_registering_answers_the_id_a_secret_and_the_topics(client, registered):
    device = db.session.get(Device, registered["id"])

    assert device.token == TOKEN and device.categories == ["thien-tai"] and device.tester_id is None
    assert "lang-vi" in registered["topics"] and "category-thien-tai" in registered["topics"]
    assert any(topic.startswith("unit-20818-") for topic in registered["topics"])
    assert len(registered["secret"]) >= 32 and TOKEN not in json.dumps(registered)


def test_registering_the_same_token_again_is_200_with_the_same_id(client, registered):
    again = client.post("/api/v1/devices", json=body(language="en"))

    assert again.status_code == 200
    assert again.get_json()["id"] == registered["id"]
    assert again.get_json()["secret"] != registered["secret"]
    assert db.session.scalar(select(db.func.count()).select_from(Device)) == 1


def test_the_app_cannot_make_itself_a_test_device(client):
    response = client.post("/api/v1/devices", json=body(tester_id=1))

    assert response.status_code == 201
    assert db.session.get(Device, response.get_json()["id"]).tester_id is None


def test_updating_with_the_secret_changes_the_topics(client, registered):
    response = client.patch(
        f"/api/v1/devices/{registered['id']}",
        json={"unit": "503", "categories": ["y-te", "giao-duc"], "language": "en"},
        headers=bearer(registered["secret"]),
    )

    assert response.status_code == 200
    topics = response.get_json()["topics"]
    assert {"lang-en", "category-y-te", "category-giao-duc"} <= set(topics)
    assert not any(topic.startswith("unit-20818-") for topic in topics)
    device = db.session.get(Device, registered["id"])
    db.session.refresh(device)
    assert device.admin_unit.code == "503" and device.language == "en"


def test_a_token_refresh_leaves_the_old_token_to_unsubscribe(client, registered):
    new_token = "bmV3LXRva2Vu" + "n" * 80

    response = client.patch(
        f"/api/v1/devices/{registered['id']}", json={"token": new_token}, headers=bearer(registered["secret"])
    )

    assert response.status_code == 200
    old_rows = db.session.scalars(select(DeviceTopic).where(DeviceTopic.token == TOKEN)).all()
    assert {row.state for row in old_rows} == {TopicState.UNSUBSCRIBE_PENDING}


def test_unregistering_with_the_secret(client, registered):
    response = client.delete(f"/api/v1/devices/{registered['id']}", headers=bearer(registered["secret"]))

    assert response.status_code == 204
    assert db.session.get(Device, registered["id"]) is None
    assert (
        client.delete(f"/api/v1/devices/{registered['id']}", headers=bearer(registered["secret"])).status_code
        == 404
    )


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_wrong_secret_looks_like_an_unknown_device(client, registered, method):
    wrong = getattr(client, method)(f"/api/v1/devices/{registered['id']}", json={}, headers=bearer("wrong"))
    unknown = getattr(client, method)("/api/v1/devices/999999", json={}, headers=bearer(registered["secret"]))

    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json()["message"] == unknown.get_json()["message"]
    assert db.session.get(Device, registered["id"]) is not None


def test_no_secret_is_401(client, registered):
    response = client.patch(f"/api/v1/devices/{registered['id']}", json={})

    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"unit": "99999"}, "unit"),
        ({"unit": "20335-x y"}, "unit"),
        ({"categories": ["thien-tai", "no-such-category"]}, "categories"),
        ({"platform": "symbian"}, "platform"),
        ({"language": "fr"}, "language"),
        ({"token": "c2hvcnQ"}, "token"),
        ({"token": "x" * 513}, "token"),
        ({"token": TOKEN[:40] + " \n<script>" + TOKEN[40:]}, "token"),
        ({"app_version": ""}, "app_version"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_never_the_token(client, fields, field):
    response = client.post("/api/v1/devices", json=body(**fields))

    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert TOKEN[:40] not in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Device)) == 0


def test_a_missing_field_is_422(client):
    fields = body()
    del fields["unit"]

    response = client.post("/api/v1/devices", json=fields)

    assert response.status_code == 422 and "unit" in response.get_json()["errors"]["json"]


def test_bad_input_on_update_is_422(client, registered):
    response = client.patch(
        f"/api/v1/devices/{registered['id']}",
        json={"categories": ["nope"]},
        headers=bearer(registered["secret"]),
    )

    assert response.status_code == 422 and "categories" in response.get_json()["errors"]["json"]


def test_registration_is_rate_limited(rate_limited_client):
    limited_client = rate_limited_client("3 per minute")
    # Refused registrations (nothing is written to the shared test database) count as well.
    statuses = [limited_client.post("/api/v1/devices", json=body(unit="99999")).status_code for _ in range(4)]

    assert statuses == [422, 422, 422, 429]


def test_registration_is_never_cached():
    assert "devices" in UNCACHED


def test_the_token_never_reaches_the_logs(client, caplog):
    app_log = logging.getLogger("smart_qn")
    app_log.addHandler(caplog.handler)  # the app's loggers do not propagate to the root
    caplog.set_level(logging.DEBUG)
    try:
        created = client.post("/api/v1/devices", json=body()).get_json()
        client.post("/api/v1/devices", json=body(unit="99999"))
        client.post("/api/v1/devices", json=body(token=TOKEN + " bad"))
        client.patch(
            f"/api/v1/devices/{created['id']}", json={"language": "en"}, headers=bearer(created["secret"])
        )
        client.delete(f"/api/v1/devices/{created['id']}", headers=bearer(created["secret"]))
    finally:
        app_log.removeHandler(caplog.handler)

    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert len([line for line in lines if '"path": "/api/v1/devices' in line]) == 5
    assert not any(TOKEN[:20] in line or created["secret"] in line for line in lines)


def test_the_endpoints_are_documented_with_the_device_secret(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    assert spec["components"]["securitySchemes"]["deviceSecret"]["scheme"] == "bearer"
    detail = spec["paths"]["/api/v1/devices/{device_id}"]
    assert detail["patch"]["security"] == detail["delete"]["security"] == [{"deviceSecret": []}]
    assert {"200", "201", "422"} <= spec["paths"]["/api/v1/devices"]["post"]["responses"].keys()


def test_a_registration_racing_another_for_the_same_token_is_retried(client, monkeypatch):
    real_register, calls = devices.register, []

    def racing_register(**values):
        calls.append(values["token"])
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO push_device …", {}, Exception("duplicate key"))
        return real_register(**values)

    monkeypatch.setattr(devices, "register", racing_register)

    response = client.post("/api/v1/devices", json=body())

    assert response.status_code == 201 and len(calls) == 2
