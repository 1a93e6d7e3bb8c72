from decimal import Decimal

from smart_qn.content.indicators import Direction, IndicatorTarget, ValueStatus
from smart_qn.content.periods import Frequency
from smart_qn.localtime import province_today
from smart_qn.reporting.freshness import expected_period


def test_lists_the_demo_indicators_with_latest_province_value(client):
    body = client.get("/api/v1/indicators?page_size=100").get_json()

    assert body["pagination"]["total"] == 32
    poverty = next(item for item in body["items"] if item["code"] == "POOR_HOUSEHOLD_RATE")
    assert poverty["latest"]["unit"]["code"] == "49"
    # The demo's recent reporting (smart_qn.content.demo_reporting) is current, so the latest year is the
    # expected one.
    assert poverty["latest"]["period"] == poverty["freshness"]["expected_period"]
    assert poverty["freshness"]["status"] in ("up_to_date", "due")
    assert poverty["latest"]["previous"]["period"] == str(int(poverty["latest"]["period"]) - 1)
    assert poverty["latest"]["trend"] in ("up", "down", "flat")


def test_target_trend_and_freshness_of_the_province_figure(client, make):
    indicator = make.indicator(frequency=Frequency.ANNUAL, levels=[1], target=Decimal(9))
    indicator.period_targets = [IndicatorTarget(period="2024", value=Decimal(11))]
    make.value(indicator, "49", "2023", 10)
    make.value(indicator, "49", "2024", 12, note="sơ bộ")
    make.value(indicator, "49", "2025", 8, status=ValueStatus.DRAFT)

    body = client.get(f"/api/v1/indicators/{indicator.code}").get_json()
    today = province_today()

    assert body["target"] == 9
    assert body["latest"]["target"] == 11
    assert body["latest"]["previous"] == {"period": "2023", "value": 10, "note": None}
    assert (body["latest"]["trend"], body["latest"]["better"]) == ("up", True)
    expected = str(expected_period(Frequency.ANNUAL, 90, today))
    assert body["freshness"]["latest_period"] == "2024"
    assert body["freshness"]["expected_period"] == expected
    assert body["freshness"]["status"] == ("up_to_date" if expected <= "2024" else "overdue")
    assert body["freshness"]["updated_at"] is not None


def test_an_indicator_never_published_is_overdue(client, make):
    indicator = make.indicator(frequency=Frequency.MONTHLY)
    make.value(indicator, "49", "2024-01", 1, status=ValueStatus.DRAFT)

    body = client.get(f"/api/v1/indicators/{indicator.code}").get_json()
    series = client.get(f"/api/v1/indicators/{indicator.code}/values").get_json()

    assert body["latest"] is None
    assert body["freshness"]["status"] == "overdue" and body["freshness"]["latest_period"] is None
    assert series["values"] == [] and series["freshness"] == body["freshness"]


def test_latest_value_ignores_drafts(client, make):
    indicator = make.indicator()
    make.value(indicator, "49", "2023", 10)
    make.value(indicator, "49", "2024", 12, status=ValueStatus.DRAFT)

    body = client.get(f"/api/v1/indicators/{indicator.code}").get_json()

    assert body["latest"]["period"] == "2023" and body["latest"]["value"] == 10


def test_time_series_for_a_unit_between_periods(client, make):
    indicator = make.indicator(frequency=Frequency.MONTHLY)
    for month in range(1, 13):
        make.value(indicator, "513", f"2024-{month:02d}", month)
    make.value(indicator, "502", "2024-05", 99)

    body = client.get(
        f"/api/v1/indicators/{indicator.code}/values?unit=513&from=2024-Q2&to=2024-08"
    ).get_json()

    assert body["unit"]["code"] == "513"
    assert [value["period"] for value in body["values"]] == [
        "2024-04",
        "2024-05",
        "2024-06",
        "2024-07",
        "2024-08",
    ]
    assert [value["value"] for value in body["values"]] == [4, 5, 6, 7, 8]


def test_year_bounds_cover_the_whole_year(client, make):
    indicator = make.indicator(frequency=Frequency.QUARTERLY)
    for period in ("2023-Q4", "2024-Q1", "2024-Q4", "2025-Q1"):
        make.value(indicator, "49", period, 1)

    body = client.get(f"/api/v1/indicators/{indicator.code}/values?from=2024&to=2024").get_json()

    assert [value["period"] for value in body["values"]] == ["2024-Q1", "2024-Q4"]


def test_league_table_best_first_with_missing_units(client, make):
    indicator = make.indicator(direction=Direction.LOWER_BETTER)
    make.value(indicator, "502", "2024", 3.5)
    make.value(indicator, "503", "2024", 1.25)
    make.value(indicator, "504", "2023", 30)

    body = client.get(f"/api/v1/indicators/{indicator.code}/latest?level=2").get_json()

    assert [row["unit"]["code"] for row in body["rows"]] == ["503", "502", "504"]
    assert body["rows"][2]["period"] == "2023"
    assert len(body["missing"]) == 15


def test_each_row_of_a_league_table_says_how_fresh_its_figure_is(client, make):
    indicator = make.indicator()
    expected = expected_period(indicator.frequency, 90, province_today())
    make.value(indicator, "502", str(expected), 40)
    make.value(indicator, "504", str(expected.previous()), 30)

    rows = {
        row["unit"]["code"]: row["freshness"]
        for row in client.get(f"/api/v1/indicators/{indicator.code}/latest?level=2").get_json()["rows"]
    }

    assert rows["502"]["status"] == "up_to_date" and rows["502"]["latest_period"] == str(expected)
    assert rows["504"]["status"] == "overdue" and rows["504"]["expected_period"] == str(expected)


def test_demo_league_table_of_districts(client):
    body = client.get("/api/v1/indicators/POOR_HOUSEHOLD_RATE/latest").get_json()

    assert len(body["rows"]) == 18 and body["missing"] == []
    assert body["rows"][0]["value"] <= body["rows"][-1]["value"]


def test_unknown_indicator_is_404(client):
    assert client.get("/api/v1/indicators/NOPE").status_code == 404
    assert client.get("/api/v1/indicators/NOPE/values").status_code == 404


def test_bad_periods_are_422(client):
    for query in ("from=2024-13", "to=2024-Q5", "from=24", "from=2024&to=2023"):
        response = client.get(f"/api/v1/indicators/GRDP_GROWTH/values?{query}")
        assert response.status_code == 422, query
        assert set(response.get_json()["errors"]["query"]) & {"from", "to"}


def test_level_not_reported_is_422(client):
    response = client.get("/api/v1/indicators/GRDP_GROWTH/latest?level=3")

    assert response.status_code == 422
    assert "level" in response.get_json()["errors"]["query"]
