"""Plausible demo values for the IOC indicators, 2022–2024, for the province and its 18 districts.

Nothing here is an official figure. Province values for 2024 land near the real anchors that
`data/indicators.json` records (poor households 4,56 %, 137 NTM communes, 8 million tourists, GRDP
+7,1 %, budget revenue 27.594 tỷ đồng, GRDP per head 84 triệu đồng…), and the districts differ the way
they really do: Hội An, Điện Bàn and Tam Kỳ get most visitors and new firms, Núi Thành (Chu Lai, THACO)
most budget revenue, the mountain districts are poorest and have few NTM communes.

How the values of one indicator fit together:

* flows (tourists, revenue, enterprises, accidents, field reports…): the periods of a year add up to
  the year, and the province value of each period is the sum of its districts' values;
* levels (rates, indices, AQI): each period is a level; the province value is the population-weighted
  mean of its districts' values;
* year-to-date shares (BUDGET_REVENUE_VS_PLAN, PUBLIC_INVEST_DISBURSE): cumulative from January, so the
  last period of a year is the year's value;
* stocks (NTM_COMMUNES, PROCS_*): the count at the end of the period.

Compound units of the data file keep their first part as the value; the rest goes into `note`
(TRAFFIC_ACCIDENTS: deaths and injuries, CITIZEN_FEEDBACK: share handled on time, NEW_INVEST_PROJECTS:
registered capital, PAR_INDEX: rank). GRDP_STRUCTURE stores the services share and the full breakdown in
`note`.

The module reads no files and uses no randomness but the `random.Random` it is given, so one seed gives
one data set.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class DistrictRef:
    code: str
    name: str  # e.g. "Thành phố Hội An", "Huyện Nam Trà My"


@dataclass(frozen=True)
class ValueSeed:
    unit_code: str  # "49" for the province, or a district code
    period: str  # "2024" (annual), "2024-Q3" (quarterly), "2024-09" (monthly)
    value: Decimal
    note: str | None


PROVINCE_CODE = "49"
YEARS = (2022, 2023, 2024)


# --------------------------------------------------------------------------------------------------
# Classification helpers
# --------------------------------------------------------------------------------------------------

_FREQUENCIES = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "annual": "annual",
    "weekly": "monthly",
    "daily": "monthly",
    "hourly": "monthly",
    "realtime": "monthly",
}

_DISTRICT_LEVEL = frozenset(
    {
        "POOR_HOUSEHOLD_RATE",
        "NTM_COMMUNES",
        "TOURIST_ARRIVALS",
        "BUDGET_REVENUE",
        "RETAIL_SALES",
        "NEW_ENTERPRISES",
        "ONLINE_APPLICATION_RATE",
        "ON_TIME_RATE",
        "DIGITISED_DOSSIER_RATE",
        "ONLINE_PAYMENT_RATE",
        "HEALTH_INSURANCE_COVERAGE",
        "TRAFFIC_ACCIDENTS",
        "AIR_QUALITY_AQI",
        "CITIZEN_FEEDBACK",
    }
)

_HIGHER_BETTER = frozenset(
    {
        "GRDP_GROWTH",
        "GRDP_SIZE",
        "GRDP_PER_CAPITA",
        "IIP",
        "BUDGET_REVENUE",
        "BUDGET_REVENUE_VS_PLAN",
        "PUBLIC_INVEST_DISBURSE",
        "TOTAL_INVESTMENT",
        "RETAIL_SALES",
        "EXPORT_VALUE",
        "NEW_ENTERPRISES",
        "NEW_INVEST_PROJECTS",
        "TOURIST_ARRIVALS",
        "INTL_TOURIST_ARRIVALS",
        "TOURISM_REVENUE",
        "ONLINE_APPLICATION_RATE",
        "PROCS_FULL_ONLINE",
        "ON_TIME_RATE",
        "DIGITISED_DOSSIER_RATE",
        "ONLINE_PAYMENT_RATE",
        "SERVICE_INDEX_766",
        "PAR_INDEX",
        "NTM_COMMUNES",
        "HEALTH_INSURANCE_COVERAGE",
    }
)

_LOWER_BETTER = frozenset({"POOR_HOUSEHOLD_RATE", "TRAFFIC_ACCIDENTS", "AIR_QUALITY_AQI"})


def demo_frequency(raw: str) -> str:
    """Map the data file's frequency (monthly, quarterly, annual, weekly, daily, hourly, realtime) onto the
    model's three (monthly, quarterly, annual): finer ones are reported monthly."""
    try:
        return _FREQUENCIES[raw.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown frequency {raw!r}") from None


def reported_levels(indicator_code: str) -> tuple[int, ...]:
    """(1,) for province-only indicators, (1, 2) for indicators also reported per district."""
    return (1, 2) if indicator_code in _DISTRICT_LEVEL else (1,)


def measure_unit(raw_unit: str) -> str:
    """The single unit of measure the stored value is in (the data file has compound units such as
    'dự án; tỷ đồng', 'vụ; người', 'phản ánh; %', 'điểm; thứ hạng': keep the first)."""
    return raw_unit.split(";", 1)[0].strip()


def direction(indicator_code: str) -> str:
    """'higher_better' | 'lower_better' | 'neutral'."""
    if indicator_code in _HIGHER_BETTER:
        return "higher_better"
    if indicator_code in _LOWER_BETTER:
        return "lower_better"
    return "neutral"


# --------------------------------------------------------------------------------------------------
# Districts
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    kind: str  # "city" | "lowland" | "midland" | "mountain"
    population: float  # thousand people, about 2023
    tourism: float  # relative weights used to split the province's flows
    enterprises: float
    revenue: float
    retail: float
    accidents: float
    feedback: float
    poverty: float  # poor-household rate 2024, % (relative position only: rescaled to the province)
    egov: float  # logit offset of the e-government rates (online filing, payment, digitisation…)
    insurance: float  # logit offset of health-insurance coverage
    aqi: float  # AQI relative to the province
    communes: int  # rural communes (xã), 2022–2024
    ntm_2024: int  # of which meeting the New Rural Development standard at the end of 2024


# Commune counts are the xã of each district on 2024-12-31 (data/quang_nam_units_history.json).
_PROFILES: dict[str, _Profile] = {
    "502": _Profile("city", 125, 8.0, 22.0, 9.0, 16.0, 9.0, 18.0, 0.55, 0.7, -0.2, 1.15, 4, 4),  # Tam Kỳ
    "503": _Profile("city", 100, 58.0, 14.0, 7.0, 12.0, 5.0, 14.0, 0.3, 0.6, -0.2, 1.05, 4, 4),  # Hội An
    "504": _Profile("mountain", 21, 0.8, 0.8, 0.6, 0.6, 1.0, 1.0, 21.5, -0.8, 1.6, 0.62, 10, 2),  # Tây Giang
    "505": _Profile("mountain", 27, 1.4, 1.2, 0.8, 0.9, 1.8, 1.3, 14.8, -0.6, 1.6, 0.68, 10, 3),  # Đông Giang
    "506": _Profile("lowland", 152, 2.0, 7.0, 5.5, 8.5, 9.0, 7.0, 2.3, 0.1, -0.15, 1.0, 17, 17),  # Đại Lộc
    "507": _Profile("city", 235, 9.5, 18.0, 14.0, 15.0, 15.0, 13.0, 1.1, 0.4, -0.2, 1.15, 8, 8),  # Điện Bàn
    "508": _Profile("lowland", 127, 5.5, 6.0, 4.5, 7.0, 8.0, 6.0, 1.9, 0.2, -0.15, 1.0, 13, 13),  # Duy Xuyên
    "509": _Profile("lowland", 87, 0.5, 3.5, 2.0, 4.0, 7.0, 4.0, 3.4, 0.0, -0.15, 0.95, 11, 11),  # Quế Sơn
    "510": _Profile("mountain", 27, 0.7, 1.0, 2.5, 0.9, 2.0, 1.2, 18.0, -0.8, 1.6, 0.62, 11, 2),  # Nam Giang
    "511": _Profile("mountain", 26, 0.4, 1.0, 2.2, 0.9, 1.5, 1.1, 19.5, -0.7, 1.6, 0.65, 11, 2),  # Phước Sơn
    "512": _Profile("midland", 38, 0.3, 1.5, 0.9, 1.6, 2.5, 1.6, 14.0, -0.3, 0.5, 0.75, 10, 7),  # Hiệp Đức
    "513": _Profile("lowland", 180, 3.0, 6.5, 5.0, 9.5, 13, 7.5, 2.5, 0.0, -0.15, 0.95, 21, 20),  # Thăng Bình
    "514": _Profile("midland", 68, 0.9, 2.0, 1.3, 3.0, 3.0, 3.0, 13.5, -0.1, 0.5, 0.78, 14, 12),  # Tiên Phước
    "515": _Profile("mountain", 42, 0.6, 1.2, 1.0, 1.5, 2.0, 1.5, 20.5, -0.7, 1.6, 0.65, 12, 3),  # Bắc Trà My
    "516": _Profile("mountain", 31, 0.9, 0.8, 0.7, 0.8, 1.2, 1.0, 33.0, -1.0, 1.6, 0.6, 10, 1),  # Nam Trà My
    "517": _Profile("lowland", 145, 4.0, 9.0, 38, 8.5, 13, 7.0, 2.2, 0.2, -0.15, 1.25, 16, 15),  # Núi Thành
    "518": _Profile("lowland", 80, 1.2, 3.0, 2.5, 3.8, 5.0, 3.5, 2.0, 0.1, -0.15, 0.9, 10, 10),  # Phú Ninh
    "519": _Profile("midland", 32, 0.6, 0.6, 0.6, 1.0, 1.3, 1.0, 14.0, -0.4, 0.5, 0.7, 5, 3),  # Nông Sơn
}

# A district the table does not know gets middling values.
_DEFAULT_PROFILE = _Profile("lowland", 60, 2.0, 3.0, 2.0, 3.0, 4.0, 3.0, 4.5, 0.0, 0.0, 0.90, 10, 7)


def _profile(code: str) -> _Profile:
    return _PROFILES.get(code, _DEFAULT_PROFILE)


# --------------------------------------------------------------------------------------------------
# Indicator specifications
# --------------------------------------------------------------------------------------------------

# Monthly factors, January first.
_FLAT = (1.0,) * 12
_S_ECONOMY = (0.85, 0.80, 0.95, 0.95, 1.00, 1.00, 1.00, 1.00, 1.05, 1.05, 1.15, 1.20)
_S_REVENUE = (1.05, 0.80, 0.95, 1.05, 0.95, 0.95, 1.00, 0.95, 0.95, 1.00, 1.05, 1.30)
_S_SPENDING = (0.70, 0.80, 0.90, 0.90, 0.95, 1.00, 0.95, 1.00, 1.00, 1.05, 1.15, 1.60)
_S_DISBURSE = (0.30, 0.40, 0.60, 0.70, 0.80, 0.90, 1.00, 1.10, 1.20, 1.30, 1.50, 2.20)
_S_INVEST = (0.60, 0.60, 0.80, 0.90, 1.00, 1.00, 1.00, 1.05, 1.10, 1.15, 1.30, 1.50)
_S_RETAIL = (1.08, 1.10, 0.95, 0.96, 0.98, 1.00, 1.02, 1.00, 0.96, 0.95, 0.97, 1.10)
_S_EXPORT = (0.90, 0.75, 1.00, 1.00, 1.02, 1.05, 1.05, 1.05, 1.02, 1.02, 1.05, 1.09)
_S_ENTERPRISE = (0.75, 0.60, 1.05, 1.05, 1.05, 1.10, 1.05, 1.05, 1.05, 1.05, 1.05, 1.15)
_S_PROJECTS = (0.70, 0.60, 1.00, 1.00, 1.00, 1.10, 1.00, 1.00, 1.00, 1.05, 1.10, 1.40)
_S_TOURISM = (0.80, 0.88, 0.98, 1.02, 1.10, 1.25, 1.30, 1.20, 0.88, 0.70, 0.66, 0.83)
_S_INTL = (0.95, 1.05, 1.15, 1.10, 1.00, 1.05, 1.15, 1.10, 0.85, 0.65, 0.70, 0.95)
_S_ACCIDENTS = (1.30, 1.45, 1.00, 0.95, 0.95, 0.95, 0.95, 0.90, 0.85, 0.85, 0.90, 1.05)
_S_AQI = (1.15, 1.15, 1.10, 1.05, 1.00, 1.00, 1.00, 1.00, 0.90, 0.80, 0.85, 1.00)
_S_FEEDBACK = (0.90, 0.85, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.05, 1.15, 1.15, 0.95)

# Early 2022: borders reopened on 15 March, visitors came back over the spring.
_RAMP_2022 = (0.35, 0.45, 0.60, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
_RAMP_2022_INTL = (0.10, 0.15, 0.30, 0.60, 0.80, 0.90, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


@dataclass(frozen=True)
class _Spec:
    """How one indicator's values are made.

    kind: "flow" (levels are year totals), "level" (levels are year means), "ytd" (levels are year-end
    cumulative values), "stock" (levels are year-end counts; start is the count at the end of 2021).
    mode, for levels: "plain" (additive noise), "ratio" (multiplicative), "logit" (a share in 0–100 %).
    year_sd and period_sd are relative for flow/ratio/ytd/stock, absolute for plain, logit units for logit.
    """

    kind: str
    levels: tuple[float, float, float]
    places: int
    mode: str = "plain"
    season: tuple[float, ...] = _FLAT
    ramp_2022: tuple[float, ...] = _FLAT
    share: str | None = None  # _Profile field that splits flows / places districts
    offset_scale: float = 1.0
    jitter: float = 0.15  # fixed per-district deviation from the profile (logit units or relative)
    year_sd: float = 0.02
    period_sd: float = 0.05
    district_sd: float = 0.08
    slope: float = 1.0  # share of the year-on-year change that shows as a trend inside a year
    signed: bool = False
    cap: float | None = None
    start: float = 0.0


_SPECS: dict[str, _Spec] = {
    "GRDP_GROWTH": _Spec("level", (13.6, -8.37, 7.1), 2, year_sd=0.1, period_sd=1.2, slope=0.4, signed=True),
    "GRDP_SIZE": _Spec(
        "flow", (124_500, 117_800, 129_000), 1, season=_S_ECONOMY, year_sd=0.004, period_sd=0.02
    ),
    "GRDP_PER_CAPITA": _Spec("level", (82.3, 77.2, 84.3), 1, mode="ratio", year_sd=0.004, period_sd=0.005),
    "GRDP_STRUCTURE": _Spec("level", (31.2, 34.5, 34.8), 2),  # see _grdp_structure
    "IIP": _Spec("level", (13.0, -14.5, 13.5), 2, year_sd=0.1, period_sd=3.0, slope=0.5, signed=True),
    "BUDGET_REVENUE": _Spec(
        "flow", (29_500, 22_400, 27_594), 1, season=_S_REVENUE, share="revenue", year_sd=0.004, period_sd=0.08
    ),
    "BUDGET_REVENUE_VS_PLAN": _Spec(
        "ytd", (126.5, 85.8, 116.92), 2, season=_S_REVENUE, year_sd=0.003, period_sd=0.08
    ),
    "BUDGET_EXPENDITURE": _Spec("flow", (29_800, 31_200, 33_500), 1, season=_S_SPENDING, period_sd=0.06),
    "PUBLIC_INVEST_DISBURSE": _Spec(
        "ytd", (92.5, 86.0, 90.5), 2, season=_S_DISBURSE, year_sd=0.01, period_sd=0.10, cap=100.0
    ),
    "TOTAL_INVESTMENT": _Spec("flow", (43_500, 41_800, 46_500), 1, season=_S_INVEST, period_sd=0.04),
    "CPI": _Spec("level", (3.1, 3.4, 3.6), 2, year_sd=0.05, period_sd=0.3, signed=True),
    "RETAIL_SALES": _Spec(
        "flow",
        (60_500, 66_800, 73_000),
        1,
        season=_S_RETAIL,
        share="retail",
        period_sd=0.03,
        district_sd=0.06,
    ),
    "EXPORT_VALUE": _Spec("flow", (1_780, 1_560, 1_900), 1, season=_S_EXPORT, period_sd=0.06),
    "NEW_ENTERPRISES": _Spec(
        "flow",
        (1_080, 1_010, 1_120),
        0,
        season=_S_ENTERPRISE,
        share="enterprises",
        period_sd=0.15,
        district_sd=0.08,
    ),
    "NEW_INVEST_PROJECTS": _Spec("flow", (62, 55, 71), 0, season=_S_PROJECTS, year_sd=0.05, period_sd=0.3),
    "TOURIST_ARRIVALS": _Spec(
        "flow",
        (5_000_000, 7_100_000, 8_000_000),
        0,
        season=_S_TOURISM,
        ramp_2022=_RAMP_2022,
        share="tourism",
        year_sd=0.004,
        period_sd=0.04,
        district_sd=0.05,
    ),
    "INTL_TOURIST_ARRIVALS": _Spec(
        "flow",
        (1_450_000, 3_900_000, 5_250_000),
        0,
        season=_S_INTL,
        ramp_2022=_RAMP_2022_INTL,
        year_sd=0.004,
        period_sd=0.04,
    ),
    "TOURISM_REVENUE": _Spec(
        "flow",
        (4_600, 7_300, 9_200),
        1,
        season=_S_TOURISM,
        ramp_2022=_RAMP_2022,
        year_sd=0.004,
        period_sd=0.04,
    ),
    "ONLINE_APPLICATION_RATE": _Spec(
        "level",
        (36.0, 54.0, 68.5),
        2,
        mode="logit",
        share="egov",
        year_sd=0.02,
        period_sd=0.04,
        district_sd=0.06,
    ),
    "PROCS_FULL_ONLINE": _Spec("stock", (860, 960, 1_040), 0, year_sd=0.01, period_sd=0.15, start=780),
    "PROCS_PARTIAL_ONLINE": _Spec("stock", (760, 690, 615), 0, year_sd=0.01, period_sd=0.15, start=820),
    "ON_TIME_RATE": _Spec(
        "level",
        (96.2, 97.6, 98.4),
        2,
        mode="logit",
        share="egov",
        offset_scale=0.5,
        year_sd=0.03,
        period_sd=0.08,
        district_sd=0.10,
    ),
    "DIGITISED_DOSSIER_RATE": _Spec(
        "level",
        (22.0, 52.0, 76.0),
        2,
        mode="logit",
        share="egov",
        year_sd=0.02,
        period_sd=0.04,
        district_sd=0.06,
    ),
    "ONLINE_PAYMENT_RATE": _Spec(
        "level",
        (14.0, 33.0, 51.0),
        2,
        mode="logit",
        share="egov",
        year_sd=0.02,
        period_sd=0.05,
        district_sd=0.06,
    ),
    "SERVICE_INDEX_766": _Spec("level", (62.0, 74.5, 84.0), 2, mode="logit", year_sd=0.02, period_sd=0.06),
    "CITIZEN_FEEDBACK": _Spec(
        "flow",
        (4_300, 6_100, 7_900),
        0,
        season=_S_FEEDBACK,
        share="feedback",
        period_sd=0.10,
        district_sd=0.10,
    ),
    "PAR_INDEX": _Spec("level", (84.9, 86.3, 87.6), 2, year_sd=0.2, period_sd=0.2),
    "POOR_HOUSEHOLD_RATE": _Spec(
        "level",
        (6.95, 5.72, 4.56),
        2,
        mode="logit",
        share="poverty",
        jitter=0.05,
        year_sd=0.003,
        period_sd=0.0,
        district_sd=0.02,
    ),
    "NTM_COMMUNES": _Spec("stock", (121, 129, 137), 0),  # see _ntm_communes
    "HEALTH_INSURANCE_COVERAGE": _Spec(
        "level",
        (92.6, 93.4, 94.3),
        2,
        mode="logit",
        share="insurance",
        year_sd=0.02,
        period_sd=0.02,
        district_sd=0.05,
    ),
    "TRAFFIC_ACCIDENTS": _Spec(
        "flow",
        (268, 251, 236),
        0,
        season=_S_ACCIDENTS,
        share="accidents",
        year_sd=0.03,
        period_sd=0.15,
        district_sd=0.12,
    ),
    "AIR_QUALITY_AQI": _Spec(
        "level",
        (48.0, 46.0, 45.0),
        0,
        mode="ratio",
        season=_S_AQI,
        share="aqi",
        jitter=0.05,
        year_sd=0.02,
        period_sd=0.06,
        district_sd=0.08,
    ),
}

_FEEDBACK_ON_TIME = _Spec(
    "level", (84.0, 89.5, 93.5), 2, mode="logit", share="egov", year_sd=0.03, period_sd=0.08, district_sd=0.12
)

# GRDP by sector (agriculture-forestry-fishery, industry-construction, services; product taxes are the
# rest), %; 2024 is the 9-month structure reported for 2024.
_GRDP_STRUCTURE = {
    2022: (14.6, 37.6, 31.2),
    2023: (16.6, 32.4, 34.5),
    2024: (16.3, 31.8, 34.8),
}

_SECTORS = ("Nông, lâm, thủy sản", "Công nghiệp - xây dựng", "Dịch vụ", "Thuế sản phẩm")

# PAR Index rank among the 63 provinces.
_PAR_RANK = {2022: (34, 44), 2023: (30, 40), 2024: (24, 34)}


def _fallback_spec(indicator: dict) -> _Spec:
    """An indicator this module does not know: a share if it is in %, otherwise a growing flow."""
    unit = measure_unit(str(indicator.get("unit") or ""))
    anchor = None
    example = indicator.get("example_value")
    if isinstance(example, dict) and str(example.get("period")) == str(YEARS[-1]):
        value = example.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            anchor = float(value)
    if unit == "%":
        level = min(anchor or 70.0, 99.0)
        return _Spec("level", (level * 0.85, level * 0.93, level), 2, mode="logit")
    places = 1 if ("đồng" in unit or "USD" in unit) else 0
    level = anchor or 1_000.0
    return _Spec("flow", (level * 0.88, level * 0.94, level), places)


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------

_Period = tuple[str, tuple[int, ...]]  # label, months covered (1–12)


def _calendar(frequency: str) -> list[tuple[int, list[_Period]]]:
    calendar = []
    for year in YEARS:
        if frequency == "monthly":
            periods = [(f"{year}-{month:02d}", (month,)) for month in range(1, 13)]
        elif frequency == "quarterly":
            periods = [(f"{year}-Q{q}", (3 * q - 2, 3 * q - 1, 3 * q)) for q in range(1, 5)]
        else:
            periods = [(f"{year}", tuple(range(1, 13)))]
        calendar.append((year, periods))
    return calendar


def _factor(rng: random.Random, sd: float) -> float:
    """1 plus Gaussian noise, never below 0.05."""
    return max(0.05, 1.0 + rng.gauss(0.0, sd))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


_EXPONENTS = {0: Decimal(1), 1: Decimal("0.1"), 2: Decimal("0.01")}


def _dec(x: float, places: int) -> Decimal:
    value = Decimal(repr(float(x))).quantize(_EXPONENTS[places], rounding=ROUND_HALF_UP)
    return value.copy_abs() if value.is_zero() else value


def _from_units(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places).quantize(_EXPONENTS[places])


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split a non-negative integer in proportion to weights, largest remainder first; sums exactly."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    raw = [total * w / weight_sum for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _vn(value: Decimal | int) -> str:
    """Vietnamese number format: 1.234,5."""
    text = format(value, ",f") if isinstance(value, Decimal) else f"{value:,}"
    return text.translate(str.maketrans({",": ".", ".": ","}))


def _period_weight(spec: _Spec, year: int, months: tuple[int, ...]) -> float:
    ramp = spec.ramp_2022 if year == YEARS[0] else _FLAT
    return sum(spec.season[m - 1] * ramp[m - 1] for m in months)


def _slope(levels: tuple[float, ...], index: int) -> float:
    if len(levels) < 2:
        return 0.0
    if index == 0:
        return levels[1] - levels[0]
    if index == len(levels) - 1:
        return levels[index] - levels[index - 1]
    return (levels[index + 1] - levels[index - 1]) / 2.0


# --------------------------------------------------------------------------------------------------
# Generators. Each returns {unit_code: [(value, note) for every period, in calendar order]}.
# --------------------------------------------------------------------------------------------------

_Series = dict[str, list[tuple[Decimal, str | None]]]


def _flow_units(
    rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]
) -> dict[str, list[int]]:
    """Integer amounts in units of 10**-places; the province is the sum of its districts."""
    scale = 10**spec.places
    codes = [d.code for d in districts]
    shares = [getattr(_profile(c), spec.share) if spec.share else 1.0 for c in codes]
    out: dict[str, list[int]] = {code: [] for code in [PROVINCE_CODE, *codes]}
    for index, (year, periods) in enumerate(calendar):
        total = max(0, round(spec.levels[index] * _factor(rng, spec.year_sd) * scale))
        if codes:
            unit_totals = _apportion(total, [s * _factor(rng, spec.district_sd) for s in shares])
        else:
            unit_totals = [total]
        province = [0] * len(periods)
        for code, unit_total in zip(codes or [PROVINCE_CODE], unit_totals, strict=True):
            weights = [_period_weight(spec, year, m) * _factor(rng, spec.period_sd) for _, m in periods]
            parts = _apportion(unit_total, weights)
            if codes:
                out[code].extend(parts)
            province = [a + b for a, b in zip(province, parts, strict=True)]
        out[PROVINCE_CODE].extend(province)
    return out


def _flow(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    units = _flow_units(rng, spec, calendar, districts)
    return {code: [(_from_units(u, spec.places), None) for u in values] for code, values in units.items()}


def _targets(rng: random.Random, spec: _Spec, calendar) -> list[float]:
    """The province's level for every period, in calendar order."""
    targets = []
    for index, (year, periods) in enumerate(calendar):
        level = spec.levels[index]
        slope = spec.slope * _slope(spec.levels, index)
        count = len(periods)
        year_noise = rng.gauss(0.0, spec.year_sd)
        noise = [rng.gauss(0.0, spec.period_sd) for _ in periods]
        if count > 1:
            mean = sum(noise) / count
            noise = [e - mean for e in noise]
        season = [_period_weight(spec, year, months) / len(months) for _, months in periods]
        season_mean = sum(season) / count
        for i in range(count):
            base = level + slope * ((i + 0.5) / count - 0.5)
            if spec.mode == "plain":
                value = base + year_noise + noise[i]
            elif spec.mode == "ratio":
                value = max(base, 1e-3) * (1.0 + year_noise) * season[i] / season_mean
                value *= max(0.05, 1.0 + noise[i])
            else:
                share = min(max(base, 0.5), 99.5) / 100.0
                value = 100.0 * _sigmoid(_logit(share) + year_noise + noise[i])
            if not spec.signed:
                value = max(value, 0.0)
            if spec.cap is not None:
                value = min(value, spec.cap)
            targets.append(value)
    return targets


def _offset(spec: _Spec, profile: _Profile) -> float:
    if spec.share == "poverty":
        return _logit(profile.poverty / 100.0)
    return getattr(profile, spec.share) * spec.offset_scale if spec.share else 0.0


def _district_levels(
    rng: random.Random, spec: _Spec, targets: list[float], districts: list[DistrictRef]
) -> list[list[float]]:
    """Per district (outer) and period (inner), levels whose population-weighted mean is the target."""
    profiles = [_profile(d.code) for d in districts]
    weights = [p.population for p in profiles]
    total_weight = sum(weights)
    if spec.mode == "logit":
        offsets = [_offset(spec, p) + rng.gauss(0.0, spec.jitter) for p in profiles]
        centre = sum(w * o for w, o in zip(weights, offsets, strict=True)) / total_weight
        offsets = [o - centre for o in offsets]
    else:
        relative = [getattr(p, spec.share) if spec.share else 1.0 for p in profiles]
        offsets = [r * _factor(rng, spec.jitter) for r in relative]
    columns = []
    for target in targets:
        if spec.mode == "logit":
            base = [_logit(target / 100.0) + o + rng.gauss(0.0, spec.district_sd) for o in offsets]
            shift = _solve_shift(base, weights, target / 100.0)
            columns.append([100.0 * _sigmoid(b + shift) for b in base])
        else:
            raw = [target * o * _factor(rng, spec.district_sd) for o in offsets]
            mean = sum(w * r for w, r in zip(weights, raw, strict=True)) / total_weight
            columns.append([r * target / mean if mean > 0 else target for r in raw])
    return [list(row) for row in zip(*columns, strict=True)]


def _solve_shift(base: list[float], weights: list[float], target: float) -> float:
    """The shift of all logits that makes the weighted mean share equal the target."""
    total = sum(weights)
    low, high = -12.0, 12.0
    for _ in range(40):
        middle = (low + high) / 2.0
        mean = sum(w * _sigmoid(b + middle) for w, b in zip(weights, base, strict=True)) / total
        if mean < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def _level(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    targets = _targets(rng, spec, calendar)
    if not districts:
        return {PROVINCE_CODE: [(_dec(t, spec.places), None) for t in targets]}
    rows = _district_levels(rng, spec, targets, districts)
    series: _Series = {}
    quantized = []
    for district, row in zip(districts, rows, strict=True):
        values = [_dec(v, spec.places) for v in row]
        quantized.append(values)
        series[district.code] = [(v, None) for v in values]
    weights = [Decimal(repr(_profile(d.code).population)) for d in districts]
    total_weight = sum(weights)
    province = []
    for column in zip(*quantized, strict=True):
        mean = sum((w * v for w, v in zip(weights, column, strict=True)), Decimal(0)) / total_weight
        province.append((mean.quantize(_EXPONENTS[spec.places], rounding=ROUND_HALF_UP), None))
    return {PROVINCE_CODE: province, **series}


def _ytd_note(year: int, months: tuple[int, ...]) -> str:
    last = months[-1]
    if last == 12:
        return f"Cả năm {year}"
    return f"Lũy kế {last} tháng năm {year}" if last > 1 else f"Tháng 1/{year}"


def _ytd(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    """Cumulative from January: the last period of a year holds the year's value."""
    values = []
    for index, (year, periods) in enumerate(calendar):
        final = spec.levels[index] * _factor(rng, spec.year_sd)
        if spec.cap is not None:
            final = min(final, spec.cap)
        monthly = [spec.season[m - 1] * _factor(rng, spec.period_sd) for m in range(1, 13)]
        total = sum(monthly)
        for _, months in periods:
            share = sum(monthly[: months[-1]]) / total
            values.append((_dec(final * share, spec.places), _ytd_note(year, months)))
    return {PROVINCE_CODE: values}


def _stock(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    """A count at the end of each period, moving monotonically from one year-end to the next."""
    values = []
    previous = spec.start
    for index, (_, periods) in enumerate(calendar):
        end = spec.levels[index] * _factor(rng, spec.year_sd)
        rising = end >= previous
        current = previous
        count = len(periods)
        for i in range(count):
            if i == count - 1:
                point = end
            else:
                fraction = (i + 1 + rng.gauss(0.0, spec.period_sd)) / count
                point = previous + (end - previous) * fraction
                point = max(current, min(point, end)) if rising else min(current, max(point, end))
            current = point
            values.append((_dec(point, spec.places), None))
        previous = end
    return {PROVINCE_CODE: values}


def _flatten(calendar) -> list[tuple[int, str, tuple[int, ...]]]:
    return [(year, label, months) for year, periods in calendar for label, months in periods]


def _grdp_structure(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    values = []
    for year, periods in calendar:
        base = _GRDP_STRUCTURE.get(year, _GRDP_STRUCTURE[YEARS[-1]])
        for _ in periods:
            spread = 0.0 if len(periods) == 1 else 0.5
            agri, industry, services = (round(b + rng.gauss(0.0, spread), 1) for b in base)
            taxes = round(100.0 - agri - industry - services, 1)
            note = "; ".join(
                f"{name} {_vn(_dec(share, 1))}%"
                for name, share in zip(_SECTORS, (agri, industry, services, taxes), strict=True)
            )
            values.append((_dec(services, spec.places), note))
    return {PROVINCE_CODE: values}


def _par_index(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    targets = _targets(rng, spec, calendar)
    ranks = {year: rng.randint(*_PAR_RANK.get(year, (25, 40))) for year, _ in calendar}
    return {
        PROVINCE_CODE: [
            (_dec(min(t, 100.0), spec.places), f"Xếp hạng {ranks[year]}/63 tỉnh, thành phố")
            for t, (year, _, _) in zip(targets, _flatten(calendar), strict=True)
        ]
    }


def _ntm_communes(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    """Communes meeting the NTM standard: 137 at the end of 2024, fewer each year before, never more
    than a district's communes."""
    units = districts or [DistrictRef(PROVINCE_CODE, "")]
    profiles = [_profile(d.code) for d in districts]
    if districts:
        year_end = {YEARS[-1]: [min(p.ntm_2024, p.communes) for p in profiles]}
    else:
        year_end = {YEARS[-1]: [round(spec.levels[-1])]}
    # Work backwards: each earlier year has 6–10 fewer, taken where communes are still being upgraded.
    pull = {"city": 0.0, "lowland": 1.0, "midland": 1.6, "mountain": 1.3}
    current = list(year_end[YEARS[-1]])
    for year in [*YEARS[-2::-1], YEARS[0] - 1]:
        for _ in range(rng.randint(6, 10)):
            weights = [
                (pull[p.kind] if districts else 1.0) * (1.0 if c > 0 else 0.0)
                for p, c in zip(profiles or [_DEFAULT_PROFILE], current, strict=True)
            ]
            if sum(weights) <= 0:
                break
            i = rng.choices(range(len(current)), weights=weights)[0]
            current[i] -= 1
        year_end[year] = list(current)
    series: dict[str, list[int]] = {d.code: [] for d in units}
    for year, periods in calendar:
        start, end = year_end[year - 1], year_end[year]
        for i, _ in enumerate(periods):
            fraction = (i + 1) / len(periods)
            for d, s, e in zip(units, start, end, strict=True):
                series[d.code].append(math.floor(s + (e - s) * fraction + 1e-9))
    out: _Series = {}
    if districts:
        columns = list(zip(*(series[d.code] for d in districts), strict=True))
        out[PROVINCE_CODE] = [(Decimal(sum(c)), None) for c in columns]
    for code, values in series.items():
        out[code] = [(Decimal(v), None) for v in values]
    return out


def _traffic_accidents(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    units = _flow_units(rng, spec, calendar, districts)
    codes = [d.code for d in districts] or [PROVINCE_CODE]
    periods = len(units[PROVINCE_CODE])
    tallies: dict[str, list[tuple[int, int]]] = {}
    for code in codes:
        tally = []
        for count in units[code]:
            deaths = sum(1 for _ in range(count) if rng.random() < 0.58)
            injured = sum(rng.choices((0, 1, 2, 3), weights=(35, 40, 18, 7))[0] for _ in range(count))
            tally.append((deaths, injured))
        tallies[code] = tally
    if districts:
        tallies[PROVINCE_CODE] = [
            (sum(tallies[c][i][0] for c in codes), sum(tallies[c][i][1] for c in codes))
            for i in range(periods)
        ]
    return {
        code: [
            (Decimal(count), f"{deaths} người chết, {injured} người bị thương")
            for count, (deaths, injured) in zip(units[code], tallies[code], strict=True)
        ]
        for code in units
    }


def _citizen_feedback(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    units = _flow_units(rng, spec, calendar, districts)
    rates = _level(rng, _FEEDBACK_ON_TIME, calendar, districts)
    codes = [d.code for d in districts]
    out: _Series = {}
    for code in codes or [PROVINCE_CODE]:
        out[code] = [
            (Decimal(count), f"Tỷ lệ xử lý đúng hạn {_vn(rate)}%" if count else None)
            for count, (rate, _) in zip(units[code], rates[code], strict=True)
        ]
    if codes:
        province = []
        for i, count in enumerate(units[PROVINCE_CODE]):
            handled = sum(units[c][i] * rates[c][i][0] for c in codes)
            note = None
            if count:
                rate = (Decimal(handled) / count).quantize(_EXPONENTS[2], rounding=ROUND_HALF_UP)
                note = f"Tỷ lệ xử lý đúng hạn {_vn(rate)}%"
            province.append((Decimal(count), note))
        out = {PROVINCE_CODE: province, **out}
    return out


def _new_invest_projects(rng: random.Random, spec: _Spec, calendar, districts: list[DistrictRef]) -> _Series:
    units = _flow_units(rng, spec, calendar, [])
    values = []
    for count in units[PROVINCE_CODE]:
        capital = sum(rng.lognormvariate(math.log(150.0), 1.0) for _ in range(count))
        note = f"Vốn đăng ký {_vn(_dec(capital, 1))} tỷ đồng" if count else None
        values.append((Decimal(count), note))
    return {PROVINCE_CODE: values}


_KINDS = {"flow": _flow, "level": _level, "ytd": _ytd, "stock": _stock}

_CUSTOM = {
    "GRDP_STRUCTURE": _grdp_structure,
    "PAR_INDEX": _par_index,
    "NTM_COMMUNES": _ntm_communes,
    "TRAFFIC_ACCIDENTS": _traffic_accidents,
    "CITIZEN_FEEDBACK": _citizen_feedback,
    "NEW_INVEST_PROJECTS": _new_invest_projects,
}


def generate_values(rng: random.Random, indicator: dict, districts: list[DistrictRef]) -> list[ValueSeed]:
    """Three years (YEARS) of plausible values at the indicator's demo frequency, for the province and,
    where reported per district, every district."""
    code = indicator["code"]
    calendar = _calendar(demo_frequency(indicator["frequency"]))
    spec = _SPECS.get(code) or _fallback_spec(indicator)
    if 2 in reported_levels(code):
        by_code = {d.code: d for d in districts if d.code != PROVINCE_CODE}
        units = [by_code[c] for c in sorted(by_code)]
    else:
        units = []
    generator = _CUSTOM.get(code) or _KINDS[spec.kind]
    series = generator(rng, spec, calendar, units)
    labels = [label for _, label, _ in _flatten(calendar)]
    seeds = []
    for unit_code in [PROVINCE_CODE, *(d.code for d in units)]:
        for label, (value, note) in zip(labels, series[unit_code], strict=True):
            seeds.append(ValueSeed(unit_code, label, value, note))
    return seeds
