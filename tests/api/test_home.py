import gzip
from datetime import timedelta

from smart_qn.content.notices import Urgency
from smart_qn.dbtypes import utcnow


def test_home_for_a_commune(client, make):
    organization = make.organization()
    just_now = utcnow() - timedelta(minutes=1)
    flood = make.notice(
        audience=["513"], organization=organization, urgency=Urgency.EMERGENCY, publish_at=just_now
    )
    elsewhere = make.notice(
        audience=["502"], organization=organization, urgency=Urgency.EMERGENCY, publish_at=just_now
    )
    pinned = make.notice(audience=["20818"], organization=organization, pinned=True)

    home = client.get("/api/v1/home?unit=20818").get_json()

    assert home["unit"] == {"code": "20818", "name": "Xã Bình Trị", "level": 3}
    alert_ids = [notice["id"] for notice in home["alerts"]]
    assert flood.id in alert_ids and elsewhere.id not in alert_ids
    assert home["alerts"][0]["urgency"] == "emergency"
    assert pinned.id in [notice["id"] for notice in home["pinned"]]
    assert home["services"] and all(service["url"].startswith("https://") for service in home["services"])


def test_key_indicators_use_the_district_where_reported_per_district(client):
    indicators = {
        item["code"]: item for item in client.get("/api/v1/home?unit=20818").get_json()["indicators"]
    }

    assert indicators["POOR_HOUSEHOLD_RATE"]["unit"]["code"] == "513"
    assert indicators["GRDP_GROWTH"]["unit"]["code"] == "49"
    poverty = indicators["POOR_HOUSEHOLD_RATE"]
    assert poverty["previous"]["period"] == str(int(poverty["period"]) - 1)
    assert poverty["trend"] in ("up", "down", "flat")
    assert poverty["better"] is (poverty["trend"] == "down") or poverty["trend"] == "flat"
    assert poverty["freshness"]["latest_period"] == poverty["period"]
    assert poverty["freshness"]["status"] in ("up_to_date", "due", "overdue")
    assert "target" in poverty


def test_home_for_the_province_by_default(client):
    assert client.get("/api/v1/home").get_json()["unit"]["code"] == "49"


def test_home_is_small_when_compressed(client):
    body = client.get("/api/v1/home?unit=20818").get_data()

    assert len(gzip.compress(body)) < 8 * 1024


def test_unknown_unit_is_422(client):
    assert client.get("/api/v1/home?unit=99999").status_code == 422
