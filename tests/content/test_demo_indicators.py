"""Demo indicator values: complete, consistent between province and districts, and plausible."""

import json
import random
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from smart_qn.content import demo_indicators as demo

ROOT = Path(__file__).resolve().parents[2]


INDICATORS = json.loads((ROOT / "smart_qn" / "data" / "indicators.json").read_text(encoding="utf-8"))
BY_CODE = {row["code"]: row for row in INDICATORS}

DISTRICT_NAMES = {
    "502": "Thành phố Tam Kỳ",
    "503": "Thành phố Hội An",
    "504": "Huyện Tây Giang",
    "505": "Huyện Đông Giang",
    "506": "Huyện Đại Lộc",
    "507": "Thị xã Điện Bàn",
    "508": "Huyện Duy Xuyên",
    "509": "Huyện Quế Sơn",
    "510": "Huyện Nam Giang",
    "511": "Huyện Phước Sơn",
    "512": "Huyện Hiệp Đức",
    "513": "Huyện Thăng Bình",
    "514": "Huyện Tiên Phước",
    "515": "Huyện Bắc Trà My",
    "516": "Huyện Nam Trà My",
    "517": "Huyện Núi Thành",
    "518": "Huyện Phú Ninh",
    "519": "Huyện Nông Sơn",
}
DISTRICTS = [demo.DistrictRef(code, name) for code, name in DISTRICT_NAMES.items()]
DISTRICT_CODES = list(DISTRICT_NAMES)
MOUNTAIN = ["504", "505", "510", "511", "512", "514", "515", "516", "519"]
# Rural communes (xã) of each district in 2024 (data/quang_nam_units_history.json).
COMMUNES = {
    "502": 4,
    "503": 4,
    "504": 10,
    "505": 10,
    "506": 17,
    "507": 8,
    "508": 13,
    "509": 11,
    "510": 11,
    "511": 11,
    "512": 10,
    "513": 21,
    "514": 14,
    "515": 12,
    "516": 10,
    "517": 16,
    "518": 10,
    "519": 5,
}

SUM_INDICATORS = [
    "TOURIST_ARRIVALS",
    "BUDGET_REVENUE",
    "RETAIL_SALES",
    "NEW_ENTERPRISES",
    "TRAFFIC_ACCIDENTS",
    "CITIZEN_FEEDBACK",
    "NTM_COMMUNES",
]
RATE_INDICATORS = [
    "POOR_HOUSEHOLD_RATE",
    "ONLINE_APPLICATION_RATE",
    "ON_TIME_RATE",
    "DIGITISED_DOSSIER_RATE",
    "ONLINE_PAYMENT_RATE",
    "HEALTH_INSURANCE_COVERAGE",
    "AIR_QUALITY_AQI",
]
SHARE_INDICATORS = [  # percentages of a whole
    "POOR_HOUSEHOLD_RATE",
    "ONLINE_APPLICATION_RATE",
    "ON_TIME_RATE",
    "DIGITISED_DOSSIER_RATE",
    "ONLINE_PAYMENT_RATE",
    "HEALTH_INSURANCE_COVERAGE",
    "PUBLIC_INVEST_DISBURSE",
    "GRDP_STRUCTURE",
    "SERVICE_INDEX_766",
]
SIGNED_INDICATORS = {"GRDP_GROWTH", "IIP", "CPI"}
# How a year's periods add up to the year's value.
ANNUAL_AGGREGATE = {
    "GRDP_GROWTH": "mean",
    "GRDP_SIZE": "sum",
    "GRDP_PER_CAPITA": "last",
    "IIP": "mean",
    "BUDGET_REVENUE": "sum",
    "BUDGET_REVENUE_VS_PLAN": "last",
    "TOURIST_ARRIVALS": "sum",
    "TOURISM_REVENUE": "sum",
    "POOR_HOUSEHOLD_RATE": "last",
    "NTM_COMMUNES": "last",
}
SEEDS = range(8)


def _generate(seed: int) -> dict[str, list]:
    rng = random.Random(seed)
    return {row["code"]: demo.generate_values(rng, row, DISTRICTS) for row in INDICATORS}


@pytest.fixture(scope="module")
def runs() -> dict[int, dict[str, list]]:
    return {seed: _generate(seed) for seed in SEEDS}


@pytest.fixture(scope="module")
def data(runs) -> dict[str, list]:
    return runs[0]


def _table(values) -> dict[str, dict[str, Decimal]]:
    table: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for seed in values:
        table[seed.unit_code][seed.period] = seed.value
    return table


def _year(series: dict[str, Decimal], year: int) -> list[Decimal]:
    return [value for period, value in sorted(series.items()) if period.startswith(str(year))]


def _aggregate(values: list[Decimal], how: str) -> Decimal:
    if how == "sum":
        return sum(values, Decimal(0))
    if how == "mean":
        return sum(values, Decimal(0)) / len(values)
    return values[-1]


def _expected_periods(frequency: str) -> set[str]:
    if frequency == "monthly":
        return {f"{year}-{month:02d}" for year in demo.YEARS for month in range(1, 13)}
    if frequency == "quarterly":
        return {f"{year}-Q{quarter}" for year in demo.YEARS for quarter in range(1, 5)}
    return {str(year) for year in demo.YEARS}


# --- classification ---------------------------------------------------------------------------------


def test_demo_frequency_maps_finer_frequencies_to_monthly():
    assert demo.demo_frequency("monthly") == "monthly"
    assert demo.demo_frequency("quarterly") == "quarterly"
    assert demo.demo_frequency("annual") == "annual"
    for raw in ("weekly", "daily", "hourly", "realtime"):
        assert demo.demo_frequency(raw) == "monthly"
    assert {demo.demo_frequency(row["frequency"]) for row in INDICATORS} <= {"monthly", "quarterly", "annual"}
    with pytest.raises(ValueError):
        demo.demo_frequency("fortnightly")


def test_measure_unit_keeps_the_first_of_compound_units():
    assert demo.measure_unit("dự án; tỷ đồng") == "dự án"
    assert demo.measure_unit("vụ; người") == "vụ"
    assert demo.measure_unit("phản ánh; %") == "phản ánh"
    assert demo.measure_unit("điểm; thứ hạng") == "điểm"
    assert demo.measure_unit("tỷ đồng") == "tỷ đồng"
    assert demo.measure_unit("%") == "%"
    assert all(";" not in demo.measure_unit(row["unit"]) for row in INDICATORS)


def test_reported_levels():
    district_level = [row["code"] for row in INDICATORS if demo.reported_levels(row["code"]) == (1, 2)]
    assert len(district_level) >= 12
    assert {"POOR_HOUSEHOLD_RATE", "NTM_COMMUNES", "TOURIST_ARRIVALS"} <= set(district_level)
    province_only = (
        "GRDP_GROWTH",
        "GRDP_SIZE",
        "GRDP_PER_CAPITA",
        "GRDP_STRUCTURE",
        "CPI",
        "IIP",
        "EXPORT_VALUE",
        "PAR_INDEX",
        "SERVICE_INDEX_766",
    )
    for code in province_only:
        assert demo.reported_levels(code) == (1,)
    assert all(demo.reported_levels(row["code"]) in {(1,), (1, 2)} for row in INDICATORS)
    assert demo.reported_levels("SOMETHING_NEW") == (1,)


def test_direction():
    assert {demo.direction(row["code"]) for row in INDICATORS} <= {"higher_better", "lower_better", "neutral"}
    assert demo.direction("POOR_HOUSEHOLD_RATE") == "lower_better"
    assert demo.direction("TRAFFIC_ACCIDENTS") == "lower_better"
    assert demo.direction("TOURIST_ARRIVALS") == "higher_better"
    assert demo.direction("NTM_COMMUNES") == "higher_better"
    assert demo.direction("GRDP_STRUCTURE") == "neutral"
    assert demo.direction("SOMETHING_NEW") == "neutral"


# --- shape ------------------------------------------------------------------------------------------


def test_deterministic_for_a_seed(data):
    again = _generate(0)
    assert again == data
    other = _generate(1)
    assert other != data


def test_district_order_does_not_matter():
    row = BY_CODE["TOURIST_ARRIVALS"]
    forward = demo.generate_values(random.Random(3), row, DISTRICTS)
    backward = demo.generate_values(random.Random(3), row, list(reversed(DISTRICTS)))
    assert forward == backward


def test_every_period_of_every_year_for_every_unit(data):
    for code, values in data.items():
        frequency = demo.demo_frequency(BY_CODE[code]["frequency"])
        expected_units = {demo.PROVINCE_CODE}
        if 2 in demo.reported_levels(code):
            expected_units |= set(DISTRICT_CODES)
        table = _table(values)
        assert set(table) == expected_units, code
        for unit, series in table.items():
            assert set(series) == _expected_periods(frequency), (code, unit)


def test_period_format(data):
    pattern = {
        "monthly": re.compile(r"^20(22|23|24)-(0[1-9]|1[0-2])$"),
        "quarterly": re.compile(r"^20(22|23|24)-Q[1-4]$"),
        "annual": re.compile(r"^20(22|23|24)$"),
    }
    for code, values in data.items():
        regex = pattern[demo.demo_frequency(BY_CODE[code]["frequency"])]
        assert all(regex.match(seed.period) for seed in values), code


def test_unique_unit_and_period(data):
    for code, values in data.items():
        keys = [(seed.unit_code, seed.period) for seed in values]
        assert len(keys) == len(set(keys)), code


def test_values_are_quantized_decimals(data):
    for code, values in data.items():
        for seed in values:
            assert isinstance(seed.value, Decimal), code
            assert seed.value.is_finite()
            assert seed.value.as_tuple().exponent in (0, -1, -2), (code, seed.value)
            assert seed.note is None or (isinstance(seed.note, str) and len(seed.note) <= 500)
    assert all(s.value.as_tuple().exponent == 0 for s in data["TOURIST_ARRIVALS"])
    assert all(s.value.as_tuple().exponent == 0 for s in data["NTM_COMMUNES"])
    assert all(s.value.as_tuple().exponent == -2 for s in data["POOR_HOUSEHOLD_RATE"])
    assert all(s.value.as_tuple().exponent == -1 for s in data["BUDGET_REVENUE"])


# --- consistency ------------------------------------------------------------------------------------


def test_province_is_the_sum_of_districts_for_amounts(runs):
    for data in runs.values():
        for code in SUM_INDICATORS:
            table = _table(data[code])
            for period, value in table[demo.PROVINCE_CODE].items():
                assert value == sum((table[d][period] for d in DISTRICT_CODES), Decimal(0)), (code, period)


def test_province_rate_is_an_average_of_districts(runs):
    for data in runs.values():
        for code in RATE_INDICATORS:
            table = _table(data[code])
            for period, value in table[demo.PROVINCE_CODE].items():
                column = [table[d][period] for d in DISTRICT_CODES]
                assert min(column) <= value <= max(column), (code, period)


def test_percentages_are_within_0_and_100(runs):
    for data in runs.values():
        for code in SHARE_INDICATORS:
            assert all(Decimal(0) <= seed.value <= Decimal(100) for seed in data[code]), code


def test_no_negative_values_where_impossible(runs):
    for data in runs.values():
        for code, values in data.items():
            if code not in SIGNED_INDICATORS:
                assert all(seed.value >= 0 for seed in values), code


def test_international_tourists_are_a_part_of_all_tourists(runs):
    for data in runs.values():
        everyone = _table(data["TOURIST_ARRIVALS"])[demo.PROVINCE_CODE]
        foreign = _table(data["INTL_TOURIST_ARRIVALS"])[demo.PROVINCE_CODE]
        assert all(foreign[period] < everyone[period] for period in everyone)


# --- anchors and plausibility -------------------------------------------------------------------------


def test_2024_province_values_land_near_the_anchors(runs):
    for data in runs.values():
        for code, how in ANNUAL_AGGREGATE.items():
            anchor = BY_CODE[code]["example_value"]
            assert anchor["period"] == "2024"
            series = _table(data[code])[demo.PROVINCE_CODE]
            value = float(_aggregate(_year(series, 2024), how))
            assert value == pytest.approx(anchor["value"], rel=0.03, abs=0.5), code


def test_nine_month_tourism_anchors(runs):
    for data in runs.values():
        foreign = _table(data["INTL_TOURIST_ARRIVALS"])[demo.PROVINCE_CODE]
        nine_months = sum(foreign[f"2024-{month:02d}"] for month in range(1, 10))
        assert float(nine_months) == pytest.approx(4_200_000, rel=0.08)


def test_ntm_communes(runs):
    for data in runs.values():
        table = _table(data["NTM_COMMUNES"])
        province = table[demo.PROVINCE_CODE]
        assert 130 <= province["2024"] <= 145
        assert all(value <= 193 for value in province.values())
        assert province["2022"] <= province["2023"] <= province["2024"]
        for district in DISTRICT_CODES:
            assert all(0 <= value <= COMMUNES[district] for value in table[district].values()), district
        assert all(table[d]["2024"] <= COMMUNES[d] // 2 for d in ("504", "516", "511", "510"))
        assert all(table[d]["2024"] == COMMUNES[d] for d in ("502", "503", "507"))


def test_poverty_falls_and_is_highest_in_the_mountains(runs):
    for data in runs.values():
        table = _table(data["POOR_HOUSEHOLD_RATE"])
        province = table[demo.PROVINCE_CODE]
        assert abs(float(province["2024"]) - 4.56) <= 0.15
        assert province["2022"] > province["2023"] > province["2024"]
        for district in DISTRICT_CODES:
            assert table[district]["2022"] > table[district]["2024"], district
        assert all(table[d]["2024"] >= 10 for d in MOUNTAIN)
        assert all(table[d]["2024"] < 2 for d in ("502", "503", "507"))
        assert max(table[d]["2024"] for d in DISTRICT_CODES) == table["516"]["2024"]  # Nam Trà My


def test_tourism_recovers_and_concentrates_in_hoi_an(runs):
    for data in runs.values():
        table = _table(data["TOURIST_ARRIVALS"])
        totals = {
            unit: {year: sum(_year(series, year)) for year in demo.YEARS} for unit, series in table.items()
        }
        province = totals[demo.PROVINCE_CODE]
        assert province[2022] < province[2023] < province[2024]
        ranked = sorted(DISTRICT_CODES, key=lambda d: totals[d][2024], reverse=True)
        assert ranked[0] == "503"
        assert set(ranked[:3]) == {"503", "507", "502"}  # Hội An, Điện Bàn, Tam Kỳ
        assert all(d not in ranked[:7] for d in MOUNTAIN)


def test_enterprises_concentrate_in_the_cities(runs):
    for data in runs.values():
        table = _table(data["NEW_ENTERPRISES"])
        totals = {d: sum(_year(table[d], 2024)) for d in DISTRICT_CODES}
        ranked = sorted(DISTRICT_CODES, key=totals.get, reverse=True)
        assert set(ranked[:3]) == {"502", "503", "507"}


def test_online_rates_rise(runs):
    for data in runs.values():
        for code in ("ONLINE_APPLICATION_RATE", "DIGITISED_DOSSIER_RATE", "ONLINE_PAYMENT_RATE"):
            province = _table(data[code])[demo.PROVINCE_CODE]
            means = [sum(_year(province, year)) / 12 for year in demo.YEARS]
            assert means[0] < means[1] < means[2], code


def test_seasonality(runs):
    for data in runs.values():
        tourists = _table(data["TOURIST_ARRIVALS"])[demo.PROVINCE_CODE]
        accidents = _table(data["TRAFFIC_ACCIDENTS"])[demo.PROVINCE_CODE]
        for year in (2023, 2024):
            summer = sum(tourists[f"{year}-{month:02d}"] for month in (6, 7, 8))
            autumn = sum(tourists[f"{year}-{month:02d}"] for month in (9, 10, 11))
            assert summer > autumn
        tet = sum(accidents[f"{year}-{month:02d}"] for year in demo.YEARS for month in (1, 2))
        autumn = sum(accidents[f"{year}-{month:02d}"] for year in demo.YEARS for month in (9, 10))
        assert tet > autumn


def test_grdp_structure_note_breaks_down_to_100(data):
    pattern = re.compile(
        r"^Nông, lâm, thủy sản (\d+,\d)%; Công nghiệp - xây dựng (\d+,\d)%; "
        r"Dịch vụ (\d+,\d)%; Thuế sản phẩm (\d+,\d)%$"
    )
    for seed in data["GRDP_STRUCTURE"]:
        match = pattern.match(seed.note)
        assert match, seed.note
        shares = [Decimal(part.replace(",", ".")) for part in match.groups()]
        assert sum(shares) == Decimal("100.0")
        assert seed.value == shares[2]


def test_compound_units_keep_the_rest_in_the_note(data):
    accident = re.compile(r"\d+ người chết, \d+ người bị thương")
    assert all(accident.fullmatch(s.note) for s in data["TRAFFIC_ACCIDENTS"])
    assert all(s.note.startswith("Xếp hạng ") for s in data["PAR_INDEX"])
    feedback = [s for s in data["CITIZEN_FEEDBACK"] if s.value > 0]
    assert feedback and all(re.fullmatch(r"Tỷ lệ xử lý đúng hạn \d+,\d\d%", s.note) for s in feedback)


def test_ytd_indicators_grow_within_a_year(data):
    for code in ("BUDGET_REVENUE_VS_PLAN", "PUBLIC_INVEST_DISBURSE"):
        province = _table(data[code])[demo.PROVINCE_CODE]
        for year in demo.YEARS:
            months = _year(province, year)
            assert months == sorted(months), code


def test_unknown_indicator_and_district_still_get_values():
    row = {"code": "NEW_THING", "unit": "%", "frequency": "weekly", "example_value": None}
    values = demo.generate_values(random.Random(5), row, DISTRICTS)
    assert {s.unit_code for s in values} == {demo.PROVINCE_CODE}
    assert len(values) == 36
    assert all(Decimal(0) <= s.value <= Decimal(100) for s in values)
    extra = [*DISTRICTS, demo.DistrictRef("999", "Huyện Mới")]
    values = demo.generate_values(random.Random(5), BY_CODE["NTM_COMMUNES"], extra)
    assert {s.unit_code for s in values} == {demo.PROVINCE_CODE, "999", *DISTRICT_CODES}
