"""Deterministic demo notices (thông báo) for the Smart Quảng Nam citizen app.

Pure standard library: no Flask, no SQLAlchemy, nothing from the project.

``generate_notices`` turns a seeded :class:`random.Random` plus the caller's administrative units and
organisations into a list of :class:`NoticeSeed` objects written in government-style Vietnamese (about 30%
also carry an English version). The same seed and the same inputs always give the same list; the global
``random`` module, ``datetime.now()`` and hash-ordered sets are never used.

How the notices are made
------------------------
* 73 templates over the 13 categories of ``CATEGORY_SLUGS``; each has variable parts (places, rivers,
  roads, figures, dates, diseases, programmes...) and fixes its own audience rules, preferred issuers,
  urgency odds and season (typhoons and floods in the rainy season, salt intrusion in the dry season, grade
  10 admissions in spring, Tết notices before Tết...).
* Shares (targets; the realised mix moves a little with the season of ``now``): audience 25% province-wide,
  45% one district, 20% one to three communes of one district, 10% two to five neighbouring districts;
  emergency about 5% (disaster prevention, rarely health), important about 20%, pinned about 5% (recent,
  still-running published notices, mostly urgent ones); states 85% published, 6% draft, 4% in review, 5%
  archived; about 3% published but scheduled after ``now``; about half without an expiry, about 10%
  already expired.
* Publication dates spread over the three years before ``now`` and are denser recently; drafts and notices
  in review are dated around ``now`` (a few days before to two weeks after).
* A title that is already taken gets two fresh draws; after that a distinguishing suffix is appended
  (" - ngày dd/mm/yyyy", then " (lần N)"), so titles are unique within one call.

Notes for callers
-----------------
* Inputs are sorted by ``code`` before use, so the order of the lists passed in does not change the result.
* ``now`` may be naive (taken as UTC) or aware (converted to UTC). ``publish_at``/``expire_at`` are aware
  UTC datetimes; dates written in the text are Vietnam local dates (UTC+7) in dd/mm/yyyy.
* A ``district_committee`` organisation is used only when its ``unit_code`` is one of the given districts,
  and then only for notices addressed to that district or its communes. A non-committee organisation whose
  ``unit_code`` is a district or commune code (a local office) is never used; every other non-committee
  organisation counts as provincial. Issuers are chosen by code (SYT, SGTVT, SNNPTNT, CAT, ...); when the
  preferred codes are missing a random department is used instead. From 01/03/2025 the merged departments'
  successor codes (SNNMT, STC2025, SXD2025, SKHCN2025, SNV2025, SDTTG) are preferred when supplied.
* Known district codes (502-519) or names drive the geography (mountain, coastal, Vu Gia - Thu Bồn
  lowland); units with other codes and names still work but only get the generic templates.
* Communes whose ``parent_code`` is not one of the given districts are never targeted.
* Titles stay under 300 characters and summaries under 1,000; bodies are Markdown paragraphs separated by
  blank lines, with "- " bullet lists and https links only.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = [
    "CATEGORY_SLUGS",
    "PROVINCE_CODE",
    "STATES",
    "URGENCIES",
    "NoticeSeed",
    "OrgRef",
    "UnitRef",
    "generate_notices",
]


# ---------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    code: str  # GSO code, e.g. "513"
    name: str  # e.g. "Huyện Thăng Bình", "Xã Bình Minh", "Thành phố Hội An"
    level: int  # 2 district-level, 3 commune-level
    parent_code: str | None


@dataclass(frozen=True)
class OrgRef:
    code: str  # e.g. "SYT", "SGTVT", "UBND-513"
    name_vi: str
    kind: str  # "department", "board", "central_agency", "district_committee", "office"
    unit_code: str | None  # for a district People's Committee: its district code


@dataclass(frozen=True)
class NoticeSeed:
    title_vi: str
    summary_vi: str
    body_vi: str  # Markdown
    title_en: str | None
    summary_en: str | None
    body_en: str | None
    category_slug: str
    organization_code: str
    audience_codes: tuple[str, ...]  # ("49",) = province-wide
    urgency: str  # "normal" | "important" | "emergency"
    pinned: bool
    publish_at: datetime  # timezone-aware UTC
    expire_at: datetime | None
    state: str  # "published" | "draft" | "in_review" | "archived"


PROVINCE_CODE = "49"

CATEGORY_SLUGS: tuple[str, ...] = (
    "thien-tai",
    "y-te",
    "giao-duc",
    "giao-thong",
    "hanh-chinh-cong",
    "kinh-te",
    "tai-chinh",
    "du-lich",
    "xa-hoi",
    "nong-nghiep",
    "moi-truong",
    "an-ninh-trat-tu",
    "chuyen-doi-so",
)
URGENCIES: tuple[str, ...] = ("normal", "important", "emergency")
STATES: tuple[str, ...] = ("published", "draft", "in_review", "archived")

VN_TZ = timezone(timedelta(hours=7), "ICT")

# ---------------------------------------------------------------------------
# Tunables (shares are targets; the realised mix varies with the season of
# ``now`` and with what units/organisations are available)
# ---------------------------------------------------------------------------

_STATE_CUM = ((0.85, "published"), (0.91, "draft"), (0.95, "in_review"), (1.0, "archived"))
_SCOPE_WEIGHTS = {"province": 0.25, "district": 0.45, "commune": 0.20, "multi": 0.10}
# Published notices: share scheduled in the future, then (of the rest) the
# share already expired and the share still running with an expiry date.
_P_FUTURE = 0.035
_P_EXPIRED = 0.085
_P_ACTIVE = 0.42
_PIN_P = {"emergency": 0.65, "important": 0.28, "normal": 0.035}
_PIN_WINDOW = timedelta(days=60)  # only recent notices are pinned
_CATEGORY_WEIGHTS = {
    "thien-tai": 13.0,
    "y-te": 9.0,
    "giao-duc": 7.0,
    "giao-thong": 9.0,
    "hanh-chinh-cong": 10.0,
    "kinh-te": 6.0,
    "tai-chinh": 6.0,
    "du-lich": 8.0,
    "xa-hoi": 8.0,
    "nong-nghiep": 8.0,
    "moi-truong": 6.0,
    "an-ninh-trat-tu": 7.0,
    "chuyen-doi-so": 5.0,
}
_CATEGORY_EN = {
    "du-lich": 0.6,
    "thien-tai": 0.36,
    "an-ninh-trat-tu": 0.32,
    "chuyen-doi-so": 0.3,
    "kinh-te": 0.32,
}
_DEFAULT_EN = 0.3
# Preferred issuing agencies per category (first one present wins).
_CATEGORY_ORGS = {
    "thien-tai": ("SNNPTNT", "VPUBND"),
    "y-te": ("SYT",),
    "giao-duc": ("SGDDT",),
    "giao-thong": ("SGTVT", "SXD"),
    "hanh-chinh-cong": ("VPUBND", "SNV"),
    "kinh-te": ("SKHDT", "SCT", "BXTDT"),
    "tai-chinh": ("STC", "CTHUE"),
    "du-lich": ("SVHTTDL",),
    "xa-hoi": ("SLDTBXH", "SNV"),
    "nong-nghiep": ("SNNPTNT",),
    "moi-truong": ("STNMT",),
    "an-ninh-trat-tu": ("CAT",),
    "chuyen-doi-so": ("STTTT", "SKHCN"),
}
# Departments merged on 01/03/2025: a notice published on or after that date
# goes to the successor when the caller supplied it.
_MERGE_DATE = date(2025, 3, 1)
_SUCCESSOR = {
    "SNNPTNT": "SNNMT",
    "STNMT": "SNNMT",
    "SKHDT": "STC2025",
    "STC": "STC2025",
    "SGTVT": "SXD2025",
    "SXD": "SXD2025",
    "STTTT": "SKHCN2025",
    "SKHCN": "SKHCN2025",
    "SLDTBXH": "SNV2025",
    "SNV": "SNV2025",
    "BDT": "SDTTG",
}
_ORG_EN = {
    "VPUBND": "the Office of the Quang Nam Provincial People's Committee",
    "SNV": "the Quang Nam Department of Home Affairs",
    "SNV2025": "the Quang Nam Department of Home Affairs",
    "STP": "the Quang Nam Department of Justice",
    "SKHDT": "the Quang Nam Department of Planning and Investment",
    "STC": "the Quang Nam Department of Finance",
    "STC2025": "the Quang Nam Department of Finance",
    "SCT": "the Quang Nam Department of Industry and Trade",
    "SNNPTNT": "the Quang Nam Department of Agriculture and Rural Development",
    "SNNMT": "the Quang Nam Department of Agriculture and Environment",
    "STNMT": "the Quang Nam Department of Natural Resources and Environment",
    "SGTVT": "the Quang Nam Department of Transport",
    "SXD": "the Quang Nam Department of Construction",
    "SXD2025": "the Quang Nam Department of Construction",
    "STTTT": "the Quang Nam Department of Information and Communications",
    "SKHCN": "the Quang Nam Department of Science and Technology",
    "SKHCN2025": "the Quang Nam Department of Science and Technology",
    "SLDTBXH": "the Quang Nam Department of Labour, Invalids and Social Affairs",
    "SVHTTDL": "the Quang Nam Department of Culture, Sports and Tourism",
    "SGDDT": "the Quang Nam Department of Education and Training",
    "SYT": "the Quang Nam Department of Health",
    "SNGV": "the Quang Nam Department of Foreign Affairs",
    "TTT": "the Quang Nam Provincial Inspectorate",
    "BDT": "the Quang Nam Ethnic Minorities Committee",
    "SDTTG": "the Quang Nam Department of Ethnic and Religious Affairs",
    "BQLKKTKCN": "the Quang Nam Economic Zones and Industrial Parks Authority",
    "BXTDT": "the Quang Nam Investment Promotion and Enterprise Support Board",
    "CAT": "the Quang Nam Provincial Police",
    "BHXH": "Quang Nam Social Security",
    "CTHUE": "the Quang Nam Tax Department",
    "CTK": "the Quang Nam Statistics Office",
}
_KIND_EN = {
    "department": "the provincial department in charge",
    "board": "the provincial board in charge",
    "central_agency": "the provincial branch of the central agency in charge",
    "office": "the provincial office in charge",
}

# ---------------------------------------------------------------------------
# Geography of Quảng Nam (district codes, with names as a fallback key)
# ---------------------------------------------------------------------------

_KNOWN_DISTRICTS = {
    "502": "Tam Kỳ",
    "503": "Hội An",
    "504": "Tây Giang",
    "505": "Đông Giang",
    "506": "Đại Lộc",
    "507": "Điện Bàn",
    "508": "Duy Xuyên",
    "509": "Quế Sơn",
    "510": "Nam Giang",
    "511": "Phước Sơn",
    "512": "Hiệp Đức",
    "513": "Thăng Bình",
    "514": "Tiên Phước",
    "515": "Bắc Trà My",
    "516": "Nam Trà My",
    "517": "Núi Thành",
    "518": "Phú Ninh",
    "519": "Nông Sơn",
}
_KNOWN_BY_NAME = {v: k for k, v in _KNOWN_DISTRICTS.items()}

_MOUNTAIN = frozenset({"504", "505", "510", "511", "512", "514", "515", "516", "519"})
_HIGHLAND = frozenset({"504", "505", "510", "511", "515", "516"})
_COAST = frozenset({"502", "503", "507", "508", "513", "517"})
_VGTB = frozenset({"503", "506", "507", "508", "509", "519"})  # Vu Gia - Thu Bồn lowland
_FLOOD = _VGTB | frozenset({"502", "513", "517", "518"})
_LOWLAND = frozenset(_KNOWN_DISTRICTS) - _HIGHLAND
# Neighbouring districts, used to keep multi-district audiences geographically sensible.
_ZONES = (
    frozenset({"504", "505", "510", "511"}),  # western mountains (Cơ Tu and Giẻ Triêng areas)
    frozenset({"512", "514", "515", "516"}),  # southern mountains (Trà My)
    frozenset({"503", "507", "508"}),  # northern coast
    frozenset({"502", "513", "517", "518"}),  # southern coast and Tam Kỳ
    frozenset({"506", "507", "508", "509", "519"}),  # Vu Gia - Thu Bồn lowland
    frozenset({"509", "512", "519"}),  # midlands
)

_RIVER = {
    "502": "Tam Kỳ",
    "503": "Thu Bồn",
    "504": "A Vương",
    "505": "A Vương",
    "506": "Vu Gia",
    "507": "Vu Gia - Thu Bồn",
    "508": "Thu Bồn",
    "509": "Thu Bồn",
    "510": "Cái",
    "512": "Tranh",
    "513": "Trường Giang",
    "515": "Tranh",
    "516": "Tranh",
    "517": "Trường Giang",
    "518": "Tam Kỳ",
    "519": "Thu Bồn",
}
# Hydrological stations with alert levels I, II, III (metres).
_STATIONS = {
    "Ái Nghĩa": ("Vu Gia", (6.5, 8.0, 9.0)),
    "Câu Lâu": ("Thu Bồn", (2.0, 3.0, 4.0)),
    "Hội An": ("Thu Bồn", (1.0, 1.5, 2.0)),
}
_DISTRICT_STATION = {
    "503": "Hội An",
    "506": "Ái Nghĩa",
    "507": "Câu Lâu",
    "508": "Câu Lâu",
    "509": "Câu Lâu",
    "519": "Câu Lâu",
}
_ROADS = {
    "502": ("QL1A", "đường Phan Chu Trinh", "đường Điện Biên Phủ", "đường ven biển 129"),
    "503": ("đường Cửa Đại", "đường Hai Bà Trưng", "ĐT607", "đường ven biển 129"),
    "504": ("ĐT606",),
    "505": ("QL14G", "đường Hồ Chí Minh"),
    "506": ("QL14B", "ĐT609"),
    "507": ("QL1A", "ĐT607", "ĐT609"),
    "508": ("QL1A", "ĐT610", "đường ven biển 129"),
    "509": ("QL1A",),
    "510": ("QL14D", "đường Hồ Chí Minh", "QL14B"),
    "511": ("đường Hồ Chí Minh", "QL14E"),
    "512": ("QL14E",),
    "513": ("QL1A", "QL14E", "đường ven biển 129"),
    "514": ("QL40B",),
    "515": ("QL40B",),
    "516": ("QL40B",),
    "517": ("QL1A", "đường ven biển 129"),
    "518": ("QL40B",),
    "519": ("ĐT610",),
}
_MOUNTAIN_ROAD_SPOT = {
    "504": ("ĐT606 đoạn qua xã A Xan", "the DT606 road through A Xan Commune"),
    "505": ("QL14G đoạn qua xã Sông Kôn", "the QL14G road through Song Kon Commune"),
    "510": ("QL14D đoạn qua xã La Dêê", "the QL14D road through La Dee Commune"),
    "511": ("đường Hồ Chí Minh đoạn qua đèo Lò Xo", "the Ho Chi Minh Road over the Lo Xo Pass"),
    "512": ("QL14E đoạn qua xã Phước Trà", "the QL14E road through Phuoc Tra Commune"),
    "514": ("QL40B đoạn qua xã Tiên Lập", "the QL40B road through Tien Lap Commune"),
    "515": ("QL40B đoạn qua xã Trà Đốc", "the QL40B road through Tra Doc Commune"),
    "516": ("QL40B đoạn qua xã Trà Mai", "the QL40B road through Tra Mai Commune"),
    "519": ("ĐT610 đoạn ven sông Thu Bồn", "the DT610 road along the Thu Bon River"),
}
# Hydropower reservoirs and the districts downstream of them.
_RESERVOIRS = (
    ("A Vương", "Vu Gia", frozenset({"504", "505", "506", "507"})),
    ("Sông Bung 4", "Vu Gia", frozenset({"510", "506", "507"})),
    ("Đak Mi 4", "Vu Gia - Thu Bồn", frozenset({"511", "510", "506", "508"})),
    ("Sông Tranh 2", "Thu Bồn", frozenset({"515", "512", "519", "509", "508", "503"})),
)
_DOWNSTREAM = frozenset().union(*(r[2] for r in _RESERVOIRS))

# Lunar New Year (Tết Nguyên đán) dates.
_TET = {
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
}
_CAN = ("Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ")
_CHI = ("Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi")
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------

_ASCII_CACHE: dict[str, str] = {}


def _a(text: str) -> str:
    """Vietnamese text without diacritics (for English copy)."""
    hit = _ASCII_CACHE.get(text)
    if hit is None:
        s = text.replace("đ", "d").replace("Đ", "D")
        s = unicodedata.normalize("NFD", s)
        hit = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
        _ASCII_CACHE[text] = hit
    return hit


def _d(x: date) -> str:
    return f"{x.day:02d}/{x.month:02d}/{x.year}"


def _dm(x: date) -> str:
    return f"{x.day:02d}/{x.month:02d}"


def _my(x: date) -> str:
    return f"{x.month}/{x.year}"


def _mon_en(x: date) -> str:
    return f"{_MONTHS_EN[x.month - 1]} {x.year}"


def _num(value: float, digits: int = 2) -> str:
    """Decimal number with a Vietnamese decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def _int_vi(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _money_vi(millions: int) -> str:
    """An amount given in millions of dong, e.g. "850 triệu đồng", "3,4 tỷ đồng"."""
    if millions >= 1000:
        return f"{_num(millions / 1000, 1).removesuffix(',0')} tỷ đồng"
    return f"{millions} triệu đồng"


def _money_en(millions: int) -> str:
    if millions >= 1000:
        return f"{millions / 1000:.1f}".removesuffix(".0") + " billion dong"
    return f"{millions} million dong"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join_vi(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def _join_en(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _bul(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _can_chi(year: int) -> str:
    return f"{_CAN[year % 10]} {_CHI[year % 12]}"


def _next_tet(day: date) -> date | None:
    for year in (day.year, day.year + 1):
        tet = _TET.get(year)
        if tet is not None and tet >= day:
            return tet
    return None


def _next_anchor(day: date, month: int, dom: int) -> date:
    anchor = date(day.year, month, dom)
    return anchor if anchor >= day else date(day.year + 1, month, dom)


def _school_year(day: date) -> str:
    """School year a notice published on ``day`` most likely refers to."""
    start = day.year if day.month >= 3 else day.year - 1
    return f"{start}-{start + 1}"


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

_PREFIXES = (
    ("Thành phố ", "thành phố", "City", "cities"),
    ("Thị xã ", "thị xã", "Town", "towns"),
    ("Thị trấn ", "thị trấn", "Township", "townships"),
    ("Huyện ", "huyện", "District", "districts"),
    ("Phường ", "phường", "Ward", "wards"),
    ("Xã ", "xã", "Commune", "communes"),
    ("Tỉnh ", "tỉnh", "Province", "provinces"),
)


@dataclass(frozen=True)
class _U:
    ref: UnitRef
    bare: str  # "Thăng Bình"
    kind_vi: str  # "huyện" ("" when the name carries no known prefix)
    kind_en: str  # "District"
    kind_en_pl: str  # "districts"
    key: str  # canonical district code for the geography tables ("" if unknown)

    @property
    def code(self) -> str:
        return self.ref.code

    @property
    def vi(self) -> str:
        return f"{self.kind_vi} {self.bare}" if self.kind_vi else self.bare

    @property
    def ascii(self) -> str:
        return _a(self.bare)

    @property
    def en(self) -> str:
        return f"{self.ascii} {self.kind_en}" if self.kind_en else self.ascii


def _prep_unit(ref: UnitRef) -> _U:
    name = " ".join(ref.name.split())
    bare, kind_vi, kind_en, kind_pl = name, "", "", ""
    low = name.lower()
    for prefix, vi, en, pl in _PREFIXES:
        if low.startswith(prefix.lower()) and len(name) > len(prefix):
            bare, kind_vi, kind_en, kind_pl = name[len(prefix) :], vi, en, pl
            break
    key = ref.code if ref.code in _KNOWN_DISTRICTS else _KNOWN_BY_NAME.get(bare, "")
    return _U(ref, bare, kind_vi, kind_en, kind_pl, key)


def _units_vi(units: Sequence[_U]) -> str:
    if len(units) == 1:
        return units[0].vi
    kinds = {u.kind_vi for u in units}
    if len(kinds) == 1 and units[0].kind_vi:
        return f"các {units[0].kind_vi} " + _join_vi([u.bare for u in units])
    return _join_vi([u.vi for u in units])


def _units_en(units: Sequence[_U]) -> str:
    if len(units) == 1:
        return units[0].en
    kinds = {u.kind_en for u in units}
    if len(kinds) == 1 and units[0].kind_en:
        return _join_en([u.ascii for u in units]) + " " + units[0].kind_en_pl
    return _join_en([u.en for u in units])


# ---------------------------------------------------------------------------
# Rendering context and template registry
# ---------------------------------------------------------------------------


@dataclass
class _Ctx:
    r: random.Random
    pub: datetime  # Vietnam local time
    d0: date  # start of the event / validity
    d1: date  # end of the event / validity
    urgency: str
    scope: str  # "province" | "district" | "commune" | "multi"
    org: OrgRef
    org_vi: str  # "Sở Y tế", "UBND huyện Thăng Bình"
    org_en: str  # "the Quang Nam Department of Health"
    district: _U | None
    districts: tuple[_U, ...]
    communes: tuple[_U, ...]
    place_vi: str = ""  # "huyện Thăng Bình", "các xã Bình Minh và Bình Hải"
    place_en: str = ""
    area_vi: str = ""  # "trên địa bàn huyện Thăng Bình"
    area_en: str = ""  # "in Thang Binh District"
    loc_vi: str = ""  # "" for province-wide, else " tại huyện Thăng Bình"
    loc_en: str = ""
    category: str = ""

    def __post_init__(self) -> None:
        if self.scope == "province":
            self.place_vi, self.place_en = "tỉnh Quảng Nam", "Quang Nam province"
            self.area_vi, self.area_en = "trên địa bàn tỉnh", "across the province"
            self.loc_vi = self.loc_en = ""
            return
        if self.scope == "commune":
            assert self.district is not None
            self.place_vi = _units_vi(self.communes)
            self.place_en = _units_en(self.communes)
            self.area_vi = f"trên địa bàn {self.place_vi} ({self.district.vi})"
            self.area_en = f"in {self.place_en}, {self.district.en}"
        else:
            self.place_vi = _units_vi(self.districts)
            self.place_en = _units_en(self.districts)
            self.area_vi = f"trên địa bàn {self.place_vi}"
            self.area_en = f"in {self.place_en}"
        self.loc_vi = f" tại {self.place_vi}"
        self.loc_en = f" in {self.place_en}"
        if self.scope == "multi" and len(self.districts) > 2:
            keys = self.keys
            if len(keys) == len(self.districts) and all(k in _MOUNTAIN for k in keys):
                self.loc_vi, self.loc_en = " tại các huyện miền núi", " in the mountain districts"
            elif len(keys) == len(self.districts) and all(k in _COAST for k in keys):
                self.loc_vi, self.loc_en = " tại các địa phương ven biển", " in the coastal localities"
            elif (
                self.category == "thien-tai"
                and len(keys) == len(self.districts)
                and all(k in _VGTB for k in keys)
            ):
                self.loc_vi = " tại vùng hạ du sông Vu Gia - Thu Bồn"
                self.loc_en = " in the lower Vu Gia - Thu Bon basin"
            else:
                n = len(self.districts)
                self.loc_vi, self.loc_en = f" tại {n} địa phương", f" in {n} localities"

    # -- convenience -------------------------------------------------------
    @property
    def day(self) -> date:
        return self.pub.date()

    @property
    def org_en_cap(self) -> str:
        return _cap(self.org_en)

    @property
    def keys(self) -> tuple[str, ...]:
        """Canonical district codes concerned (empty when province-wide)."""
        return tuple(u.key for u in self.districts if u.key)

    def pick(self, seq: Sequence):
        return seq[self.r.randrange(len(seq))]

    def district_for_text(self) -> _U | None:
        """One concerned district, e.g. for naming a road or a river."""
        if self.district is not None:
            return self.district
        if self.districts:
            return self.districts[0]
        return None


@dataclass
class _Out:
    title_vi: str
    summary_vi: str
    body_vi: list[str]
    title_en: str
    summary_en: str
    body_en: list[str]
    end: date | None = None  # overrides the end date used for ``expire_at``


_Season = Callable[[date], bool]


@dataclass(frozen=True)
class _Tpl:
    key: str
    category: str
    render: Callable[[_Ctx], _Out]
    scopes: dict[str, float]
    orgs: tuple[str, ...]
    area: frozenset[str] | None
    season: _Season | None
    timing: tuple[float, float, float, float]  # lead min/max, duration min/max (days)
    warn: bool  # a warning: valid for ``duration`` days from publication
    urg: tuple[float, float]  # P(emergency), P(important)
    local: float  # P(the district committee issues it) for district/commune scope
    committee_only: bool
    weight: float
    en: float


_TEMPLATES: list[_Tpl] = []

_ALL_SCOPES = {"province": 1.0, "district": 1.0, "commune": 1.0, "multi": 1.0}


def _tpl(
    category: str,
    *,
    scopes: dict[str, float] | None = None,
    orgs: tuple[str, ...] = (),
    area: frozenset[str] | None = None,
    season: _Season | None = None,
    timing: tuple[float, float, float, float] = (2, 10, 0, 2),
    warn: bool = False,
    urg: tuple[float, float] = (0.0, 0.15),
    local: float = 0.75,
    committee_only: bool = False,
    weight: float = 1.0,
    en: float | None = None,
) -> Callable[[Callable[[_Ctx], _Out]], Callable[[_Ctx], _Out]]:
    assert category in CATEGORY_SLUGS, category

    def deco(fn: Callable[[_Ctx], _Out]) -> Callable[[_Ctx], _Out]:
        _TEMPLATES.append(
            _Tpl(
                key=fn.__name__.removeprefix("_t_"),
                category=category,
                render=fn,
                scopes=dict(scopes or _ALL_SCOPES),
                orgs=orgs,
                area=area,
                season=season,
                timing=timing,
                warn=warn,
                urg=urg,
                local=local,
                committee_only=committee_only,
                weight=weight,
                en=_CATEGORY_EN.get(category, _DEFAULT_EN) if en is None else en,
            )
        )
        return fn

    return deco


def _window(*spans: tuple[tuple[int, int], tuple[int, int]]) -> _Season:
    """Season made of (month, day) spans, inclusive; a span may wrap the year."""

    def check(day: date) -> bool:
        md = (day.month, day.day)
        for start, end in spans:
            if start <= end:
                if start <= md <= end:
                    return True
            elif md >= start or md <= end:
                return True
        return False

    return check


def _before_tet(max_days: int, min_days: int = 2) -> _Season:
    def check(day: date) -> bool:
        tet = _next_tet(day)
        return tet is not None and min_days <= (tet - day).days <= max_days

    return check


_RAINY = _window(((9, 1), (12, 31)))

_WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LINK_NCHMF = (
    "Xem bản tin dự báo chi tiết tại [Trung tâm Dự báo khí tượng thủy văn quốc gia](https://nchmf.gov.vn).",
    "Detailed forecasts: [National Centre for Hydro-Meteorological Forecasting](https://nchmf.gov.vn).",
)
_LINK_DVC_QN = (
    "Nộp hồ sơ trực tuyến tại [Cổng Dịch vụ công tỉnh Quảng Nam](https://dichvucong.quangnam.gov.vn).",
    "Apply online on the [Quang Nam public services portal](https://dichvucong.quangnam.gov.vn).",
)
_LINK_DVC_QG = (
    "Thực hiện trực tuyến tại [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn).",
    "Apply online on the [National Public Services Portal](https://dichvucong.gov.vn).",
)
_LINK_PORTAL = (
    "Toàn văn được đăng tải trên [Cổng Thông tin điện tử tỉnh Quảng Nam](https://quangnam.gov.vn).",
    "The full text is on the [Quang Nam provincial portal](https://quangnam.gov.vn).",
)
_EMERGENCY_NUMBERS = (
    "Số điện thoại khẩn cấp: 112 (tìm kiếm cứu nạn), 114 (cứu hỏa, cứu nạn cứu hộ), 115 (cấp cứu y tế).",
    "Emergency numbers: 112 (search and rescue), 114 (fire and rescue), 115 (ambulance).",
)


def _out(
    title: tuple[str, str],
    summary: tuple[str, str],
    body: Sequence[tuple[str, str]],
    end: date | None = None,
) -> _Out:
    """Build an output from (vi, en) pairs."""
    return _Out(
        title[0],
        summary[0],
        [p[0] for p in body],
        title[1],
        summary[1],
        [p[1] for p in body],
        end,
    )


def _bullets(pairs: Sequence[tuple[str, str]]) -> tuple[str, str]:
    return _bul([p[0] for p in pairs]), _bul([p[1] for p in pairs])


def _rivers(c: _Ctx) -> tuple[str, str]:
    """River(s) concerned, e.g. ("sông Thu Bồn", "the Thu Bon River")."""
    if c.scope == "province":
        return "sông Vu Gia - Thu Bồn", "the Vu Gia - Thu Bon River"
    names: list[str] = []
    for key in c.keys:
        river = _RIVER.get(key)
        if river and river not in names:
            names.append(river)
    basin = [n for n in names if n in ("Vu Gia", "Thu Bồn", "Vu Gia - Thu Bồn")]
    if len(basin) > 1:
        names = ["Vu Gia - Thu Bồn"] + [n for n in names if n not in basin]
    if not names:
        return "các sông, suối", "rivers and streams"
    if len(names) == 1:
        return f"sông {names[0]}", f"the {_a(names[0])} River"
    return "các sông " + _join_vi(names), "the " + _join_en([_a(n) for n in names]) + " rivers"


def _rain(c: _Ctx) -> tuple[int, int, int]:
    lo = c.r.randrange(80, 200, 10)
    hi = lo + c.r.randrange(50, 160, 10)
    return lo, hi, hi + c.r.randrange(50, 200, 10)


_RAIN_CAUSES = (
    (
        "không khí lạnh kết hợp với nhiễu động gió Đông trên cao",
        "cold air combined with easterly wind disturbances aloft",
    ),
    (
        "hoàn lưu sau bão kết hợp với không khí lạnh",
        "the remnant circulation of a typhoon combined with cold air",
    ),
    (
        "dải hội tụ nhiệt đới có trục đi qua khu vực Trung Trung Bộ",
        "a tropical convergence zone over the central region",
    ),
    ("vùng áp thấp suy yếu từ áp thấp nhiệt đới", "a low-pressure area weakened from a tropical depression"),
)


# ---------------------------------------------------------------------------
# thien-tai: disaster prevention
# ---------------------------------------------------------------------------


@_tpl(
    "thien-tai",
    scopes={"province": 2, "district": 3, "commune": 1.2, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_FLOOD,
    season=_RAINY,
    timing=(0, 0, 1, 3),
    warn=True,
    urg=(0.45, 0.45),
    local=0.6,
)
def _t_flood(c: _Ctx) -> _Out:
    lvl = {"emergency": 3, "important": 2}.get(c.urgency, 1)
    roman = ("I", "II", "III")[lvl - 1]
    river_vi, river_en = _rivers(c)
    station = next((_DISTRICT_STATION[k] for k in c.keys if k in _DISTRICT_STATION), None)
    if c.scope == "province":
        station = c.pick(tuple(_STATIONS))
    cause = c.pick(_RAIN_CAUSES)
    lo, hi, top = _rain(c)
    obs_h = max(1, c.pub.hour - 1)
    if lvl == 1:
        title = (f"Cảnh báo lũ trên {river_vi}{c.loc_vi}", f"Flood warning for {river_en}{c.loc_en}")
    elif lvl == 2:
        title = (
            f"Lũ trên {river_vi} vượt báo động II{c.loc_vi}",
            f"Floodwater on {river_en} above alert level II{c.loc_en}",
        )
    else:
        title = (
            f"Khẩn cấp: lũ lớn trên {river_vi} vượt báo động III{c.loc_vi}",
            f"Emergency: major flood on {river_en} above alert level III{c.loc_en}",
        )
    body = [
        (
            f"Theo Đài Khí tượng Thủy văn tỉnh Quảng Nam, do ảnh hưởng của {cause[0]}, từ ngày "
            f"{_d(c.day - timedelta(days=1))} đến sáng {_d(c.day)} trên địa bàn tỉnh có mưa to đến rất to, "
            f"lượng mưa phổ biến {lo}-{hi} mm, có nơi trên {top} mm.",
            f"According to the Quang Nam Hydro-Meteorological Station, {cause[1]} brought heavy to very heavy "
            f"rain from {_d(c.day - timedelta(days=1))} to the morning of {_d(c.day)}: generally {lo}-{hi} "
            f"mm, over {top} mm in places.",
        )
    ]
    tail = ("", "")
    if station:
        river_st, levels = _STATIONS[station]
        diff = c.r.randint(5, 60) / 100
        value = levels[lvl - 1] + diff
        tail = (
            f", tại trạm {station} đã vượt báo động {roman}",
            f" and is above alert level {roman} at {_a(station)}",
        )
        body.append(
            (
                f"Lúc {obs_h} giờ ngày {_d(c.day)}, mực nước sông {river_st} tại trạm {station} là "
                f"{_num(value)} m, trên mức báo động {roman} {_num(diff)} m.",
                f"At {obs_h}:00 on {_d(c.day)} the {_a(river_st)} River at {_a(station)} station stood at "
                f"{value:.2f} m, {diff:.2f} m above alert level {roman}.",
            )
        )
    nxt = (
        (", có khả năng lên mức báo động II", " and may reach alert level II"),
        (", có khả năng lên mức báo động III", " and may reach alert level III"),
        (" và duy trì ở mức trên báo động III", " and stay above alert level III"),
    )[lvl - 1]
    depth = (("0,3-0,5", "0.3-0.5"), ("0,5-1,0", "0.5-1.0"), ("1,0-2,0", "1.0-2.0"))[lvl - 1]
    body.append(
        (
            f"Dự báo trong 24 giờ tới, lũ trên {river_vi} tiếp tục lên{nxt[0]}. Các vùng trũng thấp {c.area_vi} "
            f"có nguy cơ ngập sâu {depth[0]} m; khu vực miền núi có nguy cơ cao xảy ra lũ quét, sạt lở đất.",
            f"Over the next 24 hours the water on {river_en} is forecast to keep rising{nxt[1]}. "
            f"Low-lying areas {c.area_en} may be flooded {depth[1]} m deep; flash floods and landslides "
            "are likely in the mountains.",
        )
    )
    advice = [
        (
            "Không đi qua ngầm, tràn, đoạn đường bị ngập sâu hoặc có nước chảy xiết.",
            "Do not cross spillways, low bridges or flooded roads with strong currents.",
        ),
        (
            "Kê cao đồ đạc, di chuyển tài sản, gia súc, gia cầm đến nơi an toàn.",
            "Raise furniture and move belongings and livestock to safe places.",
        ),
        (
            "Không đánh bắt cá, vớt củi trên sông, suối khi có lũ.",
            "Do not fish or collect driftwood in rivers and streams during the flood.",
        ),
        (
            "Dự trữ lương thực, nước uống, thuốc men và đèn pin cho ít nhất 3 ngày.",
            "Keep food, drinking water, medicine and torches for at least three days.",
        ),
        (
            "Theo dõi tin dự báo trên ứng dụng Smart Quảng Nam và hệ thống loa truyền thanh cơ sở.",
            "Follow the forecasts on the Smart Quang Nam app and local loudspeakers.",
        ),
    ]
    picked = c.r.sample(advice, k=min(len(advice), 2 + lvl))
    if lvl == 3:
        picked.insert(
            0,
            (
                "Khẩn trương di dời người dân ở vùng ngập sâu, ven sông đến nơi an toàn theo hướng "
                "dẫn của chính quyền địa phương.",
                "Evacuate people from deeply flooded and riverside areas without delay, "
                "following local authorities' instructions.",
            ),
        )
    body.append((f"{c.org_vi} đề nghị người dân:", f"{c.org_en_cap} advises residents as follows:"))
    body.append(_bullets(picked))
    body.append(_EMERGENCY_NUMBERS if lvl == 3 else _LINK_NCHMF)
    summary = (
        f"Lũ trên {river_vi} đang lên{tail[0]}. Người dân vùng trũng thấp, ven "
        "sông cần chủ động phòng tránh.",
        f"Water on {river_en} is rising{tail[1]}. Residents of low-lying and riverside "
        "areas should take precautions.",
    )
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 3, "district": 1.5, "commune": 0.5, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_COAST,
    season=_window(((8, 15), (12, 15))),
    timing=(0, 0, 2, 4),
    warn=True,
    urg=(0.55, 0.4),
    local=0.5,
)
def _t_typhoon(c: _Ctx) -> _Out:
    n = c.r.randint(3, 9)
    wind = c.r.randint(9, 12)
    gust = wind + c.r.randint(2, 3)
    km = c.r.randrange(250, 650, 10)
    landfall = c.day + timedelta(days=c.r.randint(1, 2))
    ban_h = next((h for h in (6, 12, 14, 18) if h > c.pub.hour), 6)
    ban_day = c.day if ban_h > c.pub.hour else c.day + timedelta(days=1)
    em = c.urgency == "emergency"
    title = (
        f"{'Khẩn cấp ứng phó' if em else 'Chủ động ứng phó'} với bão số {n}{c.loc_vi}",
        f"{'Emergency response to' if em else 'Preparing for'} Typhoon No. {n}{c.loc_en}",
    )
    summary = (
        f"Bão số {n} cách bờ biển Quảng Nam khoảng {km} km, sức gió mạnh nhất cấp {wind}, giật cấp {gust}. "
        f"Cấm tàu thuyền ra khơi từ {ban_h} giờ ngày {_d(ban_day)}.",
        f"Typhoon No. {n} is about {km} km off the Quang Nam coast with winds of Beaufort {wind}, gusting "
        f"{gust}. Boats may not put to sea from {ban_h}:00 on {_d(ban_day)}.",
    )
    acts = [
        (
            f"Cấm tàu thuyền ra khơi kể từ {ban_h} giờ ngày {_d(ban_day)}; tàu cá đang hoạt động trên biển "
            "khẩn trương vào nơi tránh trú an toàn.",
            f"No vessel may go to sea from {ban_h}:00 on {_d(ban_day)}; fishing boats at sea must "
            "head for shelter immediately.",
        ),
        (
            "Tạm dừng hoạt động vận chuyển khách ra đảo Cù Lao Chàm và các hoạt động "
            "du lịch, thể thao trên biển.",
            "Passenger boats to Cu Lao Cham and all sea tourism and water sports are suspended.",
        ),
        (
            "Chằng chống nhà cửa, cắt tỉa cây xanh, gia cố lồng bè nuôi trồng thủy sản.",
            "Brace houses, trim trees and secure fish cages.",
        ),
        (
            "Di dời người dân ở nhà không an toàn, khu vực ven biển, cửa sông có nguy cơ sóng lớn, "
            "triều cường đến nơi an toàn.",
            "Move people living in unsafe houses or along the coast and river mouths exposed "
            "to high waves and storm surge.",
        ),
        (
            "Hạn chế ra đường khi bão đổ bộ; theo dõi tin bão trên ứng dụng Smart Quảng Nam.",
            "Stay indoors while the typhoon passes and follow updates on the Smart Quang Nam app.",
        ),
    ]
    body = [
        (
            f"Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, hồi {max(1, c.pub.hour - 1)} giờ ngày "
            f"{_d(c.day)}, vị trí tâm bão số {n} cách bờ biển Quảng Nam khoảng {km} km về phía Đông. Sức gió "
            f"mạnh nhất vùng gần tâm bão mạnh cấp {wind}, giật cấp {gust}. Bão có khả năng ảnh hưởng trực tiếp "
            f"đến đất liền các tỉnh Trung Trung Bộ từ ngày {_d(landfall)}.",
            "According to the National Centre for Hydro-Meteorological Forecasting, at "
            f"{max(1, c.pub.hour - 1)}:00 on {_d(c.day)} the centre of Typhoon No. {n} was about {km} km east "
            f"of the Quang Nam coast, with maximum winds of Beaufort {wind} gusting {gust}. It may make "
            f"landfall in the central provinces from {_d(landfall)}.",
        ),
        (
            f"Để chủ động ứng phó, {c.org_vi} đề nghị các địa phương và người dân {c.area_vi}:",
            f"{c.org_en_cap} gives the following instructions to local authorities and residents {c.area_en}:",
        ),
        _bullets(acts if em else c.r.sample(acts, k=4)),
    ]
    if em:
        body.append(
            (
                f"Yêu cầu hoàn thành việc sơ tán dân trước {c.r.choice((12, 15, 17))} giờ ngày {_d(landfall)}; "
                "lực lượng xung kích, dân quân túc trực 24/24 giờ.",
                f"Evacuations must be completed before {c.r.choice((12, 15, 17))}:00 on {_d(landfall)}; "
                "rapid-response teams and militia stay on duty around the clock.",
            )
        )
        body.append(_EMERGENCY_NUMBERS)
    else:
        body.append(_LINK_NCHMF)
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 0.5, "district": 3, "commune": 2, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_MOUNTAIN,
    season=_RAINY,
    timing=(0, 0, 1, 4),
    warn=True,
    urg=(0.5, 0.4),
    local=0.8,
)
def _t_landslide(c: _Ctx) -> _Out:
    lo, hi, _top = _rain(c)
    lvl = 2 if c.urgency != "normal" else 1
    spot = next((_MOUNTAIN_ROAD_SPOT[k] for k in c.keys if k in _MOUNTAIN_ROAD_SPOT), None)
    if c.urgency == "emergency":
        title = (
            f"Khẩn cấp: nguy cơ rất cao xảy ra sạt lở đất, lũ quét{c.loc_vi}",
            f"Emergency: very high risk of landslides and flash floods{c.loc_en}",
        )
    else:
        title = (
            f"Cảnh báo nguy cơ sạt lở đất, lũ quét{c.loc_vi}",
            f"Landslide and flash flood warning{c.loc_en}",
        )
    summary = (
        f"Mưa lớn kéo dài, lượng mưa phổ biến {lo}-{hi} mm; cấp độ rủi ro thiên tai do sạt lở đất, lũ quét: "
        f"cấp {lvl}. Người dân không ở lại nhà gần sườn đồi, taluy, ven sông suối khi trời mưa lớn.",
        f"Prolonged heavy rain ({lo}-{hi} mm) has raised the landslide and flash flood risk to level {lvl}. "
        "Do not stay in houses near slopes, cuttings or streams during heavy rain.",
    )
    acts = [
        (
            "Người dân sống gần sườn đồi, taluy, ven sông suối chủ động di chuyển đến nhà văn hóa thôn, trường "
            "học hoặc nhà người thân ở nơi an toàn.",
            "People living near slopes, cuttings or streams should move to village halls, schools or "
            "relatives' homes in safe places.",
        ),
        (
            "Khi phát hiện vết nứt trên sườn đồi, cây cối nghiêng đổ, nước suối đột ngột đục hoặc có tiếng "
            "động lạ, rời khỏi khu vực ngay và báo cho chính quyền thôn, xã.",
            "If you see cracks on slopes, leaning trees, suddenly muddy streams or hear unusual rumbling, "
            "leave at once and alert the village or commune.",
        ),
        (
            "Không vào rừng, không qua suối, tràn khi trời mưa lớn.",
            "Do not go into the forest or cross streams and spillways during heavy rain.",
        ),
        (
            "Chuẩn bị đèn pin, lương thực, nước uống và thuốc men dự phòng.",
            "Keep torches, food, drinking water and medicine ready.",
        ),
    ]
    if spot:
        acts.insert(
            2,
            (
                f"Hạn chế lưu thông qua tuyến {spot[0]}; lực lượng chức năng bố trí người hướng dẫn "
                "tại các điểm có nguy cơ cao.",
                f"Avoid travelling on {spot[1]}; officers are posted at high-risk points.",
            ),
        )
    body = [
        (
            f"Mưa lớn kéo dài từ ngày {_d(c.day - timedelta(days=2))} đến nay, tổng lượng mưa phổ biến "
            f"{lo}-{hi} mm, đất đá tại nhiều sườn đồi, taluy dương đã bão hòa nước. Cấp độ rủi ro thiên tai do "
            f"sạt lở đất, lũ quét {c.area_vi}: cấp {lvl}.",
            f"Heavy rain since {_d(c.day - timedelta(days=2))} has totalled {lo}-{hi} mm and slopes are "
            f"saturated. The landslide and flash flood risk {c.area_en} is level {lvl}.",
        ),
        (f"{c.org_vi} yêu cầu:", f"{c.org_en_cap} gives the following instructions:"),
        _bullets(acts),
    ]
    if c.urgency == "emergency":
        body.append(
            (
                f"Hoàn thành di dời các hộ dân trong vùng nguy hiểm trước 17 giờ ngày {_d(c.day)}; các "
                "xã tổ chức trực ban 24/24 giờ.",
                "All households in danger zones must be relocated before 17:00 on "
                f"{_d(c.day)}; communes keep 24-hour duty.",
            )
        )
        body.append(_EMERGENCY_NUMBERS)
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 1, "district": 2, "commune": 0.5, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_DOWNSTREAM,
    season=_window(((9, 15), (12, 31))),
    timing=(0, 0, 1, 3),
    warn=True,
    urg=(0.2, 0.6),
    local=0.5,
)
def _t_reservoir(c: _Ctx) -> _Out:
    cands = [r for r in _RESERVOIRS if any(k in r[2] for k in c.keys)] or list(_RESERVOIRS)
    name, river, _ = c.pick(cands)
    start_h = c.r.choice((8, 10, 13, 15, 19))
    start = c.day if start_h > c.pub.hour else c.day + timedelta(days=1)
    q1 = c.r.randrange(300, 1200, 50)
    q2 = q1 + c.r.randrange(200, 1500, 50)
    title = (
        f"Hồ thủy điện {name} vận hành xả lũ điều tiết từ {start_h} giờ ngày {_dm(start)}",
        f"{_a(name)} hydropower reservoir to release floodwater from {start_h}:00 on {_dm(start)}",
    )
    summary = (
        f"Lưu lượng xả tăng dần từ {_int_vi(q1)} m³/s đến khoảng {_int_vi(q2)} m³/s; mực nước hạ "
        f"du sông {river} sẽ lên nhanh.",
        f"Discharge will rise from {q1:,} m³/s to about {q2:,} m³/s; the lower "
        f"{_a(river)} River will rise quickly.",
    )
    acts = [
        (
            "Không neo đậu thuyền, bè, không đánh bắt thủy sản, khai thác cát sỏi "
            "trên sông trong thời gian xả lũ.",
            "Do not moor boats or rafts, fish or dredge sand on the river while water is being released.",
        ),
        (
            "Di chuyển người, tài sản, gia súc ở bãi bồi, ven sông lên nơi cao.",
            "Move people, belongings and livestock from riverbanks and sandbars to higher ground.",
        ),
        (
            "Các bến đò ngang tạm dừng hoạt động cho đến khi có thông báo mới.",
            "River ferries stay closed until further notice.",
        ),
        (
            "Chính quyền cơ sở thông tin kịp thời cho người dân qua hệ thống loa truyền thanh.",
            "Local authorities must relay this notice through village loudspeakers.",
        ),
    ]
    body = [
        (
            "Thực hiện Quy trình vận hành liên hồ chứa trên lưu vực sông Vu Gia - Thu Bồn, đơn vị quản lý hồ "
            f"chứa thủy điện {name} thông báo mở cửa xả lũ điều tiết từ {start_h} giờ ngày {_d(start)}, lưu "
            f"lượng xả tăng dần từ {_int_vi(q1)} m³/s đến khoảng {_int_vi(q2)} m³/s.",
            "Under the inter-reservoir operating rules for the Vu Gia - Thu Bon basin, the operator of the "
            f"{_a(name)} reservoir will open its spillway from {start_h}:00 on {_d(start)}, raising the "
            f"discharge from {q1:,} m³/s to about {q2:,} m³/s.",
        ),
        (
            f"Mực nước hạ du sông {river} sẽ lên nhanh. {c.org_vi} đề nghị người dân {c.area_vi}:",
            f"Water levels downstream on the {_a(river)} River will rise quickly. {c.org_en_cap} advises "
            f"residents {c.area_en} as follows:",
        ),
        _bullets(acts),
    ]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 3, "district": 1.2, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    season=_window(((9, 1), (1, 15)), ((5, 15), (6, 15))),
    timing=(0, 0, 1, 3),
    warn=True,
    urg=(0.25, 0.5),
    local=0.5,
)
def _t_heavy_rain(c: _Ctx) -> _Out:
    lo, hi, top = _rain(c)
    cause = c.pick(_RAIN_CAUSES)
    title = (
        f"Cảnh báo mưa lớn diện rộng{c.loc_vi} từ ngày {_dm(c.d0)} đến ngày {_d(c.d1)}",
        f"Widespread heavy rain warning{c.loc_en} from {_dm(c.d0)} to {_d(c.d1)}",
    )
    summary = (
        f"Do ảnh hưởng của {cause[0]}, {c.area_vi} có mưa to đến rất to, lượng mưa phổ biến {lo}-{hi} mm.",
        f"Because of {cause[1]}, heavy to very heavy rain of {lo}-{hi} mm is expected {c.area_en}.",
    )
    body = [
        (
            f"Do ảnh hưởng của {cause[0]}, từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, {c.area_vi} có mưa "
            f"to đến rất to, lượng mưa phổ biến {lo}-{hi} mm, có nơi trên {top} mm. Cảnh báo mưa có "
            "cường suất lớn trên 100 mm/3 giờ.",
            f"Because of {cause[1]}, heavy to very heavy rain of {lo}-{hi} mm, locally over "
            f"{top} mm, is forecast {c.area_en} from {_d(c.d0)} to {_d(c.d1)}, with bursts of "
            "more than 100 mm in three hours.",
        ),
        (
            "Mưa lớn có khả năng gây ngập úng tại vùng trũng thấp, khu đô thị; lũ quét, sạt lở đất tại khu vực "
            "miền núi; lũ trên các sông có khả năng lên mức báo động I đến báo động II.",
            "Flooding is likely in low-lying and urban areas, with flash floods and landslides in the "
            "mountains; rivers may reach alert levels I to II.",
        ),
        (
            f"{c.org_vi} đề nghị các cơ quan, đơn vị và người dân theo dõi chặt chẽ diễn biến thời "
            "tiết, kiểm tra hệ thống tiêu thoát nước, chủ động phương án bảo vệ sản xuất và hạn "
            "chế đi lại khi trời mưa lớn.",
            f"{c.org_en_cap} asks everyone to follow the weather closely, clear drains, protect crops and "
            "livestock and avoid travelling during heavy rain.",
        ),
        _LINK_NCHMF,
    ]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 1.5, "district": 2, "commune": 1, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_COAST | _VGTB,
    season=_window(((3, 15), (8, 31))),
    timing=(0, 0, 5, 20),
    warn=True,
    urg=(0.15, 0.4),
    local=0.6,
)
def _t_salt_drought(c: _Ctx) -> _Out:
    salty = c.scope == "province" or any(k in ("503", "507", "508") for k in c.keys)
    deficit = c.r.randint(25, 60)
    if salty:
        sal = c.r.randint(20, 80) / 10
        km = c.r.randint(6, 18)
        title = (
            f"Cảnh báo xâm nhập mặn trên hạ du sông Vu Gia - Thu Bồn{c.loc_vi}",
            f"Salt intrusion warning for the lower Vu Gia - Thu Bon River{c.loc_en}",
        )
        summary = (
            f"Độ mặn tại vị trí cách cửa biển {km} km đo được {_num(sal, 1)}‰; không lấy "
            "nước tưới khi độ mặn vượt 1‰.",
            f"Salinity {km} km from the river mouth has reached {sal:.1f}‰; do not "
            "irrigate with water above 1‰.",
        )
        acts = [
            (
                "Vận hành cống ngăn mặn, chỉ lấy nước tưới vào thời điểm triều thấp và khi độ mặn dưới 1‰.",
                "Operate the salt barriers and irrigate only at low tide when salinity is below 1‰.",
            ),
            (
                "Các nhà máy nước tăng cường quan trắc độ mặn tại điểm lấy nước thô.",
                "Water plants must step up salinity monitoring at their intakes.",
            ),
            (
                "Người dân sử dụng nước sạch tiết kiệm, dự trữ nước sinh hoạt.",
                "Residents should use tap water sparingly and store water for daily use.",
            ),
        ]
        lead = (
            f"Do nắng nóng kéo dài, lượng mưa thấp hơn trung bình nhiều năm {deficit}%, mực nước hạ du sông "
            f"Vu Gia - Thu Bồn xuống thấp, nước mặn xâm nhập sâu vào đất liền. Ngày {_d(c.day)}, độ mặn tại "
            f"vị trí cách cửa biển {km} km đo được {_num(sal, 1)}‰.",
            f"After a long hot spell with rainfall {deficit}% below average, the lower Vu Gia - Thu Bon "
            f"River is low and seawater is moving inland. On {_d(c.day)} salinity {km} km from the "
            f"river mouth was {sal:.1f}‰.",
        )
    else:
        pct = c.r.randint(35, 60)
        title = (
            f"Cảnh báo nguy cơ hạn hán, thiếu nước sản xuất{c.loc_vi}",
            f"Drought and irrigation shortage warning{c.loc_en}",
        )
        summary = (
            f"Nhiều hồ chứa thủy lợi chỉ còn khoảng {pct}% dung tích thiết kế; người "
            "dân cần sử dụng nước tiết kiệm.",
            f"Many irrigation reservoirs are down to about {pct}% of capacity; please use water sparingly.",
        )
        acts = [
            (
                "Thực hiện lịch tưới luân phiên, ưu tiên nước cho sinh hoạt và cây "
                "trồng đang giai đoạn trổ bông.",
                "Follow the rotating irrigation schedule; drinking water and flowering crops come first.",
            ),
            (
                "Chuyển đổi diện tích lúa thiếu nước sang cây trồng cạn như ngô, đậu, mè.",
                "Switch rice fields short of water to dry crops such as maize, beans or sesame.",
            ),
            (
                "Nạo vét kênh mương, tận dụng nguồn nước từ ao hồ, giếng.",
                "Dredge canals and make use of ponds and wells.",
            ),
        ]
        lead = (
            f"Lượng mưa từ đầu năm thấp hơn trung bình nhiều năm {deficit}%, các hồ chứa thủy lợi, trong đó "
            f"có hồ Phú Ninh, chỉ đạt khoảng {pct}% dung tích thiết kế. Nguy cơ thiếu nước cục bộ "
            f"{c.area_vi} trong thời gian tới.",
            f"Rainfall this year is {deficit}% below average and irrigation reservoirs, including Phu Ninh "
            f"Lake, hold only about {pct}% of their capacity. Local water shortages are likely {c.area_en}.",
        )
    body = [lead, (f"{c.org_vi} đề nghị:", f"{c.org_en_cap} recommends the following:"), _bullets(acts)]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 2, "district": 2, "commune": 0.5, "multi": 1.5},
    orgs=("SNNPTNT", "VPUBND"),
    season=_window(((3, 1), (8, 31))),
    timing=(0, 0, 3, 7),
    warn=True,
    urg=(0.3, 0.4),
    local=0.6,
)
def _t_heat_fire(c: _Ctx) -> _Out:
    level = "V" if c.urgency != "normal" else "IV"
    level_vi = "cực kỳ nguy hiểm" if level == "V" else "nguy hiểm"
    level_en = "extremely dangerous" if level == "V" else "dangerous"
    t_max = c.r.randint(33, 35) if c.day.month <= 4 else c.r.randint(37, 40)
    title = (
        f"Cảnh báo nắng nóng gay gắt và nguy cơ cháy rừng cấp {level}{c.loc_vi}",
        f"Severe heat and level {level} forest fire danger{c.loc_en}",
    )
    summary = (
        f"Nhiệt độ cao nhất {t_max}-{t_max + 2}°C; cấp dự báo cháy rừng cấp {level} ({level_vi}) từ "
        f"ngày {_d(c.d0)} đến {_d(c.d1)}.",
        f"Highs of {t_max}-{t_max + 2}°C; forest fire danger level {level} ({level_en}) "
        f"from {_d(c.d0)} to {_d(c.d1)}.",
    )
    body = [
        (
            f"Từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, {c.area_vi} tiếp tục nắng nóng gay gắt, nhiệt độ cao "
            f"nhất phổ biến {t_max}-{t_max + 2}°C, có nơi trên {t_max + 2}°C; độ ẩm thấp nhất 45-55%. Theo Chi "
            f"cục Kiểm lâm tỉnh, cấp dự báo cháy rừng ở mức cấp {level} ({level_vi}).",
            f"From {_d(c.d0)} to {_d(c.d1)} severe heat continues {c.area_en}, with highs of "
            f"{t_max}-{t_max + 2}°C and humidity down to 45-55%. The Provincial Forest Protection Department "
            f"rates the fire danger at level {level} ({level_en}).",
        ),
        _bullets(
            [
                (
                    "Không đốt thực bì, đốt nương rẫy, đốt vàng mã gần rừng; không mang lửa vào rừng.",
                    "No burning of vegetation, fields or votive paper near forests; no open flames in the forest.",
                ),
                (
                    "Chủ rừng, tổ đội bảo vệ rừng tổ chức trực 24/24 giờ tại các vùng rừng trọng điểm.",
                    "Forest owners and patrol teams keep 24-hour watch in high-risk areas.",
                ),
                (
                    "Hạn chế làm việc ngoài trời từ 11 giờ đến 15 giờ; uống đủ nước, chú "
                    "ý người cao tuổi và trẻ nhỏ.",
                    "Avoid outdoor work from 11:00 to 15:00, drink plenty of water and look "
                    "after older people and children.",
                ),
                (
                    "Khi phát hiện cháy rừng, gọi ngay 114 hoặc báo cho kiểm lâm địa bàn.",
                    "Report any forest fire immediately on 114 or to the local forest ranger.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 1, "district": 2, "commune": 0.5, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_MOUNTAIN,
    season=_window(((12, 1), (2, 28))),
    timing=(0, 0, 3, 6),
    warn=True,
    urg=(0.25, 0.4),
    local=0.7,
)
def _t_cold(c: _Ctx) -> _Out:
    low = c.r.randint(8, 11)
    high_low = c.r.randint(4, 7)
    title = (
        f"Phòng, chống rét đậm, rét hại cho người, cây trồng và vật nuôi{c.loc_vi}",
        f"Protecting people, crops and livestock from severe cold{c.loc_en}",
    )
    summary = (
        f"Từ ngày {_d(c.d0)} đến {_d(c.d1)} có rét đậm, rét hại; nhiệt độ thấp nhất {low}-{low + 2}°C, vùng "
        f"núi cao {high_low}-{high_low + 2}°C.",
        f"Severe cold from {_d(c.d0)} to {_d(c.d1)}: lows of {low}-{low + 2}°C, "
        f"{high_low}-{high_low + 2}°C in the high mountains.",
    )
    body = [
        (
            f"Do ảnh hưởng của không khí lạnh tăng cường, từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, {c.area_vi} "
            f"có rét đậm, rét hại; nhiệt độ thấp nhất phổ biến {low}-{low + 2}°C, vùng núi cao "
            f"{high_low}-{high_low + 2}°C.",
            f"A reinforced cold surge will bring severe cold {c.area_en} from {_d(c.d0)} to {_d(c.d1)}, with "
            f"lows of {low}-{low + 2}°C and {high_low}-{high_low + 2}°C in the high mountains.",
        ),
        _bullets(
            [
                (
                    "Giữ ấm cho trẻ em, người cao tuổi; không sưởi ấm bằng than, củi trong phòng kín.",
                    "Keep children and older people warm; never burn charcoal or wood in a closed room.",
                ),
                (
                    "Che chắn chuồng trại, không thả rông gia súc; không cho trâu, bò làm "
                    "việc khi nhiệt độ dưới 12°C.",
                    "Shelter livestock pens, keep cattle in and do not work buffaloes or cows below 12°C.",
                ),
                (
                    "Tạm dừng gieo cấy khi nhiệt độ trung bình ngày dưới 15°C.",
                    "Postpone planting while the daily mean temperature is below 15°C.",
                ),
                (
                    "Nhà trường cho học sinh mầm non, tiểu học nghỉ học khi nhiệt độ dưới 7°C.",
                    "Schools let pre-school and primary pupils stay at home when it is below 7°C.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 2, "district": 1.5, "multi": 1},
    orgs=("SNNPTNT", "VPUBND"),
    season=_window(((3, 20), (8, 31))),
    timing=(0, 0, 1, 2),
    warn=True,
    urg=(0.25, 0.4),
    local=0.5,
)
def _t_thunderstorm(c: _Ctx) -> _Out:
    title = (
        f"Cảnh báo dông, lốc, sét và mưa đá{c.loc_vi} ngày {_d(c.d0)}",
        f"Thunderstorm, whirlwind, lightning and hail warning{c.loc_en} on {_d(c.d0)}",
    )
    summary = (
        f"Chiều tối và đêm nay {c.area_vi} có mưa rào và dông rải rác; trong cơn dông có khả năng xảy ra "
        "lốc, sét, mưa đá và gió giật mạnh.",
        f"Scattered showers and thunderstorms are expected {c.area_en} this afternoon and tonight, with "
        "possible whirlwinds, lightning, hail and strong gusts.",
    )
    body = [
        (
            f"Theo Đài Khí tượng Thủy văn tỉnh Quảng Nam, chiều tối và đêm {_d(c.d0)}, {c.area_vi} có "
            "mưa rào và dông rải rác, cục bộ có mưa to; trong cơn dông có khả năng xảy ra lốc, sét, mưa "
            "đá và gió giật mạnh cấp 6-7.",
            "The Quang Nam Hydro-Meteorological Station forecasts scattered showers and thunderstorms "
            f"{c.area_en} on the afternoon and night of {_d(c.d0)}, locally heavy, with possible whirlwinds, "
            "lightning, hail and gusts of Beaufort 6-7.",
        ),
        _bullets(
            [
                (
                    "Không trú mưa dưới gốc cây, cột điện; không đứng trên đồng trống khi có sét.",
                    "Do not shelter under trees or power poles and stay off open fields during lightning.",
                ),
                (
                    "Kiểm tra, gia cố mái nhà, biển quảng cáo, nhà xưởng.",
                    "Check and secure roofs, billboards and workshops.",
                ),
                (
                    "Ngắt các thiết bị điện khi có dông, sét.",
                    "Unplug electrical appliances during thunderstorms.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"district": 1, "commune": 3},
    orgs=("SNNPTNT", "VPUBND"),
    area=_MOUNTAIN | _VGTB,
    season=_window(((9, 15), (12, 20))),
    timing=(0, 0, 2, 5),
    warn=True,
    urg=(0.7, 0.3),
    local=0.95,
)
def _t_evacuation(c: _Ctx) -> _Out:
    hh = c.r.randint(12, 160)
    people = hh * 3 + c.r.randint(0, hh)
    deadline_h = c.r.choice((11, 15, 17))
    if any(k in _MOUNTAIN for k in c.keys):
        hazard = ("sạt lở đất", "landslides")
    else:
        hazard = ("ngập sâu", "deep flooding")
    if c.urgency == "emergency":
        verb = ("Khẩn trương di dời", "Urgent evacuation of")
    else:
        verb = ("Di dời", "Relocation of")
    title = (
        f"{verb[0]} người dân khỏi khu vực nguy cơ {hazard[0]}{c.loc_vi}",
        f"{verb[1]} residents from areas at risk of {hazard[1]}{c.loc_en}",
    )
    summary = (
        f"Di dời {hh} hộ, {people} nhân khẩu đến nơi an toàn, hoàn thành trước "
        f"{deadline_h} giờ ngày {_d(c.d0)}.",
        f"{hh} households ({people} people) must be moved to safety before {deadline_h}:00 on {_d(c.d0)}.",
    )
    body = [
        (
            f"Do mưa lớn kéo dài, nguy cơ {hazard[0]} {c.area_vi} rất cao. {c.org_vi} yêu cầu tổ chức di dời "
            f"{hh} hộ với {people} nhân khẩu đang sinh sống trong khu vực nguy hiểm đến nơi an toàn, hoàn "
            f"thành trước {deadline_h} giờ ngày {_d(c.d0)}.",
            f"After prolonged heavy rain the risk of {hazard[1]} {c.area_en} is very high. {c.org_en_cap} "
            f"orders the relocation of {hh} households ({people} people) from danger zones, to be completed "
            f"before {deadline_h}:00 on {_d(c.d0)}.",
        ),
        _bullets(
            [
                (
                    "Địa điểm tập trung: trường học, nhà văn hóa thôn và nhà người thân ở khu vực an toàn.",
                    "Gathering points: schools, village halls and relatives' homes in safe areas.",
                ),
                (
                    "Lực lượng công an, dân quân và đoàn viên thanh niên hỗ trợ người già, trẻ "
                    "em, người khuyết tật di chuyển.",
                    "Police, militia and youth volunteers will help older people, children "
                    "and people with disabilities.",
                ),
                (
                    "Mỗi hộ mang theo giấy tờ tùy thân, thuốc men, lương thực và nước uống cho 3 ngày.",
                    "Each household should bring ID papers, medicine, food and water for three days.",
                ),
                (
                    "Không quay lại nhà cho đến khi có thông báo an toàn của chính quyền địa phương.",
                    "Do not return home until local authorities declare it safe.",
                ),
            ]
        ),
        _EMERGENCY_NUMBERS,
    ]
    return _out(title, summary, body)


@_tpl(
    "thien-tai",
    scopes={"province": 2, "district": 1, "commune": 0.8, "multi": 2},
    orgs=("SNNPTNT", "VPUBND"),
    area=_COAST,
    season=_window(((10, 1), (2, 28))),
    timing=(0, 0, 1, 3),
    warn=True,
    urg=(0.3, 0.45),
    local=0.6,
)
def _t_sea_ban(c: _Ctx) -> _Out:
    wind = c.r.randint(6, 7)
    wave = c.r.choice(("2,0-3,0", "2,5-3,5", "3,0-4,0"))
    title = (
        f"Tạm cấm tàu thuyền ra khơi do gió mạnh, biển động{c.loc_vi} từ ngày {_dm(c.d0)}",
        f"Boats barred from sea because of strong winds and rough seas{c.loc_en} from {_dm(c.d0)}",
    )
    summary = (
        f"Gió Đông Bắc mạnh cấp {wind}, giật cấp {wind + 2}, sóng biển cao {wave} m; tạm dừng tuyến tàu "
        "khách Cửa Đại - Cù Lao Chàm.",
        f"North-easterly winds of Beaufort {wind} gusting {wind + 2} and waves of {wave.replace(',', '.')} "
        "m; the Cua Dai - Cu Lao Cham passenger route is suspended.",
    )
    body = [
        (
            f"Do ảnh hưởng của không khí lạnh, vùng biển Quảng Nam có gió Đông Bắc mạnh cấp {wind}, giật cấp "
            f"{wind + 2}, sóng biển cao {wave} m, biển động. {c.org_vi} thông báo tạm cấm tàu thuyền ra khơi "
            f"từ ngày {_d(c.d0)} đến hết ngày {_d(c.d1)}.",
            f"A cold surge is bringing north-easterly winds of Beaufort {wind} gusting {wind + 2} and "
            f"{wave.replace(',', '.')} m waves off Quang Nam. {c.org_en_cap} bars vessels from going to sea "
            f"from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Tàu cá đang hoạt động trên biển giữ liên lạc với Bộ đội Biên phòng tỉnh và "
                    "di chuyển vào nơi tránh trú.",
                    "Fishing boats at sea must stay in contact with the Provincial "
                    "Border Guard and head for shelter.",
                ),
                (
                    "Tạm dừng tuyến tàu khách Cửa Đại - Cù Lao Chàm và các hoạt động tắm biển, thể thao dưới nước.",
                    "The Cua Dai - Cu Lao Cham passenger boats, sea bathing and water sports are suspended.",
                ),
                (
                    "Chủ lồng bè nuôi trồng thủy sản gia cố, neo buộc chắc chắn.",
                    "Fish farmers must anchor and reinforce their cages.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# y-te: health
# ---------------------------------------------------------------------------


@_tpl(
    "y-te",
    scopes={"province": 2, "district": 2, "commune": 1.5, "multi": 1},
    orgs=("SYT",),
    season=_window(((5, 1), (11, 30))),
    timing=(2, 7, 7, 20),
    urg=(0.0, 0.25),
    local=0.6,
)
def _t_dengue(c: _Ctx) -> _Out:
    cases = c.r.randint(120, 1400) if c.scope == "province" else c.r.randint(8, 160)
    rise = c.r.randint(12, 85)
    if c.r.random() < 0.5:
        own = c.org.kind == "district_committee" and c.scope == "district"
        loc = ("", "") if own else (c.loc_vi, c.loc_en)
        title = (
            f"{c.org_vi} khuyến cáo chủ động phòng chống sốt xuất huyết{loc[0]}",
            f"{c.org_en_cap} urges action against dengue fever{loc[1]}",
        )
    else:
        title = (
            f"Ra quân diệt lăng quăng, bọ gậy phòng chống sốt xuất huyết{c.loc_vi} từ ngày {_dm(c.d0)}",
            f"Mosquito larvae clean-up campaign against dengue{c.loc_en} from {_dm(c.d0)}",
        )
    summary = (
        f"Từ đầu năm đến nay ghi nhận {cases} ca mắc sốt xuất huyết {c.area_vi}, tăng {rise}% so với cùng "
        "kỳ. Người dân cần loại bỏ nơi muỗi đẻ trứng và đi khám ngay khi sốt cao.",
        f"{cases} dengue cases have been recorded {c.area_en} this year, up {rise}% year on year. Remove "
        "mosquito breeding sites and see a doctor quickly in case of high fever.",
    )
    body = [
        (
            f"Từ đầu năm {c.day.year} đến ngày {_d(c.day)}, {c.area_vi} ghi nhận {cases} ca mắc sốt xuất "
            f"huyết, tăng {rise}% so với cùng kỳ năm trước. Mùa mưa là thời điểm muỗi vằn sinh sản mạnh, "
            "nguy cơ dịch bùng phát rất cao.",
            f"From the start of {c.day.year} to {_d(c.day)}, {cases} dengue cases were recorded "
            f"{c.area_en}, {rise}% more than a year earlier. Aedes mosquitoes breed fast in the rainy "
            "season and the risk of an outbreak is high.",
        ),
        (
            f"Chiến dịch diệt lăng quăng, bọ gậy được tổ chức từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}. "
            f"{c.org_vi} khuyến cáo mỗi gia đình:",
            f"A larvae clean-up campaign runs from {_d(c.d0)} to {_d(c.d1)}. {c.org_en_cap} "
            "advises every household as follows:",
        ),
        _bullets(
            [
                (
                    "Đậy kín dụng cụ chứa nước; thả cá diệt lăng quăng vào bể, giếng, chum vại.",
                    "Cover water containers and put larvae-eating fish in tanks, wells and jars.",
                ),
                (
                    "Loại bỏ vật dụng phế thải đọng nước như lốp xe, chai lọ, vỏ dừa.",
                    "Get rid of rubbish that holds water, such as tyres, bottles and coconut shells.",
                ),
                (
                    "Ngủ màn kể cả ban ngày, mặc quần áo dài tay.",
                    "Sleep under a net, even during the day, and wear long sleeves.",
                ),
                (
                    "Khi sốt cao đột ngột, đau đầu, đau nhức cơ, phát ban, đến ngay cơ sở y tế; "
                    "không tự ý truyền dịch tại nhà.",
                    "With sudden high fever, headache, muscle pain or rash, go to a health facility at once; do "
                    "not self-treat with drips at home.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


_VACCINES = (
    (
        "sởi - rubella (MR)",
        "trẻ từ 1 đến 10 tuổi chưa tiêm đủ mũi vắc xin có thành phần sởi",
        "measles-rubella (MR)",
        "children aged 1 to 10 who have not had all measles-containing doses",
    ),
    (
        "bạch hầu - uốn ván (Td)",
        "trẻ 7 tuổi và học sinh lớp 2",
        "tetanus-diphtheria (Td)",
        "seven-year-olds and second-grade pupils",
    ),
    (
        "bại liệt tiêm (IPV)",
        "trẻ 5 tháng và 9 tháng tuổi",
        "inactivated polio (IPV)",
        "infants aged five and nine months",
    ),
    ("viêm não Nhật Bản", "trẻ từ 1 đến 5 tuổi", "Japanese encephalitis", "children aged 1 to 5"),
)


@_tpl(
    "y-te",
    scopes={"province": 2, "district": 1.5, "commune": 0.5, "multi": 1.5},
    orgs=("SYT",),
    timing=(5, 15, 10, 30),
    urg=(0.0, 0.3),
    local=0.6,
)
def _t_vax_campaign(c: _Ctx) -> _Out:
    vac, target, vac_en, target_en = c.pick(_VACCINES)
    title = (
        f"Triển khai chiến dịch tiêm vắc xin {vac}{c.loc_vi} năm {c.d0.year}",
        f"{vac_en} vaccination campaign{c.loc_en}, {c.d0.year}",
    )
    summary = (
        f"Tiêm miễn phí cho {target} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)} tại trạm y tế và trường học.",
        f"Free vaccination for {target_en} from {_d(c.d0)} to {_d(c.d1)} at health stations and schools.",
    )
    body = [
        (
            f"Thực hiện kế hoạch của Bộ Y tế, {c.org_vi} triển khai chiến dịch tiêm vắc xin {vac} {c.area_vi} "
            f"từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}. Đối tượng: {target}.",
            f"Under the Ministry of Health plan, {c.org_en} is running a {vac_en} vaccination campaign "
            f"{c.area_en} from {_d(c.d0)} to {_d(c.d1)}. Who: {target_en}.",
        ),
        (
            "Địa điểm tiêm: trạm y tế xã, phường, thị trấn và các điểm tiêm tại trường học. Vắc xin được cấp "
            "miễn phí trong chương trình Tiêm chủng mở rộng.",
            "Where: commune health stations and school vaccination points. The vaccine is free under the "
            "Expanded Programme on Immunisation.",
        ),
        ("Phụ huynh lưu ý:", "Parents should:"),
        _bullets(
            [
                (
                    "Mang theo sổ tiêm chủng hoặc thông tin tiêm chủng trên ứng dụng VNeID.",
                    "bring the vaccination booklet or the vaccination record in the VNeID app;",
                ),
                (
                    "Thông báo cho nhân viên y tế nếu trẻ đang sốt, mắc bệnh cấp tính "
                    "hoặc từng phản ứng với vắc xin.",
                    "tell the health worker if the child has a fever, an acute illness or a past vaccine reaction;",
                ),
                (
                    "Ở lại điểm tiêm 30 phút sau tiêm và tiếp tục theo dõi trẻ tại nhà trong 24 giờ.",
                    "stay 30 minutes at the vaccination point and watch the child at home for 24 hours.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "y-te",
    scopes={"district": 1, "commune": 3},
    orgs=("SYT",),
    timing=(1, 6, 0, 1),
    urg=(0.0, 0.05),
    local=0.7,
)
def _t_vax_monthly(c: _Ctx) -> _Out:
    title = (
        f"Lịch tiêm chủng mở rộng tháng {_my(c.d0)}{c.loc_vi}",
        f"Routine immunisation schedule for {_mon_en(c.d0)}{c.loc_en}",
    )
    second = (f" và ngày {_d(c.d1)}", f" and {_d(c.d1)}") if c.d1 != c.d0 else ("", "")
    summary = (
        f"Trạm y tế tổ chức tiêm chủng ngày {_d(c.d0)}{second[0]}, buổi sáng từ 7 giờ 30 đến 11 giờ.",
        f"Health stations vaccinate on {_d(c.d0)}{second[1]}, from 7:30 to 11:00.",
    )
    body = [
        (
            f"Các trạm y tế {c.area_vi} tổ chức buổi tiêm chủng mở rộng định kỳ tháng {_my(c.d0)} vào "
            f"ngày {_d(c.d0)}{second[0]}, từ 7 giờ 30 đến 11 giờ.",
            f"Health stations {c.area_en} hold the routine immunisation session for {_mon_en(c.d0)} on "
            f"{_d(c.d0)}{second[1]}, from 7:30 to 11:00.",
        ),
        _bullets(
            [
                (
                    "Trẻ dưới 1 tuổi: lao (BCG), viêm gan B, vắc xin 5 trong 1, bại liệt, sởi.",
                    "Under one year: BCG, hepatitis B, 5-in-1, polio and measles.",
                ),
                (
                    "Trẻ 18 tháng tuổi: sởi - rubella, bạch hầu - ho gà - uốn ván mũi nhắc.",
                    "18 months: measles-rubella and the DTP booster.",
                ),
                (
                    "Phụ nữ có thai: vắc xin uốn ván theo lịch.",
                    "Pregnant women: tetanus vaccine as scheduled.",
                ),
            ]
        ),
        (
            "Phụ huynh mang theo sổ tiêm chủng và cho trẻ ăn no trước khi đến tiêm.",
            "Please bring the vaccination booklet and feed the child before coming.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "y-te",
    scopes={"province": 2, "district": 2, "commune": 0.5, "multi": 0.5},
    orgs=("SYT",),
    timing=(0, 5, 20, 40),
    urg=(0.0, 0.15),
    local=0.6,
)
def _t_food_safety(c: _Ctx) -> _Out:
    tet = _next_tet(c.day)
    action_month = (4, 10) <= (c.day.month, c.day.day) <= (5, 10)
    if tet is not None and (tet - c.day).days <= 40:
        year_name = _can_chi(tet.year)
        title = (
            f"Bảo đảm an toàn thực phẩm dịp Tết Nguyên đán {year_name} {tet.year}{c.loc_vi}",
            f"Food safety for the {tet.year} Lunar New Year{c.loc_en}",
        )
        lead = (
            f"Dịp Tết Nguyên đán {year_name}, nhu cầu tiêu thụ thực phẩm tăng cao. Đoàn kiểm tra liên ngành "
            f"về an toàn thực phẩm kiểm tra {c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(tet)}.",
            f"Food demand peaks before the {tet.year} Lunar New Year. Inter-agency food safety inspections "
            f"run {c.area_en} from {_d(c.d0)} to {_d(tet)}.",
        )
        end = tet + timedelta(days=15)
    elif action_month:
        title = (
            f"Tháng hành động vì an toàn thực phẩm năm {c.day.year}{c.loc_vi}",
            f"Food Safety Action Month {c.day.year}{c.loc_en}",
        )
        lead = (
            f"Tháng hành động vì an toàn thực phẩm năm {c.day.year} diễn ra từ ngày 15/04 đến ngày "
            f"15/05/{c.day.year}, tập trung vào bếp ăn tập thể, thức ăn đường phố và cơ sở sản xuất nhỏ lẻ.",
            f"Food Safety Action Month runs from 15/04 to 15/05/{c.day.year}, focusing on canteens, "
            "street food and small producers.",
        )
        end = date(c.day.year, 5, 15)
    else:
        title = (
            f"Phòng ngừa ngộ độc thực phẩm tại bếp ăn tập thể, đám cưới, đám giỗ{c.loc_vi}",
            f"Preventing food poisoning at canteens, weddings and family feasts{c.loc_en}",
        )
        lead = (
            f"Thời gian gần đây trên địa bàn tỉnh xảy ra một số vụ ngộ độc thực phẩm tập thể. {c.org_vi} đề "
            f"nghị các cơ sở và người dân {c.area_vi} thực hiện nghiêm các quy định an toàn thực phẩm.",
            f"Several mass food-poisoning incidents have occurred in the province recently. {c.org_en_cap} "
            f"asks businesses and residents {c.area_en} to follow food safety rules strictly.",
        )
        end = None
    summary = (
        "Người dân chọn thực phẩm có nguồn gốc rõ ràng, ăn chín uống sôi; cơ sở kinh "
        "doanh bảo đảm điều kiện vệ sinh.",
        "Buy food of known origin and eat it well cooked; food businesses must meet hygiene standards.",
    )
    body = [
        lead,
        _bullets(
            [
                (
                    "Chọn thực phẩm tươi sạch, có nguồn gốc, nhãn mác rõ ràng; không sử "
                    "dụng thực phẩm ôi thiu, quá hạn.",
                    "Choose fresh, labelled food of known origin; never eat spoiled or expired food.",
                ),
                (
                    "Thực hiện ăn chín, uống sôi; bảo quản riêng thực phẩm sống và chín.",
                    "Cook food thoroughly, boil water and keep raw and cooked food apart.",
                ),
                (
                    "Cơ sở kinh doanh phải có giấy chứng nhận đủ điều kiện an toàn thực "
                    "phẩm và lưu mẫu thức ăn 24 giờ.",
                    "Food businesses need a food safety certificate and must keep meal samples for 24 hours.",
                ),
                (
                    "Khi có dấu hiệu đau bụng, nôn, tiêu chảy sau khi ăn, đến ngay cơ sở y tế gần nhất.",
                    "If you have stomach pain, vomiting or diarrhoea after eating, go to "
                    "the nearest health facility.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, end)


_OUTBREAKS = (
    (
        "bạch hầu",
        "diphtheria",
        "Người tiếp xúc gần được uống kháng sinh dự phòng và tiêm vắc xin bạch hầu - uốn ván.",
        "Close contacts receive preventive antibiotics and the tetanus-diphtheria vaccine.",
    ),
    (
        "tay chân miệng",
        "hand, foot and mouth disease",
        "Rửa tay cho trẻ bằng xà phòng, lau rửa đồ chơi, sàn nhà bằng dung dịch khử khuẩn.",
        "Wash children's hands with soap and clean toys and floors with disinfectant.",
    ),
    (
        "sởi",
        "measles",
        "Trẻ chưa tiêm đủ mũi vắc xin sởi được tiêm bù ngay tại trạm y tế.",
        "Children who missed measles doses are vaccinated straight away at the health station.",
    ),
)


@_tpl(
    "y-te",
    scopes={"district": 2, "commune": 2},
    orgs=("SYT",),
    timing=(0, 0, 14, 30),
    warn=True,
    urg=(0.12, 0.55),
    local=0.6,
)
def _t_outbreak(c: _Ctx) -> _Out:
    dis, dis_en, measure, measure_en = c.pick(_OUTBREAKS)
    cases = c.r.randint(2, 18)
    if c.urgency == "emergency":
        title = (
            f"Khẩn: khoanh vùng, xử lý ổ dịch {dis}{c.loc_vi}",
            f"Urgent: containing a {dis_en} outbreak{c.loc_en}",
        )
    else:
        title = (
            f"Thông báo ổ dịch {dis}{c.loc_vi} và các biện pháp phòng bệnh",
            f"{_cap(dis_en)} outbreak{c.loc_en}: how to protect yourself",
        )
    summary = (
        f"Ghi nhận {cases} trường hợp mắc {dis} {c.area_vi}; ngành y tế đã khoanh vùng, xử lý ổ dịch.",
        f"{cases} cases of {dis_en} have been confirmed {c.area_en}; health teams have contained the area.",
    )
    body = [
        (
            f"Ngày {_d(c.day - timedelta(days=1))}, Trung tâm Kiểm soát bệnh tật tỉnh Quảng Nam "
            f"ghi nhận {cases} trường hợp mắc {dis} {c.area_vi}. Ngành y tế đã điều tra dịch tễ, "
            "khoanh vùng và khử khuẩn ổ dịch.",
            f"On {_d(c.day - timedelta(days=1))} the Quang Nam Centre for Disease Control "
            f"confirmed {cases} cases of {dis_en} {c.area_en}. Health teams have traced contacts, "
            "contained and disinfected the area.",
        ),
        _bullets(
            [
                (measure, measure_en),
                (
                    "Khi có triệu chứng sốt, đau họng, phát ban hoặc loét miệng, đến ngay trạm y "
                    "tế; không tự điều trị tại nhà.",
                    "With fever, sore throat, rash or mouth ulcers, go to the health station at once; "
                    "do not treat yourself at home.",
                ),
                (
                    "Hạn chế tập trung đông người tại khu vực có ổ dịch trong thời gian theo dõi.",
                    "Avoid gatherings in the affected area during the monitoring period.",
                ),
            ]
        ),
        (
            f"Thời gian theo dõi, giám sát ổ dịch đến hết ngày {_d(c.d1)}.",
            f"The area remains under surveillance until {_d(c.d1)}.",
        ),
    ]
    return _out(title, summary, body)


_CLINIC_TARGETS = (
    ("người cao tuổi", "older people"),
    ("phụ nữ (sàng lọc ung thư vú, ung thư cổ tử cung)", "women (breast and cervical cancer screening)"),
    ("trẻ em dưới 6 tuổi", "children under six"),
    ("người có công và thân nhân", "war veterans and their families"),
)


@_tpl(
    "y-te",
    scopes={"district": 2, "commune": 2, "multi": 0.5},
    orgs=("SYT",),
    timing=(3, 12, 0, 2),
    urg=(0.0, 0.05),
    local=0.6,
)
def _t_free_clinic(c: _Ctx) -> _Out:
    target, target_en = c.pick(_CLINIC_TARGETS)
    hospital = c.pick(
        (
            ("Bệnh viện Đa khoa Trung ương Quảng Nam", "the Quang Nam Central General Hospital"),
            ("Bệnh viện Đa khoa tỉnh Quảng Nam", "the Quang Nam Provincial General Hospital"),
            (
                f"Trung tâm Y tế {c.district.vi}" if c.district else "Trung tâm Y tế huyện",
                f"the {c.district.en} Health Centre" if c.district else "the district health centre",
            ),
        )
    )
    title = (
        f"Khám sàng lọc, tư vấn sức khỏe miễn phí cho {target}{c.loc_vi} ngày {_dm(c.d0)}",
        f"Free health screening for {target_en}{c.loc_en} on {_dm(c.d0)}",
    )
    summary = (
        f"{hospital[0]} khám, tư vấn và cấp thuốc miễn phí từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}.",
        f"{_cap(hospital[1])} offers free check-ups, advice and medicine from {_d(c.d0)} to {_d(c.d1)}.",
    )
    body = [
        (
            f"{c.org_vi} phối hợp với {hospital[0]} tổ chức khám sàng lọc, tư vấn sức khỏe và cấp thuốc "
            f"miễn phí cho {target} {c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, buổi sáng từ 7 "
            "giờ, buổi chiều từ 13 giờ 30.",
            f"{c.org_en_cap} and {hospital[1]} offer free screening, health advice and medicine "
            f"to {target_en} {c.area_en} from {_d(c.d0)} to {_d(c.d1)}, from 7:00 in the "
            "morning and 13:30 in the afternoon.",
        ),
        (
            "Địa điểm: trạm y tế và nhà văn hóa thôn (theo thông báo của trưởng thôn). Người dân mang theo căn "
            "cước hoặc thẻ bảo hiểm y tế.",
            "Venues: health stations and village halls (as announced by village heads). Please bring your ID "
            "card or health insurance card.",
        ),
    ]
    return _out(title, summary, body)


def _base_salary(day: date) -> int:
    if day >= date(2024, 7, 1):
        return 2_340_000
    if day >= date(2023, 7, 1):
        return 1_800_000
    return 1_490_000


@_tpl(
    "y-te",
    scopes={"province": 2, "district": 1.5, "commune": 1},
    orgs=("BHXH", "SYT"),
    timing=(0, 3, 20, 45),
    urg=(0.0, 0.15),
    local=0.4,
)
def _t_health_insurance(c: _Ctx) -> _Out:
    year = c.day.year + 1 if c.day.month >= 10 else c.day.year
    first = round(_base_salary(c.day) * 0.045)
    title = (
        f"Tham gia, gia hạn bảo hiểm y tế hộ gia đình năm {year}{c.loc_vi}",
        f"Join or renew family health insurance for {year}{c.loc_en}",
    )
    summary = (
        f"Mức đóng của người thứ nhất là {_int_vi(first)} đồng/tháng; từ người thứ hai được giảm trừ dần. "
        "Gia hạn thẻ trước khi hết hạn để không gián đoạn quyền lợi.",
        f"The first family member pays {first:,} dong a month, with discounts from the second member. Renew "
        "before the card expires to keep your cover.",
    )
    body = [
        (
            "Bảo hiểm y tế hộ gia đình có mức đóng bằng 4,5% mức lương cơ sở. Người thứ hai, thứ "
            "ba, thứ tư đóng lần lượt bằng 70%, 60%, 50% mức đóng của người thứ nhất; từ người "
            "thứ năm trở đi đóng bằng 40%.",
            "Family health insurance costs 4.5% of the statutory base salary. The second, third and fourth "
            "members pay 70%, 60% and 50% of the first member's rate, and the fifth and later members 40%.",
        ),
        (
            f"Với mức lương cơ sở hiện hành, người thứ nhất đóng {_int_vi(first)} đồng/tháng "
            f"({_int_vi(first * 12)} đồng/năm).",
            f"At the current base salary the first member pays {first:,} dong a month "
            f"({first * 12:,} dong a year).",
        ),
        (
            "Người dân có thể gia hạn tại đại lý thu, bưu điện hoặc trực tuyến trên ứng dụng VssID và Cổng "
            "Dịch vụ công quốc gia. Thông tin thêm: [Bảo hiểm xã hội Việt Nam](https://baohiemxahoi.gov.vn).",
            "Renew at a collection agent or post office, or online through the VssID app and the National "
            "Public Services Portal. More: [Viet Nam Social Security](https://baohiemxahoi.gov.vn).",
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# giao-duc: education
# ---------------------------------------------------------------------------


@_tpl(
    "giao-duc",
    scopes={"province": 3},
    orgs=("SGDDT",),
    season=_window(((3, 1), (5, 20))),
    timing=(20, 60, 1, 2),
    urg=(0.0, 0.3),
    local=0.0,
)
def _t_grade10(c: _Ctx) -> _Out:
    sy = f"{c.day.year}-{c.day.year + 1}"
    deadline = c.day + timedelta(days=c.r.randint(8, 15))
    c.d0 = date(c.day.year, 6, c.r.randint(2, 6))
    c.d1 = c.d0 + timedelta(days=1)
    title = (
        f"Kế hoạch tuyển sinh vào lớp 10 THPT năm học {sy}{c.loc_vi}",
        f"Grade 10 admissions plan for the {sy} school year{c.loc_en}",
    )
    summary = (
        f"Kỳ thi tuyển sinh vào lớp 10 THPT công lập dự kiến tổ chức ngày {_d(c.d0)}; hạn nộp hồ sơ "
        f"đăng ký dự thi {_d(deadline)}.",
        f"The public upper-secondary entrance exam is planned for {_d(c.d0)}; "
        f"registration closes on {_d(deadline)}.",
    )
    body = [
        (
            f"{c.org_vi} thông báo kế hoạch tuyển sinh vào lớp 10 THPT năm học {sy}. Kỳ thi dự kiến tổ chức từ "
            f"ngày {_d(c.d0)} đến ngày {_d(c.d1)}; thí sinh dự thi ba môn Ngữ văn, Toán và Tiếng Anh.",
            f"{c.org_en_cap} has published the grade 10 admissions plan for {sy}. The exam is planned from "
            f"{_d(c.d0)} to {_d(c.d1)}; candidates sit Literature, Mathematics and English.",
        ),
        (
            "Thí sinh đăng ký vào Trường THPT chuyên Nguyễn Bỉnh Khiêm (Tam Kỳ) và Trường THPT chuyên Lê Thánh "
            "Tông (Hội An) dự thi thêm môn chuyên.",
            "Applicants to Nguyen Binh Khiem Gifted High School (Tam Ky) and Le Thanh Tong Gifted High School "
            "(Hoi An) also sit a specialist paper.",
        ),
        _bullets(
            [
                (
                    f"Hạn nộp hồ sơ đăng ký dự thi: {_d(deadline)}, tại trường THCS nơi học sinh học lớp 9.",
                    f"Registration deadline: {_d(deadline)}, at the lower-secondary school "
                    "where the pupil attends grade 9.",
                ),
                (
                    "Mỗi thí sinh được đăng ký tối đa hai nguyện vọng vào các trường THPT công lập.",
                    "Each candidate may list up to two public upper-secondary schools.",
                ),
                (
                    "Học sinh thuộc diện ưu tiên, khuyến khích nộp kèm giấy tờ minh chứng.",
                    "Pupils eligible for priority points must attach supporting documents.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, c.d1)


@_tpl(
    "giao-duc",
    scopes={"district": 2, "commune": 1.5},
    orgs=("SGDDT",),
    season=_window(((5, 15), (7, 20))),
    timing=(3, 10, 10, 25),
    urg=(0.0, 0.2),
    local=0.85,
)
def _t_enrol_primary(c: _Ctx) -> _Out:
    sy = f"{c.day.year}-{c.day.year + 1}"
    title = (
        f"Tuyển sinh lớp 1 và lớp 6 năm học {sy}{c.loc_vi}",
        f"Grade 1 and grade 6 enrolment for {sy}{c.loc_en}",
    )
    summary = (
        f"Phụ huynh đăng ký trực tuyến hoặc trực tiếp tại trường từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}.",
        f"Parents can enrol their children online or at the school from {_d(c.d0)} to {_d(c.d1)}.",
    )
    body = [
        (
            f"{c.org_vi} thông báo tuyển sinh đầu cấp năm học {sy} {c.area_vi}. Thời gian đăng ký từ ngày "
            f"{_d(c.d0)} đến ngày {_d(c.d1)}.",
            f"{c.org_en_cap} announces first-year enrolment for {sy} {c.area_en}. Registration runs "
            f"from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    f"Lớp 1: trẻ sinh năm {c.day.year - 6}, tuyển theo địa bàn cư trú.",
                    f"Grade 1: children born in {c.day.year - 6}, admitted by place of residence.",
                ),
                (
                    "Lớp 6: học sinh đã hoàn thành chương trình tiểu học.",
                    "Grade 6: pupils who have completed primary school.",
                ),
                (
                    "Hồ sơ: đơn đăng ký, bản sao giấy khai sinh, số định danh cá nhân của học sinh.",
                    "Documents: application form, copy of the birth certificate and "
                    "the pupil's personal ID number.",
                ),
            ]
        ),
        (
            "Phụ huynh có thể đăng ký trực tuyến qua hệ thống tuyển sinh đầu cấp hoặc "
            "nộp hồ sơ trực tiếp tại trường.",
            "Parents may apply through the online admissions system or hand in the documents at the school.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "giao-duc",
    scopes={"province": 3},
    orgs=("SGDDT",),
    season=_window(((7, 10), (8, 25))),
    timing=(10, 30, 0, 1),
    urg=(0.0, 0.1),
    local=0.0,
)
def _t_school_calendar(c: _Ctx) -> _Out:
    y = c.day.year
    opening = date(y, 9, 5)
    back = date(y, 8, c.r.choice((26, 27, 28)))
    title = (
        f"Khung kế hoạch thời gian năm học {y}-{y + 1} đối với giáo dục mầm non, phổ "
        "thông và giáo dục thường xuyên",
        f"School year calendar {y}-{y + 1} for pre-school, general and continuing education",
    )
    summary = (
        f"Tựu trường ngày {_d(back)}, khai giảng ngày {_d(opening)}, kết thúc năm "
        f"học trước ngày 31/05/{y + 1}.",
        f"Pupils return on {_d(back)}, the opening ceremony is on {_d(opening)} and the "
        f"year ends before 31/05/{y + 1}.",
    )
    body = [
        (
            f"{c.org_vi} ban hành khung kế hoạch thời gian năm học {y}-{y + 1} áp dụng trên địa bàn tỉnh:",
            f"{c.org_en_cap} has issued the {y}-{y + 1} school calendar for the province:",
        ),
        _bullets(
            [
                (
                    f"Tựu trường: ngày {_d(back)} (lớp 1 có thể tựu trường sớm hơn nhưng không quá 2 tuần).",
                    f"Return to school: {_d(back)} (grade 1 may start up to two weeks earlier).",
                ),
                (f"Khai giảng: ngày {_d(opening)}.", f"Opening ceremony: {_d(opening)}."),
                (
                    f"Kết thúc học kỳ I trước ngày 18/01/{y + 1}; kết thúc năm học trước ngày 31/05/{y + 1}.",
                    f"Semester one ends before 18/01/{y + 1}; the school year ends before 31/05/{y + 1}.",
                ),
                (
                    f"Xét công nhận hoàn thành chương trình tiểu học và tốt nghiệp THCS trước ngày 30/06/{y + 1}.",
                    f"Primary completion and lower-secondary graduation are confirmed before 30/06/{y + 1}.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, opening)


@_tpl(
    "giao-duc",
    scopes={"province": 1, "district": 2.5, "commune": 1, "multi": 2},
    orgs=("SGDDT",),
    area=_FLOOD | _MOUNTAIN,
    season=_window(((9, 15), (12, 20))),
    timing=(0, 0, 1, 3),
    warn=True,
    urg=(0.0, 0.8),
    local=0.8,
)
def _t_school_closure(c: _Ctx) -> _Out:
    hazards = [("mưa lũ", "heavy rain and floods")]
    if c.scope == "province" or any(k in _COAST for k in c.keys):
        hazards.append(("bão", "the typhoon"))
    if c.scope == "province" or any(k in _MOUNTAIN for k in c.keys):
        hazards.append(("nguy cơ sạt lở đất", "the landslide risk"))
    hazard = c.pick(hazards)
    title = (
        f"Cho học sinh nghỉ học từ ngày {_dm(c.d0)} đến hết ngày {_d(c.d1)} do {hazard[0]}{c.loc_vi}",
        f"Schools closed from {_dm(c.d0)} to {_d(c.d1)} because of {hazard[1]}{c.loc_en}",
    )
    summary = (
        f"Học sinh mầm non, phổ thông và giáo dục thường xuyên {c.area_vi} nghỉ học để bảo đảm an toàn.",
        f"Pre-school, general and continuing education pupils {c.area_en} stay at home for their safety.",
    )
    body = [
        (
            f"Do ảnh hưởng của {hazard[0]}, {c.org_vi} cho học sinh các trường mầm non, phổ thông và "
            f"trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên {c.area_vi} nghỉ học từ ngày "
            f"{_d(c.d0)} đến hết ngày {_d(c.d1)}.",
            f"Because of {hazard[1]}, {c.org_en} has closed pre-schools, general schools and vocational and "
            f"continuing education centres {c.area_en} from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Hiệu trưởng chủ động bố trí dạy bù, bảo đảm chương trình năm học.",
                    "Head teachers will schedule make-up lessons.",
                ),
                (
                    "Nhà trường kiểm tra, bảo vệ hồ sơ, thiết bị dạy học; không sử dụng phòng học xuống cấp.",
                    "Schools must protect records and equipment and keep damaged classrooms closed.",
                ),
                (
                    "Phụ huynh quản lý con em, không để trẻ bơi lội, qua sông suối, chơi gần khu vực nước lũ.",
                    "Parents must keep children away from rivers, streams and floodwater.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


_THPT_EXAM = {
    2021: date(2021, 7, 7),
    2022: date(2022, 7, 7),
    2023: date(2023, 6, 28),
    2024: date(2024, 6, 27),
    2025: date(2025, 6, 26),
    2026: date(2026, 6, 11),
}


def _thpt_exam(year: int) -> date:
    return _THPT_EXAM.get(year, date(year, 6, 26))


def _exam_season(day: date) -> bool:
    left = (_thpt_exam(day.year) - day).days
    return 3 <= left <= 50


@_tpl(
    "giao-duc",
    scopes={"province": 3},
    orgs=("SGDDT",),
    season=_exam_season,
    timing=(3, 50, 1, 1),
    urg=(0.0, 0.35),
    local=0.0,
)
def _t_grad_exam(c: _Ctx) -> _Out:
    exam = _thpt_exam(c.day.year)
    y = exam.year
    if y >= 2025:
        subjects = (
            "Thí sinh thi bắt buộc Ngữ văn, Toán và hai môn tự chọn trong số các môn đã học ở lớp 12.",
            "Candidates sit Literature and Mathematics plus two elective subjects studied in grade 12.",
        )
    else:
        subjects = (
            "Thí sinh dự thi Ngữ văn, Toán, Ngoại ngữ và một trong hai bài thi tổ hợp Khoa học "
            "Tự nhiên hoặc Khoa học Xã hội.",
            "Candidates sit Literature, Mathematics, a foreign language and either the natural or "
            "the social sciences combination.",
        )
    title = (
        f"Kỳ thi tốt nghiệp THPT năm {y}: lịch thi và những điều thí sinh cần lưu ý",
        f"{y} upper-secondary graduation exam: timetable and advice for candidates",
    )
    summary = (
        f"Kỳ thi diễn ra ngày {_d(exam)} và {_d(exam + timedelta(days=1))}; thí sinh làm thủ tục dự thi "
        f"ngày {_d(exam - timedelta(days=1))}.",
        f"The exam takes place on {_d(exam)} and {_d(exam + timedelta(days=1))}; candidates register at "
        f"their exam centre on {_d(exam - timedelta(days=1))}.",
    )
    body = [
        (
            f"Kỳ thi tốt nghiệp THPT năm {y} diễn ra trong các ngày {_d(exam)} và "
            f"{_d(exam + timedelta(days=1))}. {subjects[0]}",
            f"The {y} graduation exam takes place on {_d(exam)} and "
            f"{_d(exam + timedelta(days=1))}. {subjects[1]}",
        ),
        _bullets(
            [
                (
                    "Mang theo căn cước và giấy báo dự thi; có mặt tại điểm thi trước giờ thi ít nhất 30 phút.",
                    "Bring your ID card and exam notice and arrive at least 30 minutes early.",
                ),
                (
                    "Không mang điện thoại, thiết bị thu phát thông tin vào phòng thi.",
                    "Phones and any communication devices are banned from exam rooms.",
                ),
                (
                    "Thí sinh ở xa điểm thi liên hệ nhà trường để được hỗ trợ chỗ ở, phương tiện đi lại.",
                    "Candidates living far from their centre can ask their school for "
                    "help with lodging and transport.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, exam + timedelta(days=1))


@_tpl(
    "giao-duc",
    scopes={"district": 2, "commune": 1.5, "multi": 1},
    orgs=("SGDDT",),
    area=_HIGHLAND,
    season=_window(((8, 15), (10, 15)), ((1, 5), (2, 28))),
    timing=(5, 10, 15, 30),
    urg=(0.0, 0.1),
    local=0.8,
)
def _t_boarding_support(c: _Ctx) -> _Out:
    sy = _school_year(c.day)
    term = "I" if c.day.month >= 7 else "II"
    title = (
        f"Hướng dẫn hồ sơ hỗ trợ học sinh bán trú học kỳ {term} năm học {sy}{c.loc_vi}",
        f"Applying for semi-boarding pupil support, semester {term} {sy}{c.loc_en}",
    )
    summary = (
        "Học sinh bán trú thuộc vùng đặc biệt khó khăn được hỗ trợ tiền ăn và 15 kg gạo/tháng; nộp "
        f"hồ sơ trước ngày {_d(c.d1)}.",
        "Semi-boarding pupils from the most disadvantaged areas get meal money and 15 kg of rice a "
        f"month; apply by {_d(c.d1)}.",
    )
    body = [
        (
            "Thực hiện chính sách hỗ trợ học sinh và trường phổ thông ở xã, thôn đặc biệt khó khăn, "
            f"{c.org_vi} hướng dẫn các trường {c.area_vi} lập hồ sơ đề nghị hỗ trợ học kỳ {term} năm học {sy}.",
            "Under the support policy for pupils and schools in the most disadvantaged communes and "
            f"villages, {c.org_en} explains how schools {c.area_en} should apply for semester {term} of {sy}.",
        ),
        _bullets(
            [
                (
                    "Hỗ trợ tiền ăn hằng tháng bằng 40% mức lương cơ sở và 15 kg gạo/học sinh/tháng.",
                    "A monthly meal allowance of 40% of the base salary and 15 kg of rice per pupil.",
                ),
                (
                    "Hồ sơ gồm: đơn đề nghị của cha mẹ học sinh, xác nhận nơi cư trú.",
                    "Documents: the parents' application and proof of residence.",
                ),
                (
                    f"Nhà trường tổng hợp, nộp hồ sơ trước ngày {_d(c.d1)}.",
                    f"Schools submit the files by {_d(c.d1)}.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# giao-thong: transport
# ---------------------------------------------------------------------------

_KM = {
    "QL1A": (950, 1025),
    "QL14B": (10, 60),
    "QL14E": (5, 80),
    "QL40B": (5, 110),
    "QL14D": (0, 70),
    "QL14G": (10, 60),
    "ĐT606": (2, 40),
    "ĐT607": (2, 20),
    "ĐT609": (2, 40),
    "ĐT610": (2, 40),
}
_WORKS = (
    ("sửa chữa mặt đường", "road surface repairs"),
    ("thay khe co giãn cầu", "bridge expansion joint replacement"),
    ("nâng cấp, mở rộng nền đường", "road upgrading and widening"),
    ("xử lý điểm đen tai nạn giao thông", "work on an accident black spot"),
    ("thi công hệ thống thoát nước dọc", "roadside drainage works"),
    ("lắp đặt hệ thống chiếu sáng", "street lighting installation"),
)


def _road_en(road: str) -> str:
    text = _a(road)
    if text == "duong Ho Chi Minh":
        return "the Ho Chi Minh Road"
    if text == "duong ven bien 129":
        return "coastal road 129"
    if text.startswith("duong "):
        return text[6:] + " Street"
    return text


@_tpl(
    "giao-thong",
    scopes={"province": 0.3, "district": 3, "commune": 1.5},
    orgs=("SGTVT",),
    timing=(2, 7, 5, 60),
    urg=(0.0, 0.25),
    local=0.45,
)
def _t_road_works(c: _Ctx) -> _Out:
    d = c.district_for_text()
    roads = _ROADS.get(d.key, ("QL1A",)) if d and d.key else ("QL1A", "QL14B", "QL14E", "QL40B", "ĐT609")
    road = c.pick(roads)
    work, work_en = c.pick(_WORKS)
    km_range = _KM.get(road)
    seg = ("", "")
    if km_range:
        km = c.r.randint(*km_range)
        m = c.r.randrange(0, 1000, 50)
        seg = (f" đoạn Km{km}+{m:03d}", f" at Km{km}+{m:03d}")
    title = (
        f"Phân luồng giao thông phục vụ thi công {work} trên {road}{seg[0]}{c.loc_vi}",
        f"Traffic diversion for {work_en} on {_road_en(road)}{seg[1]}{c.loc_en}",
    )
    summary = (
        f"Thi công từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}; phương tiện lưu thông một nửa mặt "
        "đường, tốc độ tối đa 30 km/h.",
        f"Works run from {_d(c.d0)} to {_d(c.d1)}; traffic uses one lane with a 30 km/h limit.",
    )
    body = [
        (
            f"{c.org_vi} thông báo thi công {work} trên {road}{seg[0]} {c.area_vi}, thời gian từ ngày "
            f"{_d(c.d0)} đến ngày {_d(c.d1)}, từ 7 giờ đến 18 giờ hằng ngày.",
            f"{c.org_en_cap} announces {work_en} on {_road_en(road)}{seg[1]} {c.area_en} from {_d(c.d0)} to "
            f"{_d(c.d1)}, daily from 7:00 to 18:00.",
        ),
        _bullets(
            [
                (
                    "Phương tiện lưu thông một nửa mặt đường phía không thi công, tốc độ tối đa 30 km/h.",
                    "Vehicles use the half of the road not under works, at no more than 30 km/h.",
                ),
                (
                    "Xe tải trên 10 tấn đi theo hướng dẫn của biển báo và người điều tiết giao thông.",
                    "Lorries over 10 tonnes follow the diversion signs and the flaggers.",
                ),
                ("Không dừng, đỗ xe trong phạm vi công trường.", "No stopping or parking in the work zone."),
            ]
        ),
        (
            "Đơn vị thi công bố trí biển báo, đèn tín hiệu ban đêm và người hướng dẫn giao "
            "thông hai đầu đoạn thi công.",
            "The contractor provides signs, night lights and flaggers at both ends of the work zone.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "giao-thong",
    scopes={"province": 0.5, "district": 3, "commune": 0.5, "multi": 1},
    orgs=("SGTVT",),
    area=_MOUNTAIN,
    season=_RAINY,
    timing=(0, 0, 1, 5),
    warn=True,
    urg=(0.0, 0.75),
    local=0.5,
)
def _t_road_closed(c: _Ctx) -> _Out:
    spots = [_MOUNTAIN_ROAD_SPOT[k] for k in c.keys if k in _MOUNTAIN_ROAD_SPOT]
    if c.scope == "province" or not spots:
        spots = list(_MOUNTAIN_ROAD_SPOT.values())
    spot, spot_en = c.pick(spots)
    vol = c.r.randrange(200, 5000, 100)
    reopen_h = c.r.choice((12, 17, 20))
    title = (
        f"Tạm cấm phương tiện lưu thông qua {spot} do sạt lở",
        f"{_cap(spot_en)} closed to traffic after a landslide",
    )
    summary = (
        f"Sạt lở khoảng {_int_vi(vol)} m³ đất đá gây ách tắc hoàn toàn; dự kiến thông xe tạm thời trước "
        f"{reopen_h} giờ ngày {_d(c.d1)}.",
        f"About {vol:,} m³ of earth and rock block the road; a temporary reopening is expected before "
        f"{reopen_h}:00 on {_d(c.d1)}.",
    )
    body = [
        (
            f"Do mưa lớn kéo dài, vào lúc {max(1, c.pub.hour - 2)} giờ ngày {_d(c.day)}, tại {spot} xảy ra sạt "
            f"lở taluy dương với khối lượng khoảng {_int_vi(vol)} m³ đất đá, gây ách tắc giao thông hoàn toàn.",
            f"After prolonged heavy rain, at about {max(1, c.pub.hour - 2)}:00 on {_d(c.day)} a slope "
            f"collapsed on {spot_en}, leaving some {vol:,} m³ of earth and rock across the road.",
        ),
        (
            f"{c.org_vi} tạm cấm các loại phương tiện lưu thông qua đoạn sạt lở. Đơn vị quản lý đường bộ đang "
            f"huy động máy móc khắc phục, dự kiến thông xe tạm thời trước {reopen_h} giờ ngày {_d(c.d1)}.",
            f"{c.org_en_cap} has closed the section to all vehicles. Road maintenance crews are clearing it "
            f"and expect a temporary reopening before {reopen_h}:00 on {_d(c.d1)}.",
        ),
        (
            "Người dân không di chuyển qua khu vực sạt lở, tuân thủ hướng dẫn của lực lượng chức năng và theo "
            "dõi thông báo thông xe trên ứng dụng Smart Quảng Nam.",
            "Do not try to pass the landslide, follow officers' instructions and watch the Smart Quang Nam "
            "app for the reopening notice.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "giao-thong",
    scopes={"province": 1, "district": 2, "commune": 1.5, "multi": 1},
    orgs=("SGTVT",),
    area=_VGTB | _COAST,
    season=_RAINY,
    timing=(0, 0, 1, 3),
    warn=True,
    urg=(0.0, 0.6),
    local=0.7,
)
def _t_ferry_suspend(c: _Ctx) -> _Out:
    river_vi, river_en = _rivers(c)
    title = (
        f"Tạm dừng hoạt động các bến đò ngang trên {river_vi}{c.loc_vi} do nước lũ dâng cao",
        f"River ferries on {river_en}{c.loc_en} suspended because of rising floodwater",
    )
    summary = (
        f"Các bến đò ngang tạm dừng từ ngày {_d(c.d0)} cho đến khi có thông báo mới; "
        "người dân không tự ý vượt sông.",
        f"Ferries are suspended from {_d(c.d0)} until further notice; do not try to cross the river.",
    )
    body = [
        (
            f"Mực nước trên {river_vi} đang lên nhanh, dòng chảy xiết, không bảo đảm an toàn cho hoạt động đò "
            f"ngang. {c.org_vi} yêu cầu các bến đò ngang {c.area_vi} tạm dừng hoạt động từ ngày {_d(c.d0)}.",
            f"Water on {river_en} is rising fast with strong currents, making ferry crossings unsafe. "
            f"{c.org_en_cap} orders all ferries {c.area_en} to stop from {_d(c.d0)}.",
        ),
        (
            "Chủ đò đưa phương tiện vào nơi neo đậu an toàn; người dân không tự ý dùng thuyền, bè vượt sông. "
            "Bến đò chỉ hoạt động trở lại khi có thông báo của chính quyền địa phương.",
            "Ferry operators must moor their boats safely and residents must not cross by boat or raft. "
            "Ferries will reopen only when local authorities announce it.",
        ),
    ]
    return _out(title, summary, body)


_EVENTS = (
    ("Giải việt dã truyền thống", "the traditional cross-country race", (5, 6)),
    ("Lễ hội đường phố", "the street festival", (17, 18, 19)),
    ("Giải đua xe đạp", "the cycling race", (6, 7)),
    ("chương trình nghệ thuật đường phố", "the street arts show", (18, 19)),
    ("Ngày hội văn hóa - thể thao", "the culture and sports day", (6, 7, 15)),
)


@_tpl(
    "giao-thong",
    scopes={"province": 0.5, "district": 2, "commune": 1},
    orgs=("CAT", "SGTVT"),
    timing=(2, 10, 0, 1),
    urg=(0.0, 0.2),
    local=0.7,
)
def _t_traffic_event(c: _Ctx) -> _Out:
    event, event_en, hours = c.pick(_EVENTS)
    h1 = c.r.choice(hours)
    title = (
        f"Phân luồng giao thông phục vụ {event}{c.loc_vi} ngày {_d(c.d0)}",
        f"Traffic arrangements for {event_en}{c.loc_en} on {_d(c.d0)}",
    )
    summary = (
        f"Cấm phương tiện cơ giới trên một số tuyến đường từ {h1} giờ đến {h1 + 4} giờ ngày {_d(c.d0)}.",
        f"Motor vehicles are barred from some streets from {h1}:00 to {h1 + 4}:00 on {_d(c.d0)}.",
    )
    body = [
        (
            f"Để phục vụ {event} {c.area_vi}, {c.org_vi} thông báo tạm cấm phương tiện cơ giới (trừ xe ưu "
            f"tiên) trên các tuyến đường tổ chức sự kiện từ {h1} giờ đến {h1 + 4} giờ ngày {_d(c.d0)}.",
            f"For {event_en} {c.area_en}, {c.org_en} bars motor vehicles (except emergency vehicles) from the "
            f"event route from {h1}:00 to {h1 + 4}:00 on {_d(c.d0)}.",
        ),
        (
            "Người tham gia giao thông đi theo hướng dẫn của lực lượng Cảnh sát giao thông và biển báo phân "
            "luồng; gửi xe tại các bãi giữ xe được bố trí quanh khu vực sự kiện.",
            "Road users should follow traffic police and diversion signs, and park at the car "
            "parks around the event area.",
        ),
    ]
    return _out(title, summary, body)


def _before_licence_transfer(day: date) -> bool:
    return day < _MERGE_DATE


@_tpl(
    "giao-thong",
    scopes={"province": 3},
    orgs=("SGTVT",),
    season=_before_licence_transfer,
    timing=(0, 5, 30, 90),
    urg=(0.0, 0.1),
    local=0.0,
)
def _t_licence(c: _Ctx) -> _Out:
    title = (
        f"Cấp đổi giấy phép lái xe trực tuyến trên Cổng Dịch vụ công quốc gia (cập nhật {_my(c.day)})",
        f"Renewing driving licences online on the National Public Services Portal ({_mon_en(c.day)} update)",
    )
    summary = (
        "Người dân đổi giấy phép lái xe trực tuyến, nhận kết quả qua bưu điện; lệ phí 135.000 đồng.",
        "Driving licences can be renewed online and delivered by post; the fee is 135,000 dong.",
    )
    body = [
        (
            f"{c.org_vi} khuyến khích người dân thực hiện cấp đổi giấy phép lái xe trực "
            "tuyến, không phải đến trụ sở.",
            f"{c.org_en_cap} encourages drivers to renew their licences online instead of visiting the office.",
        ),
        _bullets(
            [
                (
                    "Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử VNeID.",
                    "Log in to the National Public Services Portal with your VNeID account.",
                ),
                (
                    "Khai báo thông tin, tải ảnh chân dung và giấy khám sức khỏe (đã liên thông điện tử).",
                    "Fill in the form and upload a portrait and the electronically linked health certificate.",
                ),
                (
                    "Nộp lệ phí 135.000 đồng trực tuyến và chọn nhận kết quả qua dịch vụ bưu chính.",
                    "Pay the 135,000 dong fee online and choose delivery by post.",
                ),
            ]
        ),
        (
            "Giấy phép lái xe bằng giấy bìa được khuyến khích đổi sang thẻ vật liệu PET.",
            "Holders of old paper licences are encouraged to switch to the PET card.",
        ),
        _LINK_DVC_QG,
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# hanh-chinh-cong: public administration
# ---------------------------------------------------------------------------


def _month_of(c: _Ctx) -> tuple[date, date]:
    """The month a monthly schedule published on ``c.day`` is about."""
    first = date(c.day.year, c.day.month, 1)
    if c.day.day > 10:
        first = (first + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _workday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@_tpl(
    "hanh-chinh-cong",
    scopes={"district": 3},
    committee_only=True,
    timing=(0, 20, 28, 31),
    urg=(0.0, 0.05),
    local=1.0,
)
def _t_reception_district(c: _Ctx) -> _Out:
    first, last = _month_of(c)
    doms = c.pick(((10, 25), (5, 20), (15, 28)))
    days = sorted({_workday_on_or_after(first.replace(day=dom)) for dom in doms})
    days_vi = " và ".join(_d(x) for x in days)
    days_en = " and ".join(_d(x) for x in days)
    weekday = c.r.randrange(0, 5)
    title = (
        f"{c.org_vi} thông báo lịch tiếp công dân tháng {_my(first)}",
        f"{_cap(c.org_en)}: citizen reception schedule for {_mon_en(first)}",
    )
    summary = (
        f"Chủ tịch UBND tiếp công dân định kỳ các ngày {days_vi} tại Trụ sở Tiếp công dân {c.place_vi}.",
        f"The chairperson receives citizens on {days_en} at the {c.place_en} citizen reception office.",
    )
    body = [
        (
            f"{c.org_vi} thông báo lịch tiếp công dân định kỳ tháng {_my(first)} như sau:",
            f"{c.org_en_cap} announces its citizen reception schedule for {_mon_en(first)}:",
        ),
        _bullets(
            [
                (
                    f"Chủ tịch UBND {c.place_vi} tiếp công dân vào các ngày {days_vi}.",
                    f"The chairperson of the {c.place_en} People's Committee receives citizens on {days_en}.",
                ),
                (
                    f"Các Phó Chủ tịch tiếp công dân vào {_WEEKDAYS_VI[weekday]} hằng tuần.",
                    f"Vice-chairpersons receive citizens every {_WEEKDAYS_EN[weekday]}.",
                ),
                (
                    "Buổi sáng từ 7 giờ 30 đến 11 giờ; buổi chiều từ 13 giờ 30 đến 16 giờ 30.",
                    "Mornings 7:30 to 11:00, afternoons 13:30 to 16:30.",
                ),
            ]
        ),
        (
            "Công dân mang theo căn cước và các giấy tờ liên quan. Kiến nghị, phản ánh cũng có thể gửi qua ứng "
            "dụng Smart Quảng Nam hoặc qua dịch vụ bưu chính.",
            "Please bring your ID card and any related papers. Petitions and feedback can also be sent "
            "through the Smart Quang Nam app or by post.",
        ),
    ]
    return _out(title, summary, body, last)


@_tpl(
    "hanh-chinh-cong",
    scopes={"province": 3},
    orgs=("VPUBND", "TTT"),
    timing=(0, 20, 28, 31),
    urg=(0.0, 0.05),
    local=0.0,
)
def _t_reception_province(c: _Ctx) -> _Out:
    first, last = _month_of(c)
    day = _workday_on_or_after(first.replace(day=c.r.choice((12, 15, 18))))
    title = (
        f"Lịch tiếp công dân định kỳ của lãnh đạo UBND tỉnh tháng {_my(first)}",
        f"Provincial leaders' citizen reception schedule, {_mon_en(first)}",
    )
    summary = (
        f"Chủ tịch UBND tỉnh tiếp công dân ngày {_d(day)} tại Trụ sở Ban Tiếp công "
        "dân tỉnh (thành phố Tam Kỳ).",
        f"The chairperson of the Provincial People's Committee receives citizens on {_d(day)} at the "
        "provincial citizen reception office in Tam Ky.",
    )
    body = [
        (
            f"Chủ tịch UBND tỉnh tiếp công dân định kỳ tháng {_my(first)} vào ngày {_d(day)} tại Trụ sở Ban "
            "Tiếp công dân tỉnh, thành phố Tam Kỳ. Ban Tiếp công dân tỉnh tiếp công dân thường xuyên vào "
            "các ngày làm việc trong tuần.",
            f"The provincial chairperson's regular reception for {_mon_en(first)} is on {_d(day)} "
            "at the provincial citizen reception office in Tam Ky. The office also receives "
            "citizens on every working day.",
        ),
        (
            "Công dân đăng ký trước tại Ban Tiếp công dân tỉnh, mang theo căn cước và hồ sơ, tài liệu liên "
            "quan; trường hợp đông người cùng nội dung thì cử đại diện không quá 05 người.",
            "Please register in advance, bring your ID card and documents; groups raising the same issue "
            "should send no more than five representatives.",
        ),
    ]
    return _out(title, summary, body, last)


def _holiday_season(day: date) -> bool:
    tet = _next_tet(day)
    if tet is not None and 3 <= (tet - day).days <= 25:
        return True
    md = (day.month, day.day)
    return (4, 10) <= md <= (4, 27) or (8, 15) <= md <= (8, 30) or (12, 15) <= md <= (12, 29)


@_tpl(
    "hanh-chinh-cong",
    scopes={"province": 2, "district": 2},
    orgs=("VPUBND",),
    season=_holiday_season,
    timing=(3, 20, 1, 7),
    urg=(0.0, 0.1),
    local=0.7,
)
def _t_holiday(c: _Ctx) -> _Out:
    # The nearest holiday ahead of the publication date.
    tet = _next_tet(c.day)
    may = _next_anchor(c.day, 4, 30)
    national = _next_anchor(c.day, 9, 1)
    new_year = _next_anchor(c.day, 1, 1)
    starts = [may, national, new_year] + ([tet - timedelta(days=2)] if tet is not None else [])
    start = min(starts)
    if tet is not None and start == tet - timedelta(days=2):
        end = tet + timedelta(days=4)
        name = (f"Tết Nguyên đán {_can_chi(tet.year)} {tet.year}", f"the {tet.year} Lunar New Year (Tet)")
    elif start == may:
        end = start + timedelta(days=1)
        name = (
            f"Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5 năm {start.year}",
            f"Reunification Day and May Day {start.year}",
        )
    elif start == national:
        end = start + timedelta(days=1)
        name = (f"Quốc khánh 2/9 năm {start.year}", f"National Day {start.year}")
    else:
        end = start
        name = (f"Tết Dương lịch {start.year}", f"New Year's Day {start.year}")
    if start == end:
        when_vi, when_en = f"ngày {_d(start)}", f"on {_d(start)}"
    else:
        when_vi, when_en = f"từ ngày {_d(start)} đến hết ngày {_d(end)}", f"from {_d(start)} to {_d(end)}"
    title = (
        f"Lịch nghỉ {name[0]} và tiếp nhận hồ sơ hành chính{c.loc_vi}",
        f"Office closures for {name[1]} and handling of applications{c.loc_en}",
    )
    summary = (
        f"Bộ phận Một cửa nghỉ {when_vi}; hồ sơ trực tuyến vẫn được tiếp nhận.",
        f"One-stop desks close {when_en}; online applications are still accepted.",
    )
    body = [
        (
            "Thực hiện quy định về nghỉ lễ, Tết, cán bộ, công chức, viên chức "
            f"{c.area_vi} nghỉ {name[0]} {when_vi}.",
            f"Civil servants {c.area_en} are off for {name[1]} {when_en}.",
        ),
        (
            "Trong thời gian nghỉ, Bộ phận Một cửa tạm ngừng tiếp nhận hồ sơ trực tiếp. Hồ sơ nộp trực tuyến "
            "qua Cổng Dịch vụ công vẫn được tiếp nhận và xử lý từ ngày làm việc đầu tiên sau kỳ nghỉ. Các cơ "
            "quan bố trí lịch trực, bảo đảm xử lý công việc đột xuất.",
            "One-stop desks do not take applications in person during the holiday. Online applications "
            "are accepted and will be processed from the first working day afterwards. Offices keep "
            "duty staff for urgent matters.",
        ),
        _LINK_DVC_QN,
    ]
    return _out(title, summary, body, end)


_SERVICES = (
    ("đăng ký khai sinh", "birth registration"),
    ("cấp phiếu lý lịch tư pháp", "criminal record certificates"),
    ("chứng thực bản sao điện tử từ bản chính", "electronic certified copies"),
    ("cấp giấy phép xây dựng nhà ở riêng lẻ", "building permits for houses"),
    ("đăng ký hộ kinh doanh", "household business registration"),
    ("cấp giấy xác nhận tình trạng hôn nhân", "certificates of marital status"),
)


@_tpl(
    "hanh-chinh-cong",
    scopes={"province": 2, "district": 2, "commune": 0.5},
    orgs=("VPUBND",),
    timing=(0, 7, 30, 120),
    urg=(0.0, 0.1),
    local=0.6,
)
def _t_online_services(c: _Ctx) -> _Out:
    picks = c.r.sample(_SERVICES, k=3)
    focus, focus_en = picks[0]
    title = (
        f"Khuyến khích người dân nộp hồ sơ {focus} trực tuyến{c.loc_vi}",
        f"Apply online for {focus_en}{c.loc_en}",
    )
    summary = (
        "Nộp hồ sơ trực tuyến toàn trình, theo dõi tiến độ và nhận kết quả tại nhà, "
        "không phải đến Bộ phận Một cửa.",
        "Apply fully online, track your file and receive the result at home "
        "without visiting a one-stop desk.",
    )
    body = [
        (
            f"Nhằm giảm thời gian đi lại và chi phí cho người dân, {c.org_vi} khuyến khích thực hiện thủ tục "
            f"hành chính trên môi trường điện tử {c.area_vi}, trong đó có các thủ tục:",
            f"To save residents time and travel costs, {c.org_en} encourages online "
            f"applications {c.area_en}, including:",
        ),
        _bullets([(_cap(a) + ".", _cap(b) + ".") for a, b in picks]),
        (
            "Người dân đăng nhập bằng tài khoản định danh điện tử VNeID; kết quả được trả qua dịch vụ bưu "
            "chính công ích hoặc bản điện tử trong kho dữ liệu cá nhân.",
            "Log in with your VNeID account; results are sent by public postal service or stored as an "
            "electronic copy in your personal data store.",
        ),
        _LINK_DVC_QN,
    ]
    return _out(title, summary, body)


@_tpl(
    "hanh-chinh-cong",
    scopes={"province": 1.5, "district": 1.5, "commune": 2},
    orgs=("CAT",),
    timing=(2, 8, 1, 5),
    urg=(0.0, 0.2),
    local=0.6,
)
def _t_id_card(c: _Ctx) -> _Out:
    new_law = c.day >= date(2024, 7, 1)
    if new_law:
        card = ("thẻ căn cước", "ID card")
    else:
        card = ("thẻ căn cước công dân gắn chip", "chip-based citizen ID card")
    if c.scope == "province":
        title = (
            f"Hướng dẫn kích hoạt tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID ({_my(c.day)})",
            f"How to activate a level 2 electronic identity account in VNeID ({_mon_en(c.day)})",
        )
        summary = (
            "Tài khoản định danh điện tử mức độ 2 dùng để đăng nhập dịch vụ công, tích hợp giấy tờ và thay "
            "thế giấy tờ bản giấy khi làm thủ tục.",
            "A level 2 electronic identity account lets you log in to public services, store your documents "
            "and use them instead of paper copies.",
        )
        body = [
            (
                f"{c.org_vi} hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2:",
                f"{c.org_en_cap} explains how to activate a level 2 electronic identity account:",
            ),
            _bullets(
                [
                    (
                        f"Đến Công an xã, phường, thị trấn nơi cư trú hoặc điểm làm thủ tục cấp {card[0]}, mang "
                        f"theo {card[0]} và điện thoại thông minh.",
                        "Go to your commune or ward police station or an ID card point with your "
                        f"{card[1]} and a smartphone.",
                    ),
                    (
                        "Cán bộ thu nhận ảnh chân dung, vân tay và gửi đề nghị kích hoạt.",
                        "Officers take your photo and fingerprints and submit the request.",
                    ),
                    (
                        "Cài đặt ứng dụng VNeID từ App Store hoặc Google Play, nhập mã kích hoạt nhận qua tin nhắn.",
                        "Install VNeID from the App Store or Google Play and enter the "
                        "activation code sent by SMS.",
                    ),
                ]
            ),
            (
                "Lực lượng Công an không gọi điện yêu cầu cài đặt ứng dụng hay cung cấp mã OTP; người dân cảnh "
                "giác với các cuộc gọi giả mạo.",
                "The police never call to ask you to install apps or give OTP codes; beware of impostors.",
            ),
        ]
        return _out(title, summary, body)
    short = "căn cước" if new_law else "căn cước công dân"
    title = (
        f"Cấp {short} lưu động{c.loc_vi} từ ngày {_dm(c.d0)} đến ngày {_d(c.d1)}",
        f"Mobile {card[1]} service{c.loc_en} from {_dm(c.d0)} to {_d(c.d1)}",
    )
    summary = (
        f"Làm thủ tục cấp, đổi {card[0]} và kích hoạt VNeID mức độ 2 ngay tại địa phương, "
        "kể cả ngày thứ Bảy, Chủ nhật.",
        f"Apply for or renew your {card[1]} and activate VNeID level 2 locally, weekends included.",
    )
    body = [
        (
            f"Công an tổ chức cấp {card[0]} lưu động {c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, buổi "
            "sáng từ 7 giờ 30, buổi chiều từ 13 giờ 30, làm việc cả ngày thứ Bảy và Chủ nhật.",
            f"The police run a mobile {card[1]} service {c.area_en} from {_d(c.d0)} to {_d(c.d1)}, from 7:30 "
            "in the morning and 13:30 in the afternoon, weekends included.",
        ),
        _bullets(
            [
                (
                    "Công dân từ đủ 14 tuổi chưa được cấp thẻ hoặc thẻ sắp hết hạn.",
                    "Citizens aged 14 and over without a card or whose card is about to expire.",
                ),
                (
                    "Người cao tuổi, người khuyết tật không tự đi lại được sẽ được cán bộ đến tận nhà.",
                    "Officers visit older people and people with disabilities who cannot travel.",
                ),
                (
                    "Trẻ em dưới 14 tuổi có thể làm thủ tục khi cha mẹ có nhu cầu.",
                    "Children under 14 can apply at their parents' request.",
                ),
            ]
        )
        if new_law
        else _bullets(
            [
                (
                    "Công dân từ đủ 14 tuổi chưa được cấp thẻ hoặc thẻ sắp hết hạn.",
                    "Citizens aged 14 and over without a card or whose card is about to expire.",
                ),
                (
                    "Người cao tuổi, người khuyết tật không tự đi lại được sẽ được cán bộ đến tận nhà.",
                    "Officers visit older people and people with disabilities who cannot travel.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


_CONSULT = (
    (
        "dự thảo Đề án phát triển du lịch cộng đồng vùng miền núi",
        "the draft scheme on community tourism in the mountains",
    ),
    ("dự thảo Kế hoạch sử dụng đất năm {y}", "the draft land-use plan for {y}"),
    (
        "phương án đặt tên đường, phố và công trình công cộng",
        "the proposed names of streets and public places",
    ),
    (
        "dự thảo quy định quản lý, vận hành công trình cấp nước sinh hoạt nông thôn",
        "the draft rules on running rural water supply schemes",
    ),
    (
        "dự thảo Nghị quyết quy định mức thu học phí năm học {sy}",
        "the draft resolution on school fees for {sy}",
    ),
    ("dự thảo Quyết định điều chỉnh bảng giá đất", "the draft decision adjusting the land price table"),
)


@_tpl(
    "hanh-chinh-cong",
    scopes={"province": 2, "district": 1.5, "commune": 0.5},
    orgs=("VPUBND", "STP"),
    timing=(0, 3, 10, 30),
    urg=(0.0, 0.1),
    local=0.6,
)
def _t_consultation(c: _Ctx) -> _Out:
    subject, subject_en = c.pick(_CONSULT)
    sy = _school_year(c.day + timedelta(days=120))
    y = c.day.year + 1
    subject, subject_en = subject.format(y=y, sy=sy), subject_en.format(y=y, sy=sy)
    title = (f"Lấy ý kiến nhân dân về {subject}{c.loc_vi}", f"Public consultation on {subject_en}{c.loc_en}")
    summary = (
        f"Người dân, tổ chức góp ý đến hết ngày {_d(c.d1)} trực tiếp tại Bộ phận Một cửa hoặc "
        "qua ứng dụng Smart Quảng Nam.",
        f"Comments are welcome until {_d(c.d1)} at one-stop desks or through the Smart Quang Nam app.",
    )
    body = [
        (
            f"{c.org_vi} lấy ý kiến rộng rãi của nhân dân, tổ chức, doanh nghiệp {c.area_vi} về {subject}. "
            f"Thời gian lấy ý kiến từ ngày {_d(c.d0)} đến hết ngày {_d(c.d1)}.",
            f"{c.org_en_cap} invites residents, organisations and businesses {c.area_en} to comment on "
            f"{subject_en} from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        (
            "Ý kiến góp ý gửi bằng văn bản đến Bộ phận Một cửa, qua mục Góp ý trên ứng dụng Smart Quảng Nam "
            "hoặc tại các buổi họp thôn, tổ dân phố.",
            "Send written comments to a one-stop desk, through the Feedback section of the Smart Quang Nam "
            "app or at village and neighbourhood meetings.",
        ),
        _LINK_PORTAL,
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# kinh-te: economy, investment, trade
# ---------------------------------------------------------------------------

_FAIRS = (
    ("Hội chợ Thương mại - Du lịch Quảng Nam", "Quang Nam Trade and Tourism Fair"),
    ("Hội chợ sản phẩm OCOP và hàng Việt Nam", "OCOP and Vietnamese Products Fair"),
    ("Hội chợ Nông nghiệp - Công nghiệp - Thương mại", "Agriculture, Industry and Trade Fair"),
    ("Tuần lễ giới thiệu sản phẩm đặc sản miền núi", "Mountain Specialities Week"),
    ("Phiên chợ hàng Việt về miền núi", "Vietnamese Goods Fair for the Mountains"),
)


@_tpl(
    "kinh-te",
    scopes={"province": 2, "district": 1.5},
    orgs=("SCT",),
    timing=(5, 20, 3, 6),
    urg=(0.0, 0.05),
    local=0.5,
)
def _t_trade_fair(c: _Ctx) -> _Out:
    fair, fair_en = c.pick(_FAIRS)
    if c.scope == "province" or c.district is None:
        venue = ("Quảng trường 24/3, thành phố Tam Kỳ", "24 March Square, Tam Ky")
    else:
        venue = (f"trung tâm {c.district.vi}", f"the centre of {c.district.en}")
    booths = c.r.randrange(120, 400, 10) if c.scope == "province" else c.r.randrange(40, 150, 5)
    title = (f"{fair} năm {c.d0.year}{c.loc_vi}", f"{fair_en} {c.d0.year}{c.loc_en}")
    summary = (
        f"Diễn ra từ ngày {_d(c.d0)} đến ngày {_d(c.d1)} tại {venue[0]}, với khoảng {booths} gian hàng.",
        f"From {_d(c.d0)} to {_d(c.d1)} at {venue[1]}, with about {booths} stands.",
    )
    body = [
        (
            f"{c.org_vi} tổ chức {fair} năm {c.d0.year} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)} tại "
            f"{venue[0]}. Hội chợ có khoảng {booths} gian hàng của doanh nghiệp, hợp tác xã và hộ "
            "kinh doanh trong và ngoài tỉnh.",
            f"{c.org_en_cap} holds the {fair_en} {c.d0.year} from {_d(c.d0)} to {_d(c.d1)} at {venue[1]}, "
            f"with about {booths} stands from businesses, cooperatives and family producers.",
        ),
        (
            "Sản phẩm tiêu biểu: sâm Ngọc Linh, quế Trà My, gốm Thanh Hà, đèn lồng Hội An, mì Quảng, bánh "
            "tráng Đại Lộc, mật ong rừng và các sản phẩm OCOP đạt 3 sao trở lên.",
            "Highlights include Ngoc Linh ginseng, Tra My cinnamon, Thanh Ha pottery, Hoi An lanterns, Quang "
            "noodles, Dai Loc rice paper, wild honey and OCOP products rated three stars or more.",
        ),
        (
            "Hội chợ mở cửa từ 8 giờ đến 22 giờ hằng ngày, miễn phí vé vào cửa.",
            "Open daily from 8:00 to 22:00; admission is free.",
        ),
    ]
    return _out(title, summary, body)


_INVEST = (
    (
        "Hội nghị xúc tiến đầu tư vào Khu kinh tế mở Chu Lai",
        "Investment promotion conference for the Chu Lai Open Economic Zone",
    ),
    (
        "Hội nghị đối thoại giữa chính quyền tỉnh và doanh nghiệp năm {y}",
        "Provincial government-business dialogue {y}",
    ),
    ("Công bố danh mục dự án kêu gọi đầu tư năm {y}", "List of projects open to investors in {y}"),
    ("Hội nghị gặp gỡ nhà đầu tư Nhật Bản và Hàn Quốc", "Meeting with Japanese and Korean investors"),
)


@_tpl(
    "kinh-te",
    scopes={"province": 3},
    orgs=("SKHDT", "BXTDT", "BQLKKTKCN"),
    timing=(7, 25, 0, 1),
    urg=(0.0, 0.1),
    local=0.0,
)
def _t_investment(c: _Ctx) -> _Out:
    name, name_en = c.pick(_INVEST)
    name, name_en = name.format(y=c.d0.year), name_en.format(y=c.d0.year)
    reg = c.d0 - timedelta(days=c.r.randint(2, 5))
    if reg < c.day:
        reg = c.d0
    title = (f"{name}{c.loc_vi}", f"{name_en}{c.loc_en}")
    summary = (
        f"Tổ chức ngày {_d(c.d0)}; doanh nghiệp đăng ký tham dự trước ngày {_d(reg)}.",
        f"To be held on {_d(c.d0)}; businesses should register by {_d(reg)}.",
    )
    body = [
        (
            f"{c.org_vi} thông báo tổ chức {name[0].lower()}{name[1:]} vào ngày "
            f"{_d(c.d0)} tại thành phố Tam Kỳ.",
            f"{c.org_en_cap} will hold this event on {_d(c.d0)} in Tam Ky.",
        ),
        ("Lĩnh vực ưu tiên thu hút đầu tư:", "Priority sectors:"),
        _bullets(
            [
                (
                    "Cơ khí ô tô, công nghiệp hỗ trợ tại Khu kinh tế mở Chu Lai.",
                    "Automotive engineering and supporting industries in the Chu Lai Open Economic Zone.",
                ),
                (
                    "Logistics gắn với cảng Chu Lai và Cảng hàng không Chu Lai.",
                    "Logistics linked to Chu Lai port and Chu Lai airport.",
                ),
                (
                    "Du lịch nghỉ dưỡng ven biển, du lịch sinh thái miền núi.",
                    "Coastal resorts and mountain eco-tourism.",
                ),
                (
                    "Công nghiệp chế biến nông, lâm sản và dược liệu.",
                    "Processing of farm and forest products and medicinal plants.",
                ),
            ]
        ),
        (
            f"Doanh nghiệp, nhà đầu tư đăng ký tham dự trước ngày {_d(reg)}.",
            f"Businesses and investors should register by {_d(reg)}.",
        ),
        _LINK_PORTAL,
    ]
    return _out(title, summary, body, c.d0)


@_tpl(
    "kinh-te",
    scopes={"province": 2, "district": 2},
    orgs=("SNNPTNT", "SCT"),
    timing=(10, 30, 0, 1),
    urg=(0.0, 0.1),
    local=0.7,
)
def _t_ocop(c: _Ctx) -> _Out:
    round_no = 1 if c.day.month <= 6 else 2
    title = (
        f"Đăng ký đánh giá, phân hạng sản phẩm OCOP đợt {round_no} năm {c.day.year}{c.loc_vi}",
        f"OCOP product rating, round {round_no} of {c.day.year}: registration open{c.loc_en}",
    )
    summary = (
        f"Chủ thể sản xuất đăng ký sản phẩm tham gia đánh giá, phân hạng OCOP trước ngày {_d(c.d0)}.",
        f"Producers can register products for OCOP rating until {_d(c.d0)}.",
    )
    body = [
        (
            f"Thực hiện Chương trình Mỗi xã một sản phẩm (OCOP), {c.org_vi} thông báo tổ chức đánh giá, phân "
            f"hạng sản phẩm OCOP đợt {round_no} năm {c.day.year} {c.area_vi}.",
            f"Under the One Commune One Product (OCOP) programme, {c.org_en} opens round {round_no} of the "
            f"{c.day.year} OCOP rating {c.area_en}.",
        ),
        _bullets(
            [
                (
                    "Đối tượng: hợp tác xã, doanh nghiệp nhỏ và vừa, tổ hợp tác và hộ "
                    "sản xuất có đăng ký kinh doanh.",
                    "Open to cooperatives, small businesses, cooperative groups and "
                    "registered household producers.",
                ),
                (
                    "Sản phẩm có nguồn gốc rõ ràng, nhãn mác, công bố chất lượng và bảo đảm an toàn thực phẩm.",
                    "Products must have a known origin, labels, a quality declaration and meet food safety rules.",
                ),
                (
                    f"Hạn nộp phiếu đăng ký và hồ sơ sản phẩm: {_d(c.d0)}.",
                    f"Deadline for registration forms and product files: {_d(c.d0)}.",
                ),
            ]
        ),
        (
            "Sản phẩm đạt từ 3 sao trở lên được hỗ trợ xúc tiến thương mại, tham gia hội "
            "chợ và sàn thương mại điện tử.",
            "Products rated three stars or more get trade promotion support and places at fairs "
            "and on e-commerce platforms.",
        ),
    ]
    return _out(title, summary, body, c.d0)


@_tpl(
    "kinh-te",
    scopes={"province": 2, "district": 1},
    orgs=("SCT",),
    season=_before_tet(45, 5),
    timing=(0, 3, 30, 45),
    urg=(0.0, 0.1),
    local=0.4,
)
def _t_price_stabilisation(c: _Ctx) -> _Out:
    tet = _next_tet(c.day) or c.day
    year_name = _can_chi(tet.year)
    title = (
        "Chương trình bình ổn thị trường hàng hóa thiết yếu dịp Tết Nguyên đán "
        f"{year_name} {tet.year}{c.loc_vi}",
        f"Price stabilisation programme for essential goods before Tet {tet.year}{c.loc_en}",
    )
    summary = (
        "Các điểm bán hàng bình ổn giá cung ứng gạo, thịt, thực phẩm chế biến, rau củ "
        "với giá thấp hơn thị trường.",
        "Price-stabilised outlets sell rice, meat, processed food and vegetables below market prices.",
    )
    body = [
        (
            f"Để bảo đảm cung ứng hàng hóa dịp Tết Nguyên đán {year_name}, {c.org_vi} triển khai chương trình "
            f"bình ổn thị trường {c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(tet + timedelta(days=15))}.",
            f"To keep goods in supply for Tet {tet.year}, {c.org_en} runs a price stabilisation programme "
            f"{c.area_en} from {_d(c.d0)} to {_d(tet + timedelta(days=15))}.",
        ),
        _bullets(
            [
                (
                    "Mặt hàng: gạo, thịt lợn, thịt gia cầm, trứng, thực phẩm chế biến, rau củ quả.",
                    "Goods: rice, pork, poultry, eggs, processed food, fruit and vegetables.",
                ),
                (
                    "Điểm bán: siêu thị, cửa hàng tiện lợi, chợ truyền thống và các chuyến "
                    "bán hàng lưu động về miền núi.",
                    "Outlets: supermarkets, convenience stores, traditional markets and mobile "
                    "sales trips to the mountains.",
                ),
                (
                    "Người dân phát hiện hàng giả, hàng kém chất lượng, tăng giá bất hợp lý xin phản ánh "
                    "qua ứng dụng Smart Quảng Nam.",
                    "Please report counterfeit or substandard goods and unjustified price rises "
                    "through the Smart Quang Nam app.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, tet + timedelta(days=15))


# ---------------------------------------------------------------------------
# tai-chinh: budget, taxes, fees
# ---------------------------------------------------------------------------


@_tpl(
    "tai-chinh",
    scopes={"province": 3, "district": 0.5},
    orgs=("CTHUE", "STC"),
    season=_window(((1, 5), (4, 25))),
    timing=(10, 60, 0, 1),
    urg=(0.0, 0.3),
    local=0.0,
)
def _t_pit(c: _Ctx) -> _Out:
    y = c.day.year if c.day.month <= 5 else c.day.year + 1  # the year of the filing deadline
    title = (
        f"Hướng dẫn quyết toán thuế thu nhập cá nhân năm {y - 1}{c.loc_vi}",
        f"Guide to the {y - 1} personal income tax settlement{c.loc_en}",
    )
    summary = (
        f"Cá nhân tự quyết toán thuế TNCN năm {y - 1} chậm nhất ngày 30/04/{y}; nộp trực "
        "tuyến qua ứng dụng eTax Mobile.",
        f"Individuals settling their own {y - 1} income tax must file by "
        f"30/04/{y}, online through eTax Mobile.",
    )
    body = [
        (
            f"{c.org_vi} hướng dẫn quyết toán thuế thu nhập cá nhân năm {y - 1}:",
            f"{c.org_en_cap} explains the {y - 1} personal income tax settlement:",
        ),
        _bullets(
            [
                (
                    f"Tổ chức trả thu nhập quyết toán thay cho người lao động chậm nhất ngày 31/03/{y}.",
                    f"Employers file on behalf of their staff by 31/03/{y}.",
                ),
                (
                    f"Cá nhân trực tiếp quyết toán chậm nhất ngày 30/04/{y}; nếu trùng ngày nghỉ "
                    "thì là ngày làm việc tiếp theo.",
                    f"Individuals who file themselves must do so by 30/04/{y}, or the next "
                    "working day if it is a holiday.",
                ),
                (
                    "Người nộp thuế được hoàn thuế nộp thừa trực tuyến về tài khoản ngân hàng chính chủ.",
                    "Overpaid tax is refunded online to the taxpayer's own bank account.",
                ),
            ]
        ),
        (
            "Khai và nộp hồ sơ trên [Cổng thuế điện tử](https://thuedientu.gdt.gov.vn) hoặc ứng dụng eTax "
            "Mobile. Cơ quan thuế không gọi điện yêu cầu cài đặt ứng dụng lạ để hoàn thuế.",
            "File on the [e-tax portal](https://thuedientu.gdt.gov.vn) or in eTax Mobile. Tax officers never "
            "call asking you to install unknown apps for refunds.",
        ),
    ]
    return _out(title, summary, body, date(y, 5, 5))


@_tpl(
    "tai-chinh",
    scopes={"province": 1, "district": 2, "commune": 1},
    orgs=("CTHUE", "STC"),
    season=_window(((8, 15), (10, 25))),
    timing=(10, 60, 0, 1),
    urg=(0.0, 0.3),
    local=0.5,
)
def _t_land_tax(c: _Ctx) -> _Out:
    y = c.day.year
    title = (
        f"Nộp thuế sử dụng đất phi nông nghiệp năm {y}{c.loc_vi}",
        f"Paying the {y} non-agricultural land use tax{c.loc_en}",
    )
    summary = (
        f"Hạn nộp thuế sử dụng đất phi nông nghiệp năm {y} là ngày 31/10/{y}; có thể nộp qua ứng "
        "dụng ngân hàng hoặc eTax Mobile.",
        f"The {y} non-agricultural land use tax is due on 31/10/{y} and can be paid "
        "by banking app or eTax Mobile.",
    )
    body = [
        (
            f"{c.org_vi} đề nghị hộ gia đình, cá nhân {c.area_vi} nộp thuế sử dụng đất phi nông nghiệp năm "
            f"{y} chậm nhất ngày 31/10/{y}.",
            f"{c.org_en_cap} reminds households {c.area_en} that the {y} non-agricultural land "
            f"use tax is due by 31/10/{y}.",
        ),
        _bullets(
            [
                (
                    "Nộp qua ứng dụng ngân hàng, ứng dụng eTax Mobile hoặc Cổng Dịch vụ công quốc gia.",
                    "Pay with a banking app, eTax Mobile or the National Public Services Portal.",
                ),
                (
                    "Nộp tại ngân hàng thương mại hoặc điểm thu của UBND cấp xã.",
                    "Or pay at a commercial bank or at the commune People's Committee collection point.",
                ),
                (
                    "Quá hạn nộp sẽ bị tính tiền chậm nộp 0,03%/ngày trên số tiền thuế chậm nộp.",
                    "Late payment incurs a charge of 0.03% of the overdue amount per day.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, date(y, 10, 31))


@_tpl(
    "tai-chinh",
    scopes={"province": 2, "district": 2},
    orgs=("STC",),
    season=_window(((12, 10), (1, 31)), ((7, 5), (7, 31))),
    timing=(0, 5, 30, 90),
    urg=(0.0, 0.03),
    local=0.8,
)
def _t_budget(c: _Ctx) -> _Out:
    if c.day.month == 7:
        total = c.r.randrange(9_000, 14_000, 10) if c.scope == "province" else c.r.randrange(150, 1_400, 5)
        pct = c.r.randint(45, 62)
        title = (
            f"Công khai tình hình thực hiện dự toán ngân sách 6 tháng đầu năm {c.day.year}{c.loc_vi}",
            f"Budget execution report for the first half of {c.day.year}{c.loc_en}",
        )
        lead = (
            f"Thu ngân sách nhà nước 6 tháng đầu năm {c.day.year} {c.area_vi} ước đạt {_int_vi(total)} tỷ "
            f"đồng, bằng {pct}% dự toán năm.",
            f"State budget revenue {c.area_en} in the first half of {c.day.year} is estimated at {total:,} "
            f"billion dong, {pct}% of the annual estimate.",
        )
    else:
        year = c.day.year + 1 if c.day.month == 12 else c.day.year
        total = c.r.randrange(21_000, 28_000, 10) if c.scope == "province" else c.r.randrange(300, 3_000, 5)
        title = (
            f"Công khai dự toán ngân sách năm {year}{c.loc_vi}",
            f"Publication of the {year} budget{c.loc_en}",
        )
        lead = (
            f"Dự toán thu ngân sách nhà nước năm {year} {c.area_vi} là {_int_vi(total)} tỷ đồng, đã được "
            "Hội đồng nhân dân cùng cấp thông qua.",
            f"The {year} state budget revenue estimate {c.area_en} is {total:,} billion dong, as "
            "approved by the People's Council.",
        )
    summary = (
        f"{c.org_vi} công khai số liệu ngân sách {c.area_vi} theo quy định của Luật Ngân sách nhà nước.",
        f"{c.org_en_cap} publishes budget figures {c.area_en} as required by the State Budget Law.",
    )
    body = [
        lead,
        ("Các khoản chi chủ yếu:", "Main spending items:"),
        _bullets(
            [
                (
                    "Chi đầu tư phát triển, ưu tiên giao thông, thủy lợi và hạ tầng vùng miền núi.",
                    "Capital investment, with priority for roads, irrigation and mountain infrastructure.",
                ),
                (
                    "Chi sự nghiệp giáo dục - đào tạo, y tế và bảo đảm an sinh xã hội.",
                    "Education and training, health and social protection.",
                ),
                (
                    "Chi phòng chống thiên tai và dự phòng ngân sách.",
                    "Disaster prevention and the budget reserve.",
                ),
            ]
        ),
        _LINK_PORTAL,
    ]
    return _out(title, summary, body)


@_tpl(
    "tai-chinh",
    scopes={"province": 2, "district": 1.5, "commune": 0.5},
    orgs=("CTHUE", "STC"),
    timing=(0, 7, 20, 60),
    urg=(0.0, 0.15),
    local=0.3,
)
def _t_einvoice(c: _Ctx) -> _Out:
    title = (
        "Triển khai hóa đơn điện tử khởi tạo từ máy tính tiền đối với hộ kinh "
        f"doanh{c.loc_vi} ({_my(c.day)})",
        f"Cash-register e-invoices for household businesses{c.loc_en} ({_mon_en(c.day)})",
    )
    summary = (
        "Hộ, cá nhân kinh doanh nộp thuế theo phương pháp kê khai có doanh thu lớn sử dụng hóa đơn điện "
        "tử khởi tạo từ máy tính tiền.",
        "Household businesses that declare tax and have large revenues must issue "
        "e-invoices from cash registers.",
    )
    body = [
        (
            f"{c.org_vi} đề nghị hộ, cá nhân kinh doanh trong lĩnh vực bán lẻ, ăn uống, nhà hàng, khách sạn "
            f"{c.area_vi} đăng ký sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền trước ngày {_d(c.d1)}.",
            f"{c.org_en_cap} asks household businesses in retail, food service, restaurants and hotels "
            f"{c.area_en} to register for cash-register e-invoices by {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Hóa đơn được chuyển dữ liệu đến cơ quan thuế ngay khi bán hàng, không cần chữ ký số.",
                    "Invoice data goes to the tax authority at the moment of sale, with "
                    "no digital signature needed.",
                ),
                (
                    "Người mua có thể tra cứu hóa đơn bằng mã QR in trên hóa đơn.",
                    "Buyers can check the invoice by scanning its QR code.",
                ),
                (
                    "Cơ quan thuế hỗ trợ miễn phí việc đăng ký và kết nối phần mềm.",
                    "The tax office helps with registration and software connection free of charge.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# du-lich: culture and tourism
# ---------------------------------------------------------------------------

_HERITAGE_DAYS = (
    ((4, 18), "Ngày Quốc tế Di tích và Di chỉ", "the International Day for Monuments and Sites"),
    ((9, 27), "Ngày Du lịch Thế giới", "World Tourism Day"),
    ((11, 23), "Ngày Di sản Văn hóa Việt Nam", "Viet Nam Cultural Heritage Day"),
)
_SITES = {
    "508": (
        "Khu đền tháp Mỹ Sơn",
        "My Son Sanctuary",
        "biểu diễn múa Chăm, trưng bày ảnh tư liệu về quá trình trùng tu các nhóm tháp",
        "Cham dance performances and a photo exhibition on the restoration of the towers",
    ),
    "503": (
        "Khu phố cổ Hội An",
        "Hoi An Ancient Town",
        "hô hát bài chòi, trò chơi dân gian và trình diễn nghề truyền thống",
        "bai choi folk singing, traditional games and craft demonstrations",
    ),
}


def _heritage_season(day: date) -> bool:
    return any(0 <= (_next_anchor(day, m, d) - day).days <= 20 for (m, d), _, _ in _HERITAGE_DAYS)


@_tpl(
    "du-lich",
    scopes={"province": 2, "district": 1},
    orgs=("SVHTTDL",),
    area=frozenset(_SITES),
    season=_heritage_season,
    timing=(0, 20, 0, 1),
    urg=(0.0, 0.05),
    local=0.6,
    weight=0.6,
)
def _t_free_entry(c: _Ctx) -> _Out:
    (m, d), occasion, occasion_en = min(
        _HERITAGE_DAYS, key=lambda h: (_next_anchor(c.day, *h[0]) - c.day).days
    )
    when = _next_anchor(c.day, m, d)
    keys = [k for k in c.keys if k in _SITES] or list(_SITES)
    site, site_en, program, program_en = _SITES[c.pick(keys)]
    title = (
        f"Miễn phí vé tham quan {site} nhân {occasion} {_d(when)}",
        f"Free entry to {site_en} on {occasion_en}, {_d(when)}",
    )
    summary = (
        f"Du khách trong nước và quốc tế được miễn phí vé tham quan {site} trong ngày {_d(when)}.",
        f"Vietnamese and foreign visitors enter {site_en} free of charge on {_d(when)}.",
    )
    body = [
        (
            f"Hưởng ứng {occasion} ({_dm(when)}), {c.org_vi} thông báo miễn phí vé tham quan {site} trong ngày "
            f"{_d(when)}. Mỹ Sơn và Hội An được UNESCO ghi danh là Di sản Văn hóa Thế giới năm 1999.",
            f"To mark {occasion_en} ({_dm(when)}), {c.org_en} announces free entry to {site_en} on "
            f"{_d(when)}. My Son and Hoi An were inscribed as UNESCO World Heritage Sites in 1999.",
        ),
        (f"Trong ngày diễn ra nhiều hoạt động: {program}.", f"The day includes {program_en}."),
        (
            "Du khách giữ gìn vệ sinh, không leo trèo lên di tích và tuân thủ hướng dẫn của ban quản lý.",
            "Please keep the site clean, do not climb on the monuments and follow the staff's instructions.",
        ),
    ]
    return _out(title, summary, body, when)


def _local_event(c: _Ctx) -> tuple[str, str]:
    key = c.district.key if c.district else ""
    if key == "516":
        return "Phiên chợ sâm Ngọc Linh", "Ngoc Linh Ginseng Market"
    if key == "515":
        return "Lễ hội Quế Trà My", "Tra My Cinnamon Festival"
    if key in ("504", "505", "510"):
        return c.pick(
            (
                ("Lễ hội mừng lúa mới của đồng bào Cơ Tu", "Co Tu New Rice Festival"),
                (
                    "Ngày hội Văn hóa - Thể thao các dân tộc miền núi",
                    "Mountain Ethnic Culture and Sports Festival",
                ),
            )
        )
    if key in _COAST:
        return c.pick(
            (
                ("Lễ hội Cầu Ngư", "Cau Ngu Whale Worship Festival"),
                ("Lễ hội văn hóa ẩm thực biển", "Seafood and Culture Festival"),
            )
        )
    if key in _VGTB:
        return "Giải đua thuyền truyền thống trên sông Thu Bồn", "Traditional Boat Race on the Thu Bon River"
    return c.pick(
        (
            ("Tuần lễ Văn hóa - Du lịch", "Culture and Tourism Week"),
            ("Liên hoan nghệ thuật quần chúng", "Amateur Arts Festival"),
            ("Hội thi hô hát bài chòi", "Bai Choi Singing Contest"),
        )
    )


@_tpl(
    "du-lich",
    scopes={"province": 0.5, "district": 3, "commune": 1},
    orgs=("SVHTTDL",),
    timing=(5, 20, 1, 3),
    urg=(0.0, 0.03),
    local=0.8,
    en=0.5,
)
def _t_festival(c: _Ctx) -> _Out:
    if c.scope == "province":
        event, event_en = "Festival Di sản Quảng Nam", "Quang Nam Heritage Festival"
    else:
        event, event_en = _local_event(c)
    title = (f"{event} năm {c.d0.year}{c.loc_vi}", f"{event_en} {c.d0.year}{c.loc_en}")
    summary = (
        f"Diễn ra từ ngày {_d(c.d0)} đến ngày {_d(c.d1)} với nhiều hoạt động văn hóa, thể thao và ẩm thực.",
        f"From {_d(c.d0)} to {_d(c.d1)}, with cultural, sports and food events.",
    )
    body = [
        (
            f"{c.org_vi} phối hợp với địa phương tổ chức {event} năm {c.d0.year} từ ngày {_d(c.d0)} đến "
            f"ngày {_d(c.d1)} {c.area_vi}.",
            f"{c.org_en_cap} and local authorities hold the {event_en} {c.d0.year} from "
            f"{_d(c.d0)} to {_d(c.d1)} {c.area_en}.",
        ),
        _bullets(
            [
                (
                    "Lễ khai mạc vào 19 giờ 30 ngày đầu tiên, với chương trình nghệ thuật đặc sắc.",
                    "The opening ceremony, with a gala performance, starts at 19:30 on the first day.",
                ),
                (
                    "Không gian trưng bày, giới thiệu nghề truyền thống và sản phẩm OCOP địa phương.",
                    "Exhibitions of traditional crafts and local OCOP products.",
                ),
                (
                    "Các hoạt động thể thao, trò chơi dân gian dành cho người dân và du khách.",
                    "Sports and folk games open to residents and visitors.",
                ),
            ]
        ),
        (
            "Người dân và du khách tham dự giữ gìn trật tự, vệ sinh môi trường và thực hiện "
            "theo hướng dẫn của ban tổ chức.",
            "Visitors are asked to keep the venue clean and follow the organisers' instructions.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "du-lich",
    scopes={"province": 1, "district": 2, "commune": 1.5},
    orgs=("SVHTTDL",),
    area=frozenset({"503"}),
    timing=(1, 5, 30, 90),
    urg=(0.0, 0.2),
    local=0.8,
    en=0.75,
    weight=0.35,
)
def _t_cu_lao_cham(c: _Ctx) -> _Out:
    y = c.day.year
    if c.day.month >= 10 or c.day.month == 1:
        start = c.d0
        reopen = date(y + 1 if c.day.month >= 10 else y, 2, 1)
        title = (
            f"Tạm dừng đón khách tham quan Cù Lao Chàm từ ngày {_d(start)}",
            f"Cu Lao Cham closed to visitors from {_d(start)}",
        )
        summary = (
            "Do thời tiết mùa mưa bão, tuyến tàu khách ra Cù Lao Chàm tạm dừng đến hết ngày "
            f"{_d(reopen - timedelta(days=1))}.",
            "Because of the stormy season, passenger boats to Cu Lao Cham stop until "
            f"{_d(reopen - timedelta(days=1))}.",
        )
        body = [
            (
                "Vào mùa mưa bão, vùng biển Cù Lao Chàm thường xuyên có gió mạnh, sóng lớn, không bảo đảm an "
                f"toàn cho hoạt động vận chuyển khách. {c.org_vi} thông báo tạm dừng đón khách tham quan, lưu "
                f"trú tại Cù Lao Chàm từ ngày {_d(start)} đến hết ngày {_d(reopen - timedelta(days=1))}.",
                "During the stormy season strong winds and high waves make boat trips to Cu Lao Cham unsafe. "
                f"{c.org_en_cap} announces that the islands are closed to visitors and overnight stays from "
                f"{_d(start)} to {_d(reopen - timedelta(days=1))}.",
            ),
            (
                "Tàu phục vụ nhu cầu đi lại thiết yếu của người dân xã Tân Hiệp vẫn hoạt "
                "động khi thời tiết cho phép.",
                "Boats for Tan Hiep residents' essential travel still run when the weather allows.",
            ),
        ]
        end = reopen
    else:
        title = (
            f"Quy định bảo vệ môi trường khi tham quan Cù Lao Chàm mùa du lịch {y}",
            f"Environmental rules for visiting Cu Lao Cham, {y} season",
        )
        summary = (
            "Không mang túi ni lông dùng một lần ra đảo; tuân thủ quy định của Khu bảo tồn biển Cù Lao Chàm.",
            "No single-use plastic bags on the islands; follow the rules of the Cu "
            "Lao Cham Marine Protected Area.",
        )
        body = [
            (
                "Cù Lao Chàm là Khu dự trữ sinh quyển thế giới được UNESCO công nhận năm 2009. Để bảo vệ môi "
                f"trường biển đảo, {c.org_vi} đề nghị du khách:",
                "Cu Lao Cham has been a UNESCO World Biosphere Reserve since 2009. To protect the islands, "
                f"{c.org_en} asks visitors to:",
            ),
            _bullets(
                [
                    (
                        "Không mang túi ni lông dùng một lần ra đảo.",
                        "leave single-use plastic bags on the mainland;",
                    ),
                    (
                        "Không bẻ san hô, không bắt, mua bán hải sản trong vùng lõi khu bảo tồn.",
                        "not break coral or catch or buy seafood in the core zone;",
                    ),
                    (
                        "Mặc áo phao khi đi tàu, ca nô và khi lặn ngắm san hô.",
                        "wear a life jacket on boats and when snorkelling.",
                    ),
                ]
            ),
            (
                "Tàu, ca nô xuất bến từ bến Cửa Đại và bến tàu Bạch Đằng (Hội An) vào buổi sáng hằng ngày.",
                "Boats leave every morning from Cua Dai and from the Bach Dang pier in Hoi An.",
            ),
        ]
        end = None
    return _out(title, summary, body, end)


_BEACHES = {
    "503": "An Bàng, Cửa Đại",
    "502": "Tam Thanh",
    "513": "Bình Minh",
    "517": "Bãi Rạng",
    "507": "Hà My",
    "508": "Duy Hải",
}


@_tpl(
    "du-lich",
    scopes={"province": 1, "district": 2, "commune": 1.5, "multi": 1},
    orgs=("SVHTTDL",),
    area=_COAST,
    season=_window(((5, 1), (8, 20))),
    timing=(0, 5, 60, 100),
    urg=(0.0, 0.2),
    local=0.7,
    en=0.6,
)
def _t_beach_safety(c: _Ctx) -> _Out:
    names = [_BEACHES[k] for k in c.keys if k in _BEACHES] or list(_BEACHES.values())
    beaches = ", ".join(names[:3])
    title = (
        f"Bảo đảm an toàn cho người dân và du khách tắm biển mùa hè năm {c.day.year}{c.loc_vi}",
        f"Beach safety for residents and visitors, summer {c.day.year}{c.loc_en}",
    )
    summary = (
        f"Chỉ tắm biển tại khu vực có cờ báo, phao giới hạn và lực lượng cứu hộ tại các bãi biển {beaches}.",
        f"Swim only in flagged areas with buoys and lifeguards at {_a(beaches)} beaches.",
    )
    body = [
        (
            f"Mùa hè, lượng khách đến các bãi biển {beaches} tăng cao. {c.org_vi} "
            "khuyến cáo người dân và du khách:",
            f"Summer brings crowds to {_a(beaches)} beaches. {c.org_en_cap} advises residents and visitors to:",
        ),
        _bullets(
            [
                (
                    "Chỉ tắm tại khu vực có cờ báo, phao giới hạn và lực lượng cứu hộ; nên tắm từ 5 giờ đến 9 "
                    "giờ và từ 16 giờ đến 18 giờ 30.",
                    "swim only where there are flags, buoys and lifeguards, ideally 5:00-9:00 and 16:00-18:30;",
                ),
                (
                    "Không tắm khi có cờ đỏ, khi sóng lớn, sau khi uống rượu bia hoặc khi vừa ăn no.",
                    "stay out of the water under a red flag, in high waves, after "
                    "drinking or right after a big meal;",
                ),
                (
                    "Cảnh giác với dòng chảy xa bờ (rip current); khi bị cuốn, bơi song song "
                    "với bờ và ra tín hiệu cầu cứu.",
                    "watch out for rip currents: if caught, swim parallel to the shore and signal for help;",
                ),
                ("Trẻ em phải có người lớn đi kèm.", "never leave children alone in the water."),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "du-lich",
    scopes={"province": 2, "district": 1},
    orgs=("SVHTTDL",),
    timing=(3, 15, 30, 120),
    urg=(0.0, 0.02),
    local=0.5,
    en=0.7,
)
def _t_tourism_promo(c: _Ctx) -> _Out:
    season = ("hè", "summer") if 3 <= c.day.month <= 7 else ("thu - đông", "autumn and winter")
    discount = c.r.choice((15, 20, 25, 30, 40))
    title = (
        f"Chương trình kích cầu du lịch Quảng Nam mùa {season[0]} năm {c.d0.year}{c.loc_vi}",
        f"Quang Nam {season[1]} {c.d0.year} tourism promotion{c.loc_en}",
    )
    summary = (
        f"Giảm đến {discount}% giá phòng, tour và dịch vụ từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}.",
        f"Up to {discount}% off rooms, tours and services from {_d(c.d0)} to {_d(c.d1)}.",
    )
    body = [
        (
            f"{c.org_vi} phối hợp với Hiệp hội Du lịch tỉnh triển khai chương trình kích cầu du lịch từ ngày "
            f"{_d(c.d0)} đến ngày {_d(c.d1)}, với mức giảm giá đến {discount}%.",
            f"{c.org_en_cap} and the provincial tourism association run a promotion from {_d(c.d0)} to "
            f"{_d(c.d1)} with discounts of up to {discount}%.",
        ),
        _bullets(
            [
                (
                    "Tour Hội An - Mỹ Sơn - Cù Lao Chàm kết hợp trải nghiệm làng nghề.",
                    "Hoi An - My Son - Cu Lao Cham tours with craft village visits.",
                ),
                (
                    "Du lịch cộng đồng tại làng Cơ Tu Bhơ Hôồng (Đông Giang) và rừng dừa Bảy Mẫu (Cẩm Thanh).",
                    "Community tourism at the Co Tu village of Bho Hoong (Dong Giang) "
                    "and the Bay Mau coconut forest.",
                ),
                (
                    "Nghỉ dưỡng ven biển Tam Thanh, Bình Minh, An Bàng.",
                    "Beach stays at Tam Thanh, Binh Minh and An Bang.",
                ),
            ]
        ),
        (
            "Danh sách cơ sở tham gia được niêm yết tại các điểm thông tin du lịch và "
            "trên ứng dụng Smart Quảng Nam.",
            "Participating businesses are listed at tourist information points and in the Smart Quang Nam app.",
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# xa-hoi: labour, jobs, social protection
# ---------------------------------------------------------------------------


@_tpl(
    "xa-hoi",
    scopes={"province": 2, "district": 1.5, "commune": 0.3},
    orgs=("SLDTBXH",),
    timing=(3, 12, 0, 0),
    urg=(0.0, 0.05),
    local=0.5,
)
def _t_job_fair(c: _Ctx) -> _Out:
    jobs = c.r.randrange(300, 2500, 50) if c.scope == "province" else c.r.randrange(80, 800, 10)
    firms = c.r.randint(12, 45)
    if c.scope == "province" or c.district is None:
        venue = (
            "Trung tâm Dịch vụ việc làm tỉnh, thành phố Tam Kỳ",
            "the Provincial Employment Service Centre in Tam Ky",
        )
    else:
        venue = (f"hội trường UBND {c.district.vi}", f"the {c.district.en} hall")
    title = (f"Phiên giao dịch việc làm tháng {_my(c.d0)}{c.loc_vi}", f"Job fair, {_mon_en(c.d0)}{c.loc_en}")
    summary = (
        f"{firms} doanh nghiệp tuyển dụng khoảng {_int_vi(jobs)} lao động ngày {_d(c.d0)} tại {venue[0]}.",
        f"{firms} employers are hiring about {jobs:,} workers on {_d(c.d0)} at {venue[1]}.",
    )
    body = [
        (
            "Trung tâm Dịch vụ việc làm Quảng Nam tổ chức phiên giao dịch việc làm vào "
            f"{_WEEKDAYS_VI[c.d0.weekday()]}, ngày {_d(c.d0)}, từ 7 giờ 30 đến 11 giờ 30 tại "
            f"{venue[0]}, đồng thời trực tuyến.",
            f"The Quang Nam Employment Service Centre holds a job fair on {_WEEKDAYS_EN[c.d0.weekday()]} "
            f"{_d(c.d0)}, from 7:30 to 11:30 at {venue[1]} and online.",
        ),
        (
            f"Tham gia có {firms} doanh nghiệp với khoảng {_int_vi(jobs)} chỉ tiêu tuyển dụng, trong đó có các "
            "doanh nghiệp cơ khí, ô tô tại Khu kinh tế mở Chu Lai, may mặc, da giày tại các khu công nghiệp "
            "và doanh nghiệp du lịch, dịch vụ tại Hội An.",
            f"{firms} employers offer about {jobs:,} vacancies, including engineering and car makers in the "
            "Chu Lai Open Economic Zone, garment and footwear factories in the industrial parks, and "
            "tourism businesses in Hoi An.",
        ),
        (
            "Người lao động mang theo hồ sơ xin việc; được tư vấn miễn phí về việc làm, học nghề, bảo hiểm "
            "thất nghiệp và đi làm việc ở nước ngoài.",
            "Bring your CV; free advice is available on jobs, vocational training, unemployment "
            "insurance and working abroad.",
        ),
    ]
    return _out(title, summary, body)


_ABROAD = (
    (
        "Chương trình EPS đi làm việc tại Hàn Quốc",
        "the EPS programme for work in Korea",
        "Tuyển chọn lao động đi Hàn Quốc theo Chương trình EPS",
        "Recruiting workers for Korea under the EPS",
    ),
    (
        "chương trình thực tập sinh kỹ năng tại Nhật Bản",
        "the technical intern programme in Japan",
        "Tuyển chọn thực tập sinh kỹ năng đi Nhật Bản",
        "Recruiting technical interns for Japan",
    ),
    (
        "chương trình lao động thời vụ ngành nông nghiệp tại Hàn Quốc",
        "seasonal farm work in Korea",
        "Tuyển chọn lao động thời vụ ngành nông nghiệp đi Hàn Quốc",
        "Recruiting seasonal farm workers for Korea",
    ),
)


@_tpl(
    "xa-hoi",
    scopes={"province": 1.5, "district": 2, "commune": 1},
    orgs=("SLDTBXH",),
    timing=(0, 3, 10, 30),
    urg=(0.0, 0.15),
    local=0.6,
)
def _t_work_abroad(c: _Ctx) -> _Out:
    prog, prog_en, head, head_en = c.pick(_ABROAD)
    title = (f"{head} năm {c.d0.year}{c.loc_vi}", f"{head_en}, {c.d0.year}{c.loc_en}")
    summary = (
        f"Nhận hồ sơ từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}; người lao động thuộc hộ nghèo, "
        "cận nghèo được vay vốn ưu đãi.",
        f"Applications from {_d(c.d0)} to {_d(c.d1)}; workers from poor and near-poor "
        "households can get preferential loans.",
    )
    body = [
        (
            f"{c.org_vi} thông báo tuyển chọn lao động {c.area_vi} tham gia {prog}. Thời gian nhận hồ sơ từ "
            f"ngày {_d(c.d0)} đến ngày {_d(c.d1)}.",
            f"{c.org_en_cap} is recruiting workers {c.area_en} for {prog_en}. Applications are accepted "
            f"from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Từ đủ 18 đến 39 tuổi, đủ sức khỏe, không có tiền án, chưa từng cư "
                    "trú bất hợp pháp ở nước ngoài.",
                    "Aged 18 to 39, in good health, with no criminal record and no history of illegal stay abroad.",
                ),
                (
                    "Được hỗ trợ học tiếng, bồi dưỡng kiến thức cần thiết; vay vốn tại Ngân hàng Chính sách xã hội.",
                    "Language and orientation training are supported; loans are available from "
                    "the Bank for Social Policies.",
                ),
                (
                    "Chỉ đăng ký qua cơ quan nhà nước và doanh nghiệp được cấp phép; không "
                    "nộp tiền cho cá nhân môi giới.",
                    "Apply only through state agencies and licensed companies; never pay brokers.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "xa-hoi",
    scopes={"district": 2, "commune": 2.5},
    orgs=("SLDTBXH",),
    timing=(0, 10, 5, 10),
    urg=(0.0, 0.1),
    local=0.9,
)
def _t_allowance(c: _Ctx) -> _Out:
    first, _last = _month_of(c)
    start = max(c.day, first.replace(day=c.r.choice((3, 5, 8))))
    end = start + timedelta(days=c.r.randint(4, 8))
    title = (
        f"Lịch chi trả trợ cấp xã hội tháng {_my(first)}{c.loc_vi}",
        f"Social allowance payments for {_mon_en(first)}{c.loc_en}",
    )
    summary = (
        "Chi trả qua tài khoản ngân hàng; người chưa có tài khoản nhận tại điểm chi trả từ ngày "
        f"{_d(start)} đến ngày {_d(end)}.",
        f"Paid into bank accounts; people without an account collect cash from {_d(start)} to {_d(end)}.",
    )
    body = [
        (
            f"{c.org_vi} thông báo lịch chi trả trợ cấp xã hội hằng tháng tháng {_my(first)} {c.area_vi}.",
            f"{c.org_en_cap} announces the social allowance payments for {_mon_en(first)} {c.area_en}.",
        ),
        _bullets(
            [
                (
                    "Đối tượng: người cao tuổi, người khuyết tật, trẻ em mồ côi và các "
                    "đối tượng bảo trợ xã hội khác.",
                    "For older people, people with disabilities, orphans and other "
                    "social protection beneficiaries.",
                ),
                (
                    "Người đã đăng ký tài khoản ngân hàng nhận tiền chuyển khoản trước ngày 10 hằng tháng.",
                    "Those with a registered bank account are paid by transfer before the 10th.",
                ),
                (
                    "Người chưa có tài khoản nhận tại điểm chi trả của bưu điện tại nhà văn hóa thôn từ ngày "
                    f"{_d(start)} đến ngày {_d(end)}.",
                    "Others collect cash from the post office team at village halls "
                    f"from {_d(start)} to {_d(end)}.",
                ),
            ]
        ),
        (
            "Khi nhận trợ cấp, mang theo căn cước; trường hợp ủy quyền phải có giấy ủy quyền hợp lệ.",
            "Bring your ID card; proxies need a valid authorisation letter.",
        ),
    ]
    return _out(title, summary, body, end)


@_tpl(
    "xa-hoi",
    scopes={"province": 1, "district": 2, "commune": 2},
    orgs=("SLDTBXH",),
    season=_window(((8, 15), (11, 30))),
    timing=(2, 10, 30, 60),
    urg=(0.0, 0.15),
    local=0.85,
)
def _t_poverty_review(c: _Ctx) -> _Out:
    y = c.day.year
    title = (
        f"Rà soát hộ nghèo, hộ cận nghèo năm {y}{c.loc_vi}",
        f"{y} review of poor and near-poor households{c.loc_en}",
    )
    summary = (
        f"Rà soát theo chuẩn nghèo đa chiều từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}; kết quả được "
        "niêm yết công khai tại thôn.",
        f"The multidimensional poverty review runs from {_d(c.d0)} to {_d(c.d1)}; "
        "results are posted in each village.",
    )
    body = [
        (
            f"{c.org_vi} tổ chức rà soát hộ nghèo, hộ cận nghèo năm {y} {c.area_vi} từ ngày {_d(c.d0)} đến "
            f"ngày {_d(c.d1)}, theo chuẩn nghèo đa chiều giai đoạn 2022-2025.",
            f"{c.org_en_cap} reviews poor and near-poor households {c.area_en} from {_d(c.d0)} to {_d(c.d1)} "
            "using the 2022-2025 multidimensional poverty standard.",
        ),
        _bullets(
            [
                (
                    "Khu vực nông thôn: thu nhập bình quân đầu người từ 1.500.000 đồng/tháng trở xuống.",
                    "Rural areas: average income of 1,500,000 dong per person per month or less.",
                ),
                (
                    "Khu vực thành thị: thu nhập bình quân đầu người từ 2.000.000 đồng/tháng trở xuống.",
                    "Urban areas: average income of 2,000,000 dong per person per month or less.",
                ),
                (
                    "Thiếu hụt từ 3 chỉ số dịch vụ xã hội cơ bản trở lên (việc làm, y tế, giáo dục, "
                    "nhà ở, nước sạch, thông tin).",
                    "Lacking three or more basic social services (jobs, health, education, "
                    "housing, clean water, information).",
                ),
            ]
        ),
        (
            "Hộ gia đình có nhu cầu đăng ký rà soát nộp giấy đề nghị tại UBND cấp xã. Kết quả bình xét được "
            "niêm yết công khai tại nhà văn hóa thôn trong 03 ngày làm việc.",
            "Households can ask to be assessed at their commune People's Committee. Results are posted at the "
            "village hall for three working days.",
        ),
    ]
    return _out(title, summary, body)


_TRADES = (
    "kỹ thuật chăn nuôi",
    "trồng trọt và bảo vệ thực vật",
    "may công nghiệp",
    "kỹ thuật chế biến món ăn",
    "sửa chữa máy nông nghiệp",
    "hướng dẫn du lịch cộng đồng",
)
_TRADES_EN = (
    "livestock farming",
    "crop growing and protection",
    "industrial sewing",
    "cooking",
    "farm machinery repair",
    "community tour guiding",
)


@_tpl(
    "xa-hoi",
    scopes={"province": 1, "district": 2, "commune": 1.5},
    orgs=("SLDTBXH",),
    timing=(3, 15, 10, 25),
    urg=(0.0, 0.05),
    local=0.7,
)
def _t_vocational(c: _Ctx) -> _Out:
    idx = c.r.sample(range(len(_TRADES)), k=3)
    round_no = 1 if c.day.month <= 6 else 2
    title = (
        f"Tuyển sinh đào tạo nghề miễn phí cho lao động nông thôn đợt {round_no} năm {c.day.year}{c.loc_vi}",
        f"Free vocational training for rural workers, round {round_no} {c.day.year}{c.loc_en}",
    )
    summary = (
        f"Nhận hồ sơ đến ngày {_d(c.d1)}; học viên được miễn học phí và hỗ trợ tiền ăn, đi lại.",
        f"Apply by {_d(c.d1)}; tuition is free and meals and travel are subsidised.",
    )
    body = [
        (
            f"{c.org_vi} tuyển sinh các lớp đào tạo nghề trình độ sơ cấp cho lao động nông thôn {c.area_vi}, "
            f"nhận hồ sơ từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}. Các nghề đào tạo:",
            f"{c.org_en_cap} is enrolling rural workers {c.area_en} in short vocational courses from "
            f"{_d(c.d0)} to {_d(c.d1)}. Trades:",
        ),
        _bullets([(_cap(_TRADES[i]) + ".", _cap(_TRADES_EN[i]) + ".") for i in idx]),
        (
            "Ưu tiên người thuộc hộ nghèo, hộ cận nghèo, người dân tộc thiểu số, người khuyết tật và lao "
            "động bị thu hồi đất nông nghiệp.",
            "Priority goes to poor and near-poor households, ethnic minorities, people with disabilities and "
            "workers whose farmland was acquired.",
        ),
    ]
    return _out(title, summary, body)


def _gratitude_season(day: date) -> bool:
    tet = _next_tet(day)
    return (7, 1) <= (day.month, day.day) <= (7, 22) or (tet is not None and 5 <= (tet - day).days <= 30)


@_tpl(
    "xa-hoi",
    scopes={"province": 1, "district": 2, "commune": 1.5},
    orgs=("SLDTBXH",),
    season=_gratitude_season,
    timing=(3, 15, 0, 3),
    urg=(0.0, 0.05),
    local=0.8,
)
def _t_gratitude(c: _Ctx) -> _Out:
    tet = _next_tet(c.day)
    july = _next_anchor(c.day, 7, 27)
    if tet is None or july < tet:
        y = july.year
        end = july
        title = (
            f"Thăm, tặng quà người có công nhân kỷ niệm {y - 1947} năm Ngày Thương binh - Liệt sĩ "
            f"(27/7/1947 - 27/7/{y}){c.loc_vi}",
            f"Gifts for veterans and martyrs' families on the {_ordinal(y - 1947)} War "
            f"Invalids and Martyrs Day{c.loc_en}",
        )
        occasion = (
            "nhân kỷ niệm Ngày Thương binh - Liệt sĩ 27/7",
            "for War Invalids and Martyrs Day (27 July)",
        )
        recipients = (
            "người có công với cách mạng và thân nhân liệt sĩ",
            "people who served the revolution and martyrs' families",
        )
    else:
        end = tet - timedelta(days=1)
        title = (
            f"Tặng quà Tết Nguyên đán {_can_chi(tet.year)} cho người có công và hộ nghèo{c.loc_vi}",
            f"Tet {tet.year} gifts for veterans and poor households{c.loc_en}",
        )
        occasion = (f"dịp Tết Nguyên đán {_can_chi(tet.year)}", f"for Tet {tet.year}")
        recipients = (
            "người có công, hộ nghèo, hộ cận nghèo và đối tượng bảo trợ xã hội",
            "veterans, poor and near-poor households and social protection beneficiaries",
        )
    title_vi = title[0]
    summary = (
        f"Quà được trao tận tay {recipients[0]} trước ngày {_d(end)}.",
        f"Gifts will be delivered to {recipients[1]} before {_d(end)}.",
    )
    body = [
        (
            f"{c.org_vi} tổ chức thăm hỏi, tặng quà {occasion[0]} cho {recipients[0]} {c.area_vi}. Quà của Chủ "
            "tịch nước gồm các mức 300.000 đồng và 600.000 đồng; ngân sách tỉnh và địa phương bổ sung thêm.",
            f"{c.org_en_cap} is visiting and giving gifts {occasion[1]} to {recipients[1]} {c.area_en}. The "
            "President's gifts are 300,000 or 600,000 dong, topped up by provincial and local budgets.",
        ),
        (
            f"Việc trao quà được thực hiện công khai, đúng đối tượng, hoàn thành trước ngày {_d(end)}. Trường "
            "hợp chưa nhận được quà, người dân liên hệ UBND cấp xã.",
            f"Gifts are handed over openly to eligible people before {_d(end)}. Anyone missed should contact "
            "their commune People's Committee.",
        ),
    ]
    return _out((title_vi, title[1]), summary, body, end)


# ---------------------------------------------------------------------------
# nong-nghiep: agriculture, livestock, fisheries
# ---------------------------------------------------------------------------

_VARIETIES = "HN6, TBR225, Thiên ưu 8, Đài thơm 8, ĐV108"


@_tpl(
    "nong-nghiep",
    scopes={"province": 2, "district": 2, "multi": 1},
    orgs=("SNNPTNT",),
    area=_LOWLAND,
    season=_window(((11, 1), (12, 20)), ((4, 10), (5, 20))),
    timing=(5, 20, 10, 20),
    urg=(0.0, 0.15),
    local=0.7,
)
def _t_crop_calendar(c: _Ctx) -> _Out:
    y = c.day.year
    if c.day.month >= 9:
        crop, crop_en = f"Đông Xuân {y}-{y + 1}", f"{y}-{y + 1} winter-spring"
        tip = (
            "Không gieo sạ khi nhiệt độ trung bình ngày dưới 15°C; che phủ mạ khi có rét đậm.",
            "Do not sow while the daily mean is below 15°C; cover seedlings during cold spells.",
        )
    else:
        crop, crop_en = f"Hè Thu {y}", f"{y} summer-autumn"
        tip = (
            "Bố trí thời vụ để thu hoạch xong trước mùa mưa bão.",
            "Plan so the harvest is finished before the storm season.",
        )
    title = (
        f"Lịch thời vụ gieo sạ vụ {crop}{c.loc_vi}",
        f"Sowing calendar for the {crop_en} rice crop{c.loc_en}",
    )
    summary = (
        f"Gieo sạ tập trung từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}; sử dụng giống "
        "ngắn ngày, chống chịu sâu bệnh.",
        f"Sow between {_d(c.d0)} and {_d(c.d1)} using short-cycle, pest-resistant varieties.",
    )
    body = [
        (
            f"{c.org_vi} hướng dẫn lịch thời vụ sản xuất lúa vụ {crop} {c.area_vi}: gieo sạ tập trung từ ngày "
            f"{_d(c.d0)} đến ngày {_d(c.d1)}.",
            f"{c.org_en_cap} sets the {crop_en} rice calendar {c.area_en}: sow "
            f"between {_d(c.d0)} and {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Gieo sạ đồng loạt theo vùng, theo cánh đồng để né rầy và hạn chế sâu bệnh.",
                    "Sow field by field at the same time to avoid planthoppers and limit pests.",
                ),
                (f"Giống chủ lực: {_VARIETIES}.", f"Main varieties: {_a(_VARIETIES)}."),
                tip,
                (
                    "Sử dụng giống xác nhận, bón phân cân đối, áp dụng quy trình canh tác tiết kiệm nước.",
                    "Use certified seed, balanced fertiliser and water-saving practices.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


_ANIMAL_DISEASES = (
    ("dịch tả lợn châu Phi", "African swine fever", "lợn", "pigs"),
    ("bệnh viêm da nổi cục", "lumpy skin disease", "trâu, bò", "cattle and buffaloes"),
    ("bệnh lở mồm long móng", "foot-and-mouth disease", "trâu, bò, lợn", "cattle, buffaloes and pigs"),
    ("cúm gia cầm A/H5N1", "avian influenza A/H5N1", "gia cầm", "poultry"),
)


@_tpl(
    "nong-nghiep",
    scopes={"district": 2, "commune": 2, "multi": 0.5},
    orgs=("SNNPTNT",),
    timing=(0, 0, 21, 30),
    warn=True,
    urg=(0.0, 0.6),
    local=0.7,
)
def _t_animal_disease(c: _Ctx) -> _Out:
    dis, dis_en, animals, animals_en = c.pick(_ANIMAL_DISEASES)
    farms = c.r.randint(2, 25)
    culled = farms * c.r.randint(4, 40)
    if c.urgency == "important":
        title = (
            f"Công bố dịch {dis.removeprefix('bệnh ')}{c.loc_vi}",
            f"{_cap(dis_en)} outbreak declared{c.loc_en}",
        )
    else:
        title = (f"Chủ động khống chế {dis}{c.loc_vi}", f"Containing {dis_en}{c.loc_en}")
    summary = (
        f"Ghi nhận {farms} hộ chăn nuôi có {animals} mắc {dis}; nghiêm cấm giết mổ, mua bán, "
        "vận chuyển động vật mắc bệnh.",
        f"{_cap(dis_en)} has been found in {animals_en} at {farms} farms; sick animals may not "
        "be slaughtered, sold or moved.",
    )
    body = [
        (
            f"Từ ngày {_d(c.day - timedelta(days=c.r.randint(3, 10)))} đến nay, {c.area_vi} ghi nhận {farms} "
            f"hộ chăn nuôi có {animals} mắc {dis}; số con đã tiêu hủy, xử lý là {culled} con.",
            f"Since {_d(c.day - timedelta(days=c.r.randint(3, 10)))}, {dis_en} has been found at {farms} "
            f"farms {c.area_en}; {culled} animals have been destroyed.",
        ),
        _bullets(
            [
                (
                    "Không giết mổ, mua bán, vận chuyển động vật mắc bệnh; không vứt xác động vật ra môi trường.",
                    "Do not slaughter, sell or move sick animals, and never dump carcasses.",
                ),
                (
                    "Tiêu độc, khử trùng chuồng trại bằng vôi bột hoặc hóa chất theo hướng dẫn của thú y.",
                    "Disinfect pens with quicklime or approved chemicals as the vets advise.",
                ),
                (
                    "Khi phát hiện động vật ốm, chết bất thường, báo ngay cho thú y xã.",
                    "Report sick or dead animals to the commune vet at once.",
                ),
            ]
        ),
        (
            f"Vùng dịch được giám sát đến hết ngày {_d(c.d1)}; sau 21 ngày không phát sinh ca bệnh mới "
            "sẽ xem xét công bố hết dịch.",
            f"The area is under surveillance until {_d(c.d1)}; the outbreak can be declared over "
            "after 21 days without new cases.",
        ),
    ]
    return _out(title, summary, body)


_PESTS = (
    ("rầy nâu, rầy lưng trắng", "brown and white-backed planthoppers"),
    ("bệnh đạo ôn lá, đạo ôn cổ bông", "rice blast"),
    ("sâu cuốn lá nhỏ", "rice leaf folders"),
    ("bệnh khô vằn", "sheath blight"),
    ("chuột", "rats"),
)


@_tpl(
    "nong-nghiep",
    scopes={"province": 1.5, "district": 2, "commune": 1, "multi": 1},
    orgs=("SNNPTNT",),
    area=_LOWLAND,
    season=_window(((2, 1), (3, 31)), ((6, 1), (7, 31))),
    timing=(0, 0, 7, 15),
    warn=True,
    urg=(0.0, 0.3),
    local=0.6,
)
def _t_pest(c: _Ctx) -> _Out:
    pest, pest_en = c.pick(_PESTS)
    crop = ("Đông Xuân", "winter-spring") if c.day.month <= 4 else ("Hè Thu", "summer-autumn")
    ha = c.r.randrange(50, 1500, 10) if c.scope in ("province", "multi") else c.r.randrange(10, 400, 5)
    title = (
        f"Phòng trừ {pest} hại lúa vụ {crop[0]} {c.day.year}{c.loc_vi}",
        f"Controlling {pest_en} in the {c.day.year} {crop[1]} rice crop{c.loc_en}",
    )
    summary = (
        f"Khoảng {_int_vi(ha)} ha lúa bị {pest} gây hại; nông dân kiểm tra đồng ruộng và phòng trừ kịp thời.",
        f"About {ha:,} ha of rice is affected by {pest_en}; farmers should inspect fields and act quickly.",
    )
    body = [
        (
            f"Theo Chi cục Trồng trọt và Bảo vệ thực vật, hiện {c.area_vi} có khoảng {_int_vi(ha)} ha lúa vụ "
            f"{crop[0]} bị {pest} gây hại, nhiều diện tích đạt mật độ và tỷ lệ phải phòng trừ.",
            f"According to the Crop Production and Plant Protection Sub-Department, about {ha:,} ha of "
            f"{crop[1]} rice {c.area_en} is affected by {pest_en}, much of it above the treatment threshold.",
        ),
        _bullets(
            [
                (
                    "Thăm đồng thường xuyên, phát hiện sớm và phòng trừ khi đến ngưỡng.",
                    "Inspect fields often and treat as soon as the threshold is reached.",
                ),
                (
                    'Sử dụng thuốc bảo vệ thực vật theo nguyên tắc "4 đúng": đúng thuốc, đúng lúc, đúng liều '
                    "lượng và nồng độ, đúng cách.",
                    'Follow the "four rights" of pesticide use: right product, right '
                    "time, right dose, right method.",
                ),
                (
                    "Không phun thuốc khi trời sắp mưa hoặc nắng gắt; thu gom vỏ bao bì thuốc đúng nơi quy định.",
                    "Do not spray before rain or in strong sun, and dispose of empty containers properly.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


_IUU = (
    (
        "Duy trì thiết bị giám sát hành trình trên tàu cá khi hoạt động trên biển",
        "Keep vessel monitoring devices switched on at sea",
    ),
    (
        "Hoàn thành đăng ký, đăng kiểm và cấp giấy phép khai thác cho tàu cá",
        "Register, inspect and license fishing vessels",
    ),
    ("Không khai thác hải sản trái phép ở vùng biển nước ngoài", "No illegal fishing in foreign waters"),
)


@_tpl(
    "nong-nghiep",
    scopes={"province": 2, "district": 2, "commune": 1, "multi": 1},
    orgs=("SNNPTNT",),
    area=_COAST,
    timing=(0, 5, 30, 120),
    urg=(0.0, 0.35),
    local=0.6,
)
def _t_iuu(c: _Ctx) -> _Out:
    head, head_en = c.pick(_IUU)
    title = (
        f"Chống khai thác IUU: {head[0].lower()}{head[1:]}{c.loc_vi} ({_my(c.day)})",
        f"Fighting IUU fishing: {head_en[0].lower()}{head_en[1:]}{c.loc_en} ({_mon_en(c.day)})",
    )
    summary = (
        "Tàu cá từ 15 m trở lên phải duy trì kết nối giám sát hành trình 24/24 "
        "giờ; vi phạm sẽ bị xử lý nghiêm.",
        "Vessels of 15 m or more must keep their monitoring system connected around the clock; "
        "violations will be punished.",
    )
    body = [
        (
            f'Thực hiện các giải pháp khắc phục cảnh báo "thẻ vàng" của Ủy ban châu Âu, {c.org_vi} yêu cầu '
            f"chủ tàu, thuyền trưởng {c.area_vi} thực hiện nghiêm các quy định sau:",
            f'As part of the response to the European Commission\'s "yellow card", {c.org_en} requires boat '
            f"owners and captains {c.area_en} to:",
        ),
        _bullets(
            [
                (
                    "Tàu cá có chiều dài từ 15 m trở lên phải lắp đặt và duy trì hoạt động "
                    "thiết bị giám sát hành trình.",
                    "fit and keep running a vessel monitoring system on boats of 15 m or longer;",
                ),
                (
                    "Khi mất kết nối, báo cáo vị trí về bờ 6 giờ một lần; quá 10 ngày phải đưa tàu về bờ.",
                    "report position to shore every six hours if the connection is lost, and "
                    "return to port after 10 days;",
                ),
                (
                    "Ghi, nộp nhật ký khai thác và khai báo sản lượng khi cập cảng.",
                    "keep and hand in fishing logbooks and declare catches when landing.",
                ),
            ]
        ),
        (
            "Các trường hợp vi phạm bị xử phạt theo quy định và công khai trên phương tiện thông tin đại chúng.",
            "Violations will be fined and made public.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "nong-nghiep",
    scopes={"province": 1, "district": 2, "commune": 2},
    orgs=("SNNPTNT",),
    season=_window(((3, 1), (4, 30)), ((9, 1), (10, 31))),
    timing=(3, 10, 20, 30),
    urg=(0.0, 0.05),
    local=0.8,
)
def _t_livestock_vax(c: _Ctx) -> _Out:
    round_no = 1 if c.day.month <= 6 else 2
    title = (
        f"Tiêm phòng vắc xin cho gia súc, gia cầm đợt {round_no} năm {c.day.year}{c.loc_vi}",
        f"Livestock and poultry vaccination, round {round_no} of {c.day.year}{c.loc_en}",
    )
    summary = (
        f"Tiêm phòng từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}; hộ chăn nuôi chủ động chuẩn bị chuồng "
        "trại, dụng cụ cố định vật nuôi.",
        f"Vaccination runs from {_d(c.d0)} to {_d(c.d1)}; farmers should have pens and restraints ready.",
    )
    body = [
        (
            f"{c.org_vi} tổ chức tiêm phòng đợt {round_no} năm {c.day.year} {c.area_vi} từ ngày "
            f"{_d(c.d0)} đến ngày {_d(c.d1)}.",
            f"{c.org_en_cap} runs vaccination round {round_no} of {c.day.year} {c.area_en} "
            f"from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Trâu, bò: lở mồm long móng, tụ huyết trùng, viêm da nổi cục.",
                    "Cattle and buffaloes: foot-and-mouth disease, haemorrhagic septicaemia, lumpy skin disease.",
                ),
                ("Lợn: dịch tả lợn cổ điển, tai xanh.", "Pigs: classical swine fever and PRRS (blue ear)."),
                ("Gia cầm: cúm gia cầm.", "Poultry: avian influenza."),
                ("Chó, mèo: bệnh dại.", "Dogs and cats: rabies."),
            ]
        ),
        (
            "Vắc xin được hỗ trợ cho hộ nghèo, hộ cận nghèo và vùng có nguy cơ cao theo quy định.",
            "Vaccine is subsidised for poor and near-poor households and high-risk areas.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "nong-nghiep",
    scopes={"district": 2, "commune": 2},
    orgs=("SNNPTNT",),
    area=_HIGHLAND,
    timing=(5, 15, 1, 3),
    urg=(0.0, 0.02),
    local=0.8,
)
def _t_medicinal(c: _Ctx) -> _Out:
    key = c.district.key if c.district else ""
    plant = {"516": ("sâm Ngọc Linh", "Ngoc Linh ginseng"), "515": ("quế Trà My", "Tra My cinnamon")}.get(
        key, ("ba kích, đảng sâm", "morinda and codonopsis")
    )
    title = (
        f"Tập huấn kỹ thuật trồng, chăm sóc {plant[0]} dưới tán rừng{c.loc_vi}",
        f"Training on growing {plant[1]} under forest cover{c.loc_en}",
    )
    summary = (
        f"Lớp tập huấn miễn phí từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, ưu tiên "
        "hộ đồng bào dân tộc thiểu số.",
        f"Free training from {_d(c.d0)} to {_d(c.d1)}, with priority for ethnic minority households.",
    )
    body = [
        (
            "Thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số "
            f"và miền núi, {c.org_vi} tổ chức tập huấn kỹ thuật trồng, chăm sóc {plant[0]} dưới tán rừng "
            f"{c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}.",
            f"Under the national programme for ethnic minority and mountain areas, {c.org_en} offers training "
            f"on growing {plant[1]} under forest cover {c.area_en} from {_d(c.d0)} to {_d(c.d1)}.",
        ),
        _bullets(
            [
                (
                    "Chọn đất, làm đất và kỹ thuật trồng dưới tán rừng tự nhiên.",
                    "Choosing and preparing soil, planting under natural forest.",
                ),
                (
                    "Chăm sóc, phòng trừ sâu bệnh và thu hoạch đúng kỹ thuật.",
                    "Care, pest control and harvesting.",
                ),
                (
                    "Liên kết tiêu thụ sản phẩm, xây dựng sản phẩm OCOP.",
                    "Selling through partnerships and OCOP branding.",
                ),
            ]
        ),
        (
            "Học viên được hỗ trợ tài liệu, tiền ăn trong thời gian tập huấn; đăng ký tại UBND xã.",
            "Trainees receive materials and meal allowances; register at the commune People's Committee.",
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# moi-truong: water supply, waste, air
# ---------------------------------------------------------------------------


@_tpl(
    "moi-truong",
    scopes={"district": 2, "commune": 2},
    orgs=("SXD", "STNMT"),
    area=_LOWLAND,
    timing=(1, 4, 0, 0),
    urg=(0.0, 0.3),
    local=0.9,
)
def _t_water_cut(c: _Ctx) -> _Out:
    h1 = c.r.choice((7, 8, 13, 21, 22))
    h2 = (h1 + c.r.randint(4, 9)) % 24
    pipe = c.r.choice((150, 200, 250, 300, 400))
    reason = c.pick(
        (
            (
                f"đấu nối tuyến ống D{pipe} phục vụ mở rộng mạng lưới cấp nước",
                f"connecting a D{pipe} main to extend the network",
            ),
            (f"khắc phục sự cố vỡ tuyến ống D{pipe}", f"repairing a burst D{pipe} main"),
            ("bảo dưỡng định kỳ trạm bơm", "servicing a pumping station"),
        )
    )
    end_day = c.d0 + timedelta(days=1) if h2 <= h1 else c.d0
    if end_day == c.d0:
        span_vi = f"từ {h1} giờ đến {h2} giờ ngày {_d(c.d0)}"
        span_en = f"from {h1}:00 to {h2}:00 on {_d(c.d0)}"
    else:
        span_vi = f"từ {h1} giờ ngày {_d(c.d0)} đến {h2} giờ ngày {_d(end_day)}"
        span_en = f"from {h1}:00 on {_d(c.d0)} to {h2}:00 on {_d(end_day)}"
    title = (
        f"Tạm ngừng cung cấp nước sạch ngày {_d(c.d0)}{c.loc_vi}",
        f"Water supply interruption on {_d(c.d0)}{c.loc_en}",
    )
    summary = (
        f"Ngừng cấp nước {span_vi} để {reason[0]}.",
        f"No water {span_en} while crews are {reason[1]}.",
    )
    body = [
        (
            "Công ty Cổ phần Cấp thoát nước Quảng Nam tạm ngừng cung cấp nước sạch "
            f"{c.area_vi} {span_vi} để {reason[0]}.",
            "Quang Nam Water Supply and Drainage JSC will cut the water supply "
            f"{c.area_en} {span_en} while crews are {reason[1]}.",
        ),
        (
            "Đề nghị người dân, cơ quan, doanh nghiệp chủ động dự trữ nước. Sau khi cấp nước trở lại, nước có "
            "thể đục trong thời gian ngắn; xả bỏ nước đầu trước khi sử dụng.",
            "Please store water in advance. When the supply resumes the water may be cloudy for a short "
            "time; run the tap before use.",
        ),
    ]
    return _out(title, summary, body, end_day)


@_tpl(
    "moi-truong",
    scopes={"district": 2, "commune": 2.5},
    orgs=("STNMT",),
    timing=(2, 10, 60, 120),
    urg=(0.0, 0.03),
    local=0.9,
)
def _t_waste(c: _Ctx) -> _Out:
    if c.day >= date(2024, 6, 1) and c.r.random() < 0.6:
        title = (
            "Triển khai phân loại chất thải rắn sinh hoạt tại nguồn trên địa bàn "
            f"{c.place_vi} từ ngày {_d(c.d0)}",
            f"Sorting household waste at source{c.loc_en} from {_d(c.d0)}",
        )
        summary = (
            "Hộ gia đình phân loại rác thành 3 nhóm: chất thải tái chế, chất thải "
            "thực phẩm và chất thải khác.",
            "Households sort waste into three groups: recyclables, food waste and other waste.",
        )
        body = [
            (
                f"Thực hiện Luật Bảo vệ môi trường năm 2020, {c.org_vi} triển khai phân loại chất thải rắn "
                f"sinh hoạt tại nguồn {c.area_vi} từ ngày {_d(c.d0)}.",
                f"Under the 2020 Law on Environmental Protection, {c.org_en} introduces waste sorting at "
                f"source {c.area_en} from {_d(c.d0)}.",
            ),
            _bullets(
                [
                    (
                        "Chất thải có khả năng tái sử dụng, tái chế: giấy, nhựa, kim loại, thủy tinh.",
                        "Recyclables: paper, plastic, metal and glass.",
                    ),
                    (
                        "Chất thải thực phẩm: thức ăn thừa, rau củ quả hư hỏng; có thể tận dụng làm phân compost.",
                        "Food waste: leftovers and spoiled produce, which can be composted.",
                    ),
                    (
                        "Chất thải rắn sinh hoạt khác: đựng trong bao bì riêng, giao cho đơn vị thu gom.",
                        "Other household waste: bag separately for collection.",
                    ),
                ]
            ),
        ]
    else:
        days = c.pick(
            (
                ("thứ Hai, thứ Tư, thứ Sáu", "Mondays, Wednesdays and Fridays"),
                ("thứ Ba, thứ Năm, thứ Bảy", "Tuesdays, Thursdays and Saturdays"),
                ("hằng ngày", "every day"),
            )
        )
        h = c.r.choice((16, 17, 18))
        title = (
            f"Điều chỉnh lịch thu gom rác thải sinh hoạt{c.loc_vi} từ ngày {_d(c.d0)}",
            f"New household waste collection schedule{c.loc_en} from {_d(c.d0)}",
        )
        summary = (
            f"Rác được thu gom vào {days[0]}, từ {h} giờ đến {h + 4} giờ; người dân để rác "
            "đúng giờ, đúng nơi quy định.",
            f"Waste is collected on {days[1]} from {h}:00 to {h + 4}:00; put bags out on "
            "time and in the right place.",
        )
        body = [
            (
                f"Từ ngày {_d(c.d0)}, lịch thu gom rác thải sinh hoạt {c.area_vi} được điều chỉnh: thu gom vào "
                f"{days[0]}, từ {h} giờ đến {h + 4} giờ.",
                f"From {_d(c.d0)} household waste {c.area_en} will be collected on "
                f"{days[1]} from {h}:00 to {h + 4}:00.",
            ),
            (
                "Người dân buộc kín túi rác, để tại điểm tập kết trước giờ thu gom; không vứt rác xuống sông, "
                "kênh mương, bãi biển. Hành vi đổ rác không đúng nơi quy định sẽ bị xử phạt theo quy định.",
                "Tie bags closed and leave them at the collection point beforehand; never dump rubbish in "
                "rivers, canals or on beaches. Fly-tipping is fined.",
            ),
        ]
    return _out(title, summary, body)


def _earth_hour(year: int) -> date:
    day = date(year, 3, 31)
    while day.weekday() != 5:
        day -= timedelta(days=1)
    return day


def _green_season(day: date) -> bool:
    md = (day.month, day.day)
    return (
        (5, 15) <= md <= (6, 4)
        or (8, 25) <= md <= (9, 15)
        or (day.month == 3 and 0 <= (_earth_hour(day.year) - day).days <= 20)
    )


@_tpl(
    "moi-truong",
    scopes={"province": 2, "district": 2, "commune": 1},
    orgs=("STNMT",),
    season=_green_season,
    timing=(3, 15, 0, 1),
    urg=(0.0, 0.02),
    local=0.6,
)
def _t_green_campaign(c: _Ctx) -> _Out:
    earth = _earth_hour(c.day.year)
    if earth < c.day:
        earth = _earth_hour(c.day.year + 1)
    env_day = _next_anchor(c.day, 6, 5)
    clean_up = _next_anchor(c.day, 9, 30)
    nearest = min(earth, env_day, clean_up)
    y = nearest.year
    if nearest == earth:
        when = earth
        title = (f"Hưởng ứng Chiến dịch Giờ Trái Đất năm {y}{c.loc_vi}", f"Earth Hour {y}{c.loc_en}")
        lead = (
            f"Tắt đèn và các thiết bị điện không cần thiết từ 20 giờ 30 đến 21 giờ 30 ngày {_d(when)}.",
            f"Switch off lights and non-essential appliances from 20:30 to 21:30 on {_d(when)}.",
        )
    elif nearest == env_day:
        when = env_day
        title = (
            f"Ra quân hưởng ứng Ngày Môi trường thế giới 05/06/{y}{c.loc_vi}",
            f"Clean-up day for World Environment Day, 05/06/{y}{c.loc_en}",
        )
        lead = (
            f"Ra quân dọn vệ sinh khu dân cư, bãi biển, bờ sông vào sáng Chủ nhật trước ngày {_d(when)}.",
            f"Neighbourhood, beach and riverbank clean-ups on the Sunday morning before {_d(when)}.",
        )
    else:
        when = clean_up
        title = (
            f"Chiến dịch Làm cho thế giới sạch hơn năm {y}{c.loc_vi}",
            f"Clean Up the World campaign {y}{c.loc_en}",
        )
        lead = (
            f"Chiến dịch diễn ra trong tháng 9/{y}, với các hoạt động thu gom rác "
            "thải nhựa và trồng cây xanh.",
            f"The campaign runs through September {y} with plastic clean-ups and tree planting.",
        )
    summary = lead
    body = [
        (
            f"{c.org_vi} phát động {title[0][0].lower()}{title[0][1:]}. {lead[0]}",
            f"{c.org_en_cap} is launching this campaign. {lead[1]}",
        ),
        (
            f"{c.org_vi} kêu gọi cơ quan, trường học, doanh nghiệp và người dân {c.area_vi} tích cực tham gia, "
            "hạn chế sử dụng túi ni lông và đồ nhựa dùng một lần.",
            f"{c.org_en_cap} invites offices, schools, businesses and residents {c.area_en} to take part and "
            "cut down on plastic bags and single-use plastics.",
        ),
    ]
    return _out(title, summary, body, when)


@_tpl(
    "moi-truong",
    scopes={"province": 1, "district": 2, "commune": 1, "multi": 1},
    orgs=("STNMT",),
    area=_LOWLAND,
    season=_window(((4, 15), (5, 31)), ((8, 1), (9, 10))),
    timing=(0, 0, 7, 20),
    warn=True,
    urg=(0.0, 0.15),
    local=0.7,
)
def _t_straw_burning(c: _Ctx) -> _Out:
    aqi = c.r.randint(151, 190)
    title = (
        f"Không đốt rơm rạ sau thu hoạch để bảo vệ chất lượng không khí{c.loc_vi}",
        f"Do not burn rice straw after the harvest{c.loc_en}",
    )
    summary = (
        f"Chỉ số chất lượng không khí có thời điểm lên mức {aqi} (kém) do khói đốt rơm rạ; người "
        "dân tận dụng rơm thay vì đốt.",
        f"Straw smoke pushed the air quality index to {aqi} (unhealthy) at times; please reuse "
        "straw instead of burning it.",
    )
    body = [
        (
            f"Mùa thu hoạch lúa, tình trạng đốt rơm rạ ngoài đồng {c.area_vi} làm chỉ số chất lượng không "
            f"khí (AQI) tại trạm quan trắc tự động có thời điểm lên mức {aqi}, ở ngưỡng kém, ảnh hưởng đến "
            "sức khỏe và an toàn giao thông.",
            f"Field burning after the harvest {c.area_en} has pushed the air quality index at the automatic "
            f"monitoring station to {aqi}, an unhealthy level that harms health and road safety.",
        ),
        _bullets(
            [
                ("Ủ rơm rạ làm phân hữu cơ bằng chế phẩm vi sinh.", "Compost straw with microbial products."),
                (
                    "Tận dụng rơm làm thức ăn cho trâu bò, trồng nấm rơm.",
                    "Use straw as cattle feed or to grow mushrooms.",
                ),
                (
                    "Người có bệnh hô hấp, người cao tuổi, trẻ nhỏ hạn chế ra ngoài khi không khí ô nhiễm.",
                    "People with breathing problems, older people and children should stay "
                    "indoors when the air is bad.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# an-ninh-trat-tu: public security
# ---------------------------------------------------------------------------

_SCAMS = (
    (
        "giả danh công an yêu cầu cập nhật VNeID",
        "fake police asking you to update VNeID",
        'giả danh cán bộ công an gọi điện, nhắn tin yêu cầu "cập nhật", "đồng bộ" dữ liệu định danh điện '
        "tử, gửi đường link cài đặt ứng dụng VNeID giả mạo để chiếm quyền điều khiển điện thoại",
        'callers posing as police officers ask people to "update" or "synchronise" their electronic ID '
        "and send links to fake VNeID apps that take over the phone",
    ),
    (
        "giả danh nhân viên điện lực",
        "fake electricity company staff",
        "giả danh nhân viên điện lực thông báo sắp cắt điện, yêu cầu thanh toán tiền điện qua đường link lạ",
        "impostors claiming to work for the power company threaten to cut the supply and send payment links",
    ),
    (
        '"việc nhẹ lương cao" qua mạng',
        '"easy work, high pay" online jobs',
        "tuyển cộng tác viên làm nhiệm vụ trực tuyến, hứa hẹn hoa hồng cao nhưng yêu cầu nạp tiền trước",
        'online "tasks" that promise high commissions but require a deposit first',
    ),
    (
        "giả mạo cơ quan thuế để hoàn thuế",
        "fake tax refunds",
        'giả mạo cơ quan thuế hướng dẫn cài đặt ứng dụng "eTax" giả để hoàn thuế thu nhập cá nhân',
        'fake tax officials tell people to install a bogus "eTax" app to claim income tax refunds',
    ),
    (
        "đầu tư tiền ảo, sàn ngoại hối",
        "crypto and forex schemes",
        "mời gọi đầu tư tiền ảo, sàn ngoại hối không được cấp phép với lợi nhuận cao bất thường",
        "unlicensed crypto and forex platforms promise abnormally high returns",
    ),
    (
        "báo tin người thân cấp cứu",
        "calls claiming a relative is in hospital",
        "giả danh giáo viên, nhân viên y tế gọi điện báo con em đang cấp cứu, yêu cầu chuyển tiền gấp",
        "callers posing as teachers or medics say a child is in hospital and demand money urgently",
    ),
)


@_tpl(
    "an-ninh-trat-tu",
    scopes={"province": 3, "district": 1.5, "commune": 0.5, "multi": 0.5},
    orgs=("CAT",),
    timing=(0, 0, 30, 120),
    urg=(0.0, 0.45),
    local=0.4,
)
def _t_fraud(c: _Ctx) -> _Out:
    short, short_en, desc, desc_en = c.pick(_SCAMS)
    title = (
        f"Cảnh giác với thủ đoạn lừa đảo {short}{c.loc_vi} ({_my(c.day)})",
        f"Beware of scams: {short_en}{c.loc_en} ({_mon_en(c.day)})",
    )
    victims = c.r.randint(3, 40)
    loss = c.r.randrange(200, 9000, 50)
    summary = (
        f"Thời gian gần đây xuất hiện thủ đoạn {desc}. Không cung cấp mã OTP, "
        "không chuyển tiền cho người lạ.",
        f"Recently {desc_en}. Never share OTP codes or send money to strangers.",
    )
    body = [
        (
            f"Thời gian gần đây, {c.area_vi} xuất hiện thủ đoạn {desc}. Đã có {victims} người bị lừa với tổng "
            f"số tiền khoảng {_money_vi(loss)}.",
            f"Recently {desc_en} {c.area_en}. {victims} people have lost about {_money_en(loss)} in total.",
        ),
        (f"{c.org_vi} khuyến cáo:", f"{c.org_en_cap} advises:"),
        _bullets(
            [
                (
                    "Cơ quan Công an không làm việc qua điện thoại và không yêu cầu "
                    "chuyển tiền vào tài khoản cá nhân.",
                    "The police never handle cases by phone or ask for money to be paid into a personal account.",
                ),
                (
                    "Không cung cấp mã OTP, mật khẩu, ảnh căn cước cho bất kỳ ai.",
                    "Never give anyone your OTP codes, passwords or photos of your ID card.",
                ),
                (
                    "Không nhấp vào đường link lạ, chỉ cài ứng dụng từ App Store và Google Play.",
                    "Do not click unknown links; install apps only from the App Store or Google Play.",
                ),
                (
                    "Khi nghi ngờ, báo ngay cho Công an xã, phường nơi gần nhất hoặc gọi 113.",
                    "If in doubt, contact the nearest commune or ward police or call 113.",
                ),
            ]
        ),
        (
            "Tra cứu cảnh báo lừa đảo trực tuyến tại [Cổng cảnh báo an toàn thông "
            "tin](https://canhbao.khonggianmang.vn).",
            "Check current online scam warnings on the [cyber safety warning "
            "portal](https://canhbao.khonggianmang.vn).",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "an-ninh-trat-tu",
    scopes={"province": 2, "district": 1.5, "commune": 1},
    orgs=("CAT",),
    timing=(0, 0, 30, 120),
    urg=(0.0, 0.1),
    local=0.5,
)
def _t_residence(c: _Ctx) -> _Out:
    if c.r.random() < 0.5:
        title = (
            f"Hướng dẫn đăng ký thường trú, tạm trú trực tuyến{c.loc_vi} ({_my(c.day)})",
            f"Registering permanent or temporary residence online{c.loc_en} ({_mon_en(c.day)})",
        )
        summary = (
            "Công dân đăng ký cư trú trực tuyến qua Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID, không "
            "phải nộp giấy tờ đã có trong Cơ sở dữ liệu quốc gia về dân cư.",
            "Register residence online through the National Public Services Portal or VNeID, without papers "
            "already held in the national population database.",
        )
        body = [
            (
                "Theo Luật Cư trú, công dân đến sinh sống tại chỗ ở hợp pháp ngoài phạm vi đơn "
                "vị hành chính cấp xã nơi đã đăng ký thường trú từ 30 ngày trở lên phải đăng ký "
                f"tạm trú. {c.org_vi} hướng dẫn:",
                "Under the Law on Residence, anyone staying 30 days or more outside the commune of their "
                f"permanent residence must register temporary residence. {c.org_en_cap} explains how:",
            ),
            _bullets(
                [
                    (
                        "Đăng nhập Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID bằng "
                        "tài khoản định danh mức độ 2.",
                        "Log in to the National Public Services Portal or VNeID with a level 2 account.",
                    ),
                    (
                        "Chọn thủ tục đăng ký tạm trú (hoặc thường trú), khai thông tin và tải giấy "
                        "tờ chứng minh chỗ ở hợp pháp.",
                        "Choose temporary (or permanent) residence registration, fill in the form and upload "
                        "proof of lawful accommodation.",
                    ),
                    (
                        "Theo dõi kết quả trên ứng dụng; thông tin cư trú được cập nhật vào Cơ "
                        "sở dữ liệu quốc gia về dân cư.",
                        "Track the result in the app; your record is updated in the national population database.",
                    ),
                ]
            ),
            (
                "Không đăng ký tạm trú có thể bị phạt tiền từ 500.000 đến 1.000.000 đồng.",
                "Failing to register temporary residence can be fined 500,000 to 1,000,000 dong.",
            ),
            _LINK_DVC_QG,
        ]
    else:
        title = (
            f"Thông báo lưu trú đối với cơ sở lưu trú du lịch, nhà cho thuê trọ{c.loc_vi} ({_my(c.day)})",
            f"Guest registration duties for hotels, homestays and rented rooms{c.loc_en} ({_mon_en(c.day)})",
        )
        summary = (
            "Cơ sở lưu trú thông báo lưu trú cho khách trước 23 giờ; khách đến sau 23 giờ thông "
            "báo trước 08 giờ sáng hôm sau.",
            "Accommodation providers must report guests before 23:00, or before 08:00 the "
            "next morning for late arrivals.",
        )
        body = [
            (
                f"{c.org_vi} đề nghị các cơ sở kinh doanh lưu trú, homestay và chủ nhà cho "
                f"thuê trọ {c.area_vi} thực hiện thông báo lưu trú cho khách qua ứng dụng "
                "VNeID hoặc phần mềm quản lý lưu trú.",
                f"{c.org_en_cap} asks hotels, homestays and landlords {c.area_en} to report their guests "
                "through VNeID or the guest registration software.",
            ),
            _bullets(
                [
                    (
                        "Thông báo trước 23 giờ; khách đến sau 23 giờ thông báo trước 08 giờ sáng hôm sau.",
                        "Report before 23:00; for guests arriving later, before 08:00 the next morning.",
                    ),
                    (
                        "Khách nước ngoài phải được khai báo tạm trú theo quy định về xuất nhập cảnh.",
                        "Foreign guests must be declared under the immigration rules.",
                    ),
                ]
            ),
        ]
    return _out(title, summary, body)


_TRAFFIC_CAMPAIGNS = (
    ("Tăng cường kiểm tra, xử lý vi phạm nồng độ cồn", "Stepped-up drink-driving checks"),
    ("Tổng kiểm soát phương tiện giao thông đường bộ", "Road vehicle inspections"),
    ("Bảo đảm an toàn giao thông cho học sinh đến trường", "Road safety for pupils on their way to school"),
    ("Cao điểm bảo đảm trật tự an toàn giao thông dịp lễ, Tết", "Holiday road safety drive"),
)


@_tpl(
    "an-ninh-trat-tu",
    scopes={"province": 2, "district": 2, "commune": 0.5, "multi": 0.5},
    orgs=("CAT",),
    timing=(0, 5, 15, 45),
    urg=(0.0, 0.2),
    local=0.5,
)
def _t_traffic_safety(c: _Ctx) -> _Out:
    camp, camp_en = c.pick(_TRAFFIC_CAMPAIGNS)
    roads: list[str] = []
    for key in c.keys or ("502", "506", "513", "514"):
        roads += [r for r in _ROADS.get(key, ()) if r not in roads and not r.startswith("đường ")]
    roads = roads[:4] or ["QL1A"]
    roads_vi = ("tuyến " if len(roads) == 1 else "các tuyến ") + _join_vi(roads)
    roads_en = _join_en([_a(r) for r in roads])
    title = (f"{camp}{c.loc_vi} từ ngày {_d(c.d0)}", f"{camp_en}{c.loc_en} from {_d(c.d0)}")
    summary = (
        "Lực lượng Cảnh sát giao thông tăng cường tuần tra, kiểm soát từ ngày "
        f"{_d(c.d0)} đến ngày {_d(c.d1)}.",
        f"Traffic police step up patrols and checks from {_d(c.d0)} to {_d(c.d1)}.",
    )
    body = [
        (
            f'{c.org_vi} triển khai kế hoạch "{camp}" {c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}, '
            f"tập trung vào {roads_vi} và các tuyến đường trung tâm.",
            f"{c.org_en_cap} runs a road safety campaign ({camp_en.lower()}) {c.area_en} "
            f"from {_d(c.d0)} to {_d(c.d1)}, "
            f"focusing on {roads_en} and town-centre streets.",
        ),
        _bullets(
            [
                ("Đã uống rượu, bia thì không lái xe.", "Never drive after drinking."),
                (
                    "Đội mũ bảo hiểm đạt chuẩn khi đi xe mô tô, xe gắn máy, xe đạp điện.",
                    "Wear a certified helmet on motorbikes, mopeds and e-bikes.",
                ),
                (
                    "Không giao xe cho người chưa đủ tuổi, chưa có giấy phép lái xe.",
                    "Do not let under-age or unlicensed people ride your vehicle.",
                ),
            ]
        ),
        (
            "Người điều khiển ô tô vi phạm nồng độ cồn ở mức cao nhất có thể bị phạt tiền đến 40.000.000 "
            "đồng và tước giấy phép lái xe.",
            "Car drivers over the highest alcohol limit face fines of up to 40,000,000 "
            "dong and loss of their licence.",
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "an-ninh-trat-tu",
    scopes={"province": 1.5, "district": 2, "commune": 1},
    orgs=("CAT",),
    season=_window(((3, 15), (8, 31)), ((12, 1), (2, 10))),
    timing=(0, 0, 30, 90),
    urg=(0.0, 0.25),
    local=0.5,
)
def _t_fire_safety(c: _Ctx) -> _Out:
    dry = 3 <= c.day.month <= 8
    if dry:
        when = ("mùa hanh khô", "the dry season")
    else:
        when = ("dịp cuối năm và Tết", "the year-end and Tet season")
    title = (
        f"Phòng cháy, chữa cháy nhà ở kết hợp sản xuất, kinh doanh {when[0]} năm {c.day.year}{c.loc_vi}",
        f"Fire safety in homes used for business during {when[1]} {c.day.year}{c.loc_en}",
    )
    summary = (
        "Trang bị bình chữa cháy, tạo lối thoát nạn thứ hai và không sạc xe điện qua đêm gần lối thoát.",
        "Keep an extinguisher, create a second escape route and never charge e-bikes overnight near exits.",
    )
    body = [
        (
            f"Trong {when[0]}, nguy cơ cháy nổ tại nhà ở kết hợp sản xuất, kinh doanh rất cao. {c.org_vi} "
            f"khuyến cáo người dân {c.area_vi}:",
            f"During {when[1]} the fire risk in homes that double as shops or workshops is high. "
            f"{c.org_en_cap} advises residents {c.area_en} as follows:",
        ),
        _bullets(
            [
                (
                    "Trang bị bình chữa cháy, thiết bị báo cháy; kiểm tra hệ thống điện định kỳ.",
                    "Keep a fire extinguisher and a smoke alarm and have the wiring checked regularly.",
                ),
                (
                    "Tạo lối thoát nạn thứ hai qua ban công, mái nhà; không khóa kín chuồng cọp.",
                    "Make a second escape route via the balcony or roof; do not lock window cages shut.",
                ),
                (
                    "Không sạc xe máy điện, xe đạp điện qua đêm hoặc gần lối thoát nạn.",
                    "Do not charge electric bikes overnight or near escape routes.",
                ),
                ("Khi xảy ra cháy, gọi ngay 114.", "In case of fire, call 114 immediately."),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "an-ninh-trat-tu",
    scopes={"district": 2, "commune": 2},
    orgs=("CAT",),
    timing=(0, 5, 30, 90),
    urg=(0.0, 0.1),
    local=0.85,
)
def _t_weapons(c: _Ctx) -> _Out:
    title = (
        f"Vận động người dân giao nộp vũ khí, vật liệu nổ và công cụ hỗ trợ{c.loc_vi} (đợt {_my(c.day)})",
        f"Weapons, explosives and unexploded ordnance hand-in drive{c.loc_en} ({_mon_en(c.day)})",
    )
    summary = (
        "Người dân tự nguyện giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ và báo tin về bom, mìn "
        "còn sót lại sau chiến tranh.",
        "Residents are invited to hand in weapons, explosives and restraint devices and report "
        "unexploded wartime ordnance.",
    )
    body = [
        (
            f"Thực hiện Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ, {c.org_vi} vận "
            f"động người dân {c.area_vi} tự nguyện giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ tại "
            "Công an xã, phường, thị trấn.",
            f"Under the law on weapons, explosives and restraint devices, {c.org_en} invites "
            f"residents {c.area_en} to hand in weapons, explosives and restraint devices at "
            "their commune police station.",
        ),
        (
            "Khi phát hiện bom, mìn, đạn, vật nổ còn sót lại sau chiến tranh, tuyệt đối không tự ý tháo gỡ, "
            "cưa đục, di chuyển; đánh dấu khu vực và báo ngay cho Công an xã hoặc Ban Chỉ huy quân sự xã.",
            "If you find wartime bombs, mines or shells, never try to dismantle, cut or move them; mark the "
            "spot and report it at once to the commune police or military command.",
        ),
    ]
    return _out(title, summary, body)


# ---------------------------------------------------------------------------
# chuyen-doi-so: digital government
# ---------------------------------------------------------------------------

_APP_FEATURES = (
    ("tra cứu tiến độ hồ sơ thủ tục hành chính", "tracking administrative applications"),
    ("nhận cảnh báo thiên tai theo vị trí", "location-based disaster alerts"),
    ("thanh toán phí, lệ phí trực tuyến", "paying fees and charges online"),
    ("tra cứu điểm thi, kết quả tuyển sinh", "checking exam scores and admission results"),
    ("đặt lịch hẹn làm thủ tục hành chính", "booking appointments at one-stop desks"),
    ("phản ánh hiện trường kèm hình ảnh, vị trí", "reporting local issues with photos and location"),
)


@_tpl(
    "chuyen-doi-so",
    scopes={"province": 3, "district": 1.5, "commune": 0.5},
    orgs=("STTTT",),
    timing=(0, 0, 30, 120),
    urg=(0.0, 0.05),
    local=0.5,
    en=0.4,
)
def _t_smart_app(c: _Ctx) -> _Out:
    feature, feature_en = c.pick(_APP_FEATURES)
    title = (
        f"Ứng dụng Smart Quảng Nam bổ sung tính năng {feature}{c.loc_vi}",
        f"Smart Quang Nam app adds {feature_en}{c.loc_en}",
    )
    summary = (
        f"Từ ngày {_d(c.day)}, người dân có thể {feature} ngay trên ứng dụng Smart Quảng Nam.",
        f"From {_d(c.day)} residents can use the Smart Quang Nam app for {feature_en}.",
    )
    body = [
        (
            f"{c.org_vi} thông báo ứng dụng Smart Quảng Nam đã bổ sung tính năng {feature}. Ứng dụng là "
            "kênh tương tác chính thức giữa chính quyền và người dân, kết nối với Trung tâm Giám sát, "
            "điều hành thông minh (IOC) của tỉnh.",
            f"{c.org_en_cap} announces that the Smart Quang Nam app now supports {feature_en}. The app is the "
            "official channel between residents and the authorities and is linked to the provincial "
            "Intelligent Operations Centre (IOC).",
        ),
        _bullets(
            [
                (
                    "Tải ứng dụng Smart Quảng Nam trên App Store hoặc Google Play.",
                    "Download Smart Quang Nam from the App Store or Google Play.",
                ),
                ("Đăng nhập bằng tài khoản định danh điện tử VNeID.", "Log in with your VNeID account."),
                (
                    "Chọn địa bàn cư trú để nhận thông báo của tỉnh, huyện và xã nơi mình sinh sống.",
                    "Choose where you live to receive notices from your province, district and commune.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


_CASHLESS = (
    ("nộp học phí", "school fees"),
    ("thanh toán viện phí", "hospital bills"),
    ("nộp phí, lệ phí thủ tục hành chính", "administrative fees"),
    ("thanh toán tiền điện, nước", "utility bills"),
    ("mua bán tại chợ truyền thống bằng mã QR", "QR-code payments at traditional markets"),
)


@_tpl(
    "chuyen-doi-so",
    scopes={"province": 2, "district": 1.5, "commune": 1},
    orgs=("STTTT",),
    timing=(0, 0, 30, 120),
    urg=(0.0, 0.05),
    local=0.6,
)
def _t_cashless(c: _Ctx) -> _Out:
    domain, domain_en = c.pick(_CASHLESS)
    title = (
        f"Đẩy mạnh thanh toán không dùng tiền mặt trong {domain}{c.loc_vi} ({_my(c.day)})",
        f"Going cashless for {domain_en}{c.loc_en} ({_mon_en(c.day)})",
    )
    summary = (
        f"Người dân {domain} qua ứng dụng ngân hàng, ví điện tử hoặc quét mã VietQR, nhanh chóng và an toàn.",
        f"Pay {domain_en} with banking apps, e-wallets or VietQR codes, quickly and safely.",
    )
    body = [
        (
            f"Thực hiện Đề án phát triển thanh toán không dùng tiền mặt, {c.org_vi} khuyến khích người dân "
            f"{c.area_vi} {domain} qua các phương thức điện tử.",
            f"As part of the cashless payments plan, {c.org_en} encourages residents {c.area_en} to pay "
            f"{domain_en} electronically.",
        ),
        _bullets(
            [
                (
                    "Quét mã VietQR bằng ứng dụng ngân hàng; kiểm tra đúng tên người nhận trước khi xác nhận.",
                    "Scan VietQR codes with your banking app and check the payee's name before confirming.",
                ),
                (
                    "Thanh toán phí, lệ phí thủ tục hành chính trên Cổng Dịch vụ công qua nền tảng PayGov.",
                    "Pay administrative fees on the public services portal through PayGov.",
                ),
                (
                    "Không chia sẻ mã OTP, mật khẩu ứng dụng ngân hàng.",
                    "Never share OTP codes or banking passwords.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body)


@_tpl(
    "chuyen-doi-so",
    scopes={"province": 1, "district": 2, "commune": 2},
    orgs=("STTTT",),
    timing=(3, 10, 1, 5),
    urg=(0.0, 0.02),
    local=0.8,
)
def _t_digital_skills(c: _Ctx) -> _Out:
    if c.day >= date(2025, 4, 1):
        title = (
            'Phong trào "Bình dân học vụ số": hướng dẫn kỹ năng số cho người '
            f"dân{c.loc_vi} từ ngày {_dm(c.d0)}",
            f'"Digital literacy for all": digital skills sessions{c.loc_en} from {_dm(c.d0)}',
        )
    else:
        title = (
            f"Tổ công nghệ số cộng đồng hướng dẫn người dân sử dụng dịch vụ số{c.loc_vi} từ ngày {_dm(c.d0)}",
            "Community digital technology teams help residents use online "
            f"services{c.loc_en} from {_dm(c.d0)}",
        )
    summary = (
        f"Các buổi hướng dẫn miễn phí từ ngày {_d(c.d0)} đến ngày {_d(c.d1)} tại "
        "nhà văn hóa thôn, tổ dân phố.",
        f"Free sessions from {_d(c.d0)} to {_d(c.d1)} at village and neighbourhood halls.",
    )
    body = [
        (
            f"{c.org_vi} phối hợp với Đoàn Thanh niên và tổ công nghệ số cộng đồng tổ chức hướng dẫn kỹ năng "
            f"số cho người dân {c.area_vi} từ ngày {_d(c.d0)} đến ngày {_d(c.d1)}. Nội dung:",
            f"{c.org_en_cap}, the Youth Union and community digital teams offer digital skills sessions "
            f"{c.area_en} from {_d(c.d0)} to {_d(c.d1)}, covering:",
        ),
        _bullets(
            [
                ("Cài đặt, kích hoạt tài khoản VNeID mức độ 2.", "installing and activating VNeID level 2;"),
                (
                    "Nộp hồ sơ dịch vụ công trực tuyến, thanh toán không dùng tiền mặt.",
                    "applying for public services online and paying without cash;",
                ),
                ("Nhận diện tin giả, lừa đảo trên không gian mạng.", "spotting fake news and online scams."),
            ]
        ),
        ("Người dân mang theo điện thoại thông minh và căn cước.", "Bring your smartphone and ID card."),
    ]
    return _out(title, summary, body)


def _digital_day_season(day: date) -> bool:
    return day.year >= 2022 and (9, 15) <= (day.month, day.day) <= (10, 8)


@_tpl(
    "chuyen-doi-so",
    scopes={"province": 2, "district": 1.5},
    orgs=("STTTT",),
    season=_digital_day_season,
    timing=(2, 20, 0, 1),
    urg=(0.0, 0.05),
    local=0.6,
)
def _t_digital_day(c: _Ctx) -> _Out:
    when = date(c.day.year, 10, 10)
    title = (
        f"Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10/{c.day.year}{c.loc_vi}",
        f"National Digital Transformation Day, 10/10/{c.day.year}{c.loc_en}",
    )
    summary = (
        "Chuỗi hoạt động trải nghiệm dịch vụ số, hỗ trợ người dân cài đặt ứng dụng và thanh toán điện tử.",
        "Events to try digital services and get help installing apps and paying electronically.",
    )
    body = [
        (
            f"Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10, {c.org_vi} tổ chức chuỗi hoạt động {c.area_vi} từ "
            f"ngày {_d(c.day)} đến ngày {_d(when)}.",
            f"For National Digital Transformation Day (10 October), {c.org_en} holds events {c.area_en} "
            f"from {_d(c.day)} to {_d(when)}.",
        ),
        _bullets(
            [
                (
                    "Không gian trải nghiệm dịch vụ công trực tuyến, ứng dụng Smart Quảng Nam và VNeID.",
                    "Try-out corners for online public services, the Smart Quang Nam app and VNeID.",
                ),
                (
                    "Hỗ trợ tiểu thương mở tài khoản, sử dụng mã QR thanh toán.",
                    "Help for traders to open accounts and use payment QR codes.",
                ),
                (
                    "Tọa đàm về an toàn thông tin cho người dân và doanh nghiệp.",
                    "Talks on online safety for residents and businesses.",
                ),
            ]
        ),
    ]
    return _out(title, summary, body, when)


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------

_DAY = timedelta(days=1)
_ATTEMPTS = 3


class _World:
    """The caller's units and organisations, prepared once per call."""

    def __init__(
        self, districts: list[UnitRef], communes: list[UnitRef], organizations: list[OrgRef]
    ) -> None:
        self.districts: list[_U] = []
        self.units: dict[str, _U] = {}
        for ref in sorted(districts, key=lambda u: u.code):
            if ref.code not in self.units:
                unit = _prep_unit(ref)
                self.districts.append(unit)
                self.units[ref.code] = unit
        self.communes_of: dict[str, list[_U]] = {d.code: [] for d in self.districts}
        seen: set[str] = set()
        for ref in sorted(communes, key=lambda u: u.code):
            if ref.parent_code in self.communes_of and ref.code not in seen and ref.code not in self.units:
                seen.add(ref.code)
                self.communes_of[ref.parent_code].append(_prep_unit(ref))
        local_codes = set(self.units) | seen
        self.committees: dict[str, OrgRef] = {}
        self.provincial: dict[str, OrgRef] = {}
        for org in sorted(organizations, key=lambda o: o.code):
            if org.kind == "district_committee":
                if org.unit_code in self.units and org.unit_code not in self.committees:
                    self.committees[org.unit_code] = org
            elif org.unit_code and org.unit_code != PROVINCE_CODE and org.unit_code in local_codes:
                continue  # a local office: never used
            else:
                self.provincial.setdefault(org.code, org)
        if not self.provincial and not self.committees:
            raise ValueError(
                "organizations must contain a provincial body or a district committee of one of the districts"
            )
        self.departments = [o for o in self.provincial.values() if o.kind == "department"]
        self.others = [o for o in self.provincial.values() if o.kind != "department"]
        # Per template: the districts it may target, and those of them that have communes.
        self.cands: dict[str, tuple[list[_U], list[_U]]] = {}
        for tpl in _TEMPLATES:
            need_committee = tpl.committee_only or not self.provincial
            pool = [
                d
                for d in self.districts
                if (not need_committee or d.code in self.committees)
                and (tpl.area is None or d.key in tpl.area)
            ]
            self.cands[tpl.key] = (pool, [d for d in pool if self.communes_of[d.code]])
        scopes = {}
        if self.provincial:
            scopes["province"] = _SCOPE_WEIGHTS["province"]
            if len(self.districts) >= 2:
                scopes["multi"] = _SCOPE_WEIGHTS["multi"]
        pool_all = [d for d in self.districts if self.provincial or d.code in self.committees]
        if pool_all:
            scopes["district"] = _SCOPE_WEIGHTS["district"]
            if any(self.communes_of[d.code] for d in pool_all):
                scopes["commune"] = _SCOPE_WEIGHTS["commune"]
        self.scope_names = list(scopes)
        self.scope_weights = list(scopes.values())
        self._menu_cache: dict[tuple[str, date, bool], list[tuple[list[_Tpl], list[float], float]]] = {}

    # -- templates ---------------------------------------------------------
    def _eligible(self, tpl: _Tpl, scope: str, day: date) -> bool:
        if scope not in tpl.scopes or (tpl.season is not None and not tpl.season(day)):
            return False
        pool, with_communes = self.cands[tpl.key]
        if scope == "province":
            return bool(self.provincial) and not tpl.committee_only
        if scope == "district":
            return bool(pool)
        if scope == "commune":
            return bool(with_communes)
        return len(pool) >= 2 and bool(self.provincial)  # multi

    def _menu(self, scope: str, day: date, active: bool) -> list[tuple[list[_Tpl], list[float], float]]:
        key = (scope, day, active)
        menu = self._menu_cache.get(key)
        if menu is None:
            by_cat: dict[str, tuple[list[_Tpl], list[float]]] = {}
            for tpl in _TEMPLATES:
                if self._eligible(tpl, scope, day):
                    weight = tpl.weight * tpl.scopes[scope] * (0.35 if active and tpl.warn else 1.0)
                    entry = by_cat.setdefault(tpl.category, ([], []))
                    entry[0].append(tpl)
                    entry[1].append(weight)
            menu = [(tpls, weights, _CATEGORY_WEIGHTS[cat]) for cat, (tpls, weights) in by_cat.items()]
            self._menu_cache[key] = menu
        return menu

    def pick_template(self, rng: random.Random, scope: str, day: date, active: bool) -> tuple[_Tpl, str]:
        others = ("district", "province", "commune", "multi")
        order = [scope] + [s for s in others if s != scope and s in self.scope_names]
        for candidate in order:
            menu = self._menu(candidate, day, active)
            if menu:
                tpls, weights, _ = rng.choices(menu, weights=[m[2] for m in menu])[0]
                return rng.choices(tpls, weights=weights)[0], candidate
        # Nothing in season for any scope (only possible with odd inputs): ignore the season.
        for candidate in order:
            tpls = [t for t in _TEMPLATES if self._eligible(_replace_season(t), candidate, day)]
            if tpls:
                return rng.choice(tpls), candidate
        raise ValueError("no template fits the given units and organisations")

    # -- organisations -----------------------------------------------------
    def preferred(self, codes: Sequence[str], day: date) -> OrgRef | None:
        for code in codes:
            successor = _SUCCESSOR.get(code)
            order = (successor, code) if day >= _MERGE_DATE else (code, successor)
            for candidate in order:
                if candidate is not None and candidate in self.provincial:
                    return self.provincial[candidate]
        return None

    def org_names(self, org: OrgRef) -> tuple[str, str]:
        if org.kind == "district_committee" and org.unit_code in self.units:
            unit = self.units[org.unit_code]
            return f"UBND {unit.vi}", f"the {unit.en} People's Committee"
        name = " ".join(org.name_vi.split())
        for long in ("Ủy ban nhân dân", "Uỷ ban nhân dân"):
            name = name.replace(long, "UBND")
        return name, _ORG_EN.get(org.code) or _KIND_EN.get(org.kind, "the provincial authorities")


def _neighbourhood(rng: random.Random, pool: list[_U], k: int) -> list[_U]:
    """``k`` districts of ``pool`` that belong together (same zone) where possible."""
    seed = rng.choice(pool)
    near = [d for d in pool if d is not seed and any(seed.key in z and d.key in z for z in _ZONES)]
    chosen = [seed, *rng.sample(near, min(k - 1, len(near)))]
    if len(chosen) < k:
        rest = [d for d in pool if d not in chosen]
        chosen += rng.sample(rest, k - len(chosen))
    return chosen


def _replace_season(tpl: _Tpl) -> _Tpl:
    return _Tpl(**{**tpl.__dict__, "season": None})


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN_TZ)


def _clock(rng: random.Random, day: date, warn: bool) -> datetime:
    if warn:
        return _at(day, rng.randint(5, 21), rng.choice((0, 15, 30, 45)))
    return _at(day, rng.randint(7, 16), rng.randrange(0, 60, 5))


def _past_age(rng: random.Random) -> float:
    """Days before now: spread over three years, denser recently."""
    return 1095.0 * rng.random() ** 1.8


def _unique_title(
    title_vi: str,
    title_en: str,
    used: set[str],
    bumps: dict[str, int],
    day: date,
    seq: int,
) -> tuple[str, str]:
    if title_vi not in used:
        return title_vi, title_en
    dated = (f"{title_vi} - ngày {_d(day)}", f"{title_en} - {_d(day)}")
    if _d(day) not in title_vi and dated[0] not in used:
        return dated
    k = bumps.get(title_vi, 1)
    for _ in range(50):
        k += 1
        candidate = (f"{title_vi} (lần {k})", f"{title_en} (update {k})")
        if candidate[0] not in used:
            bumps[title_vi] = k
            return candidate
    return f"{title_vi} (số {seq})", f"{title_en} (no. {seq})"


def _draw_kind(rng: random.Random, world: _World) -> tuple[str, str, str]:
    """State, time class and audience scope of the next notice."""
    x = rng.random()
    state = next(name for bound, name in _STATE_CUM if x < bound)
    if state == "published":
        if rng.random() < _P_FUTURE:
            tclass = "future"
        else:
            z = rng.random()
            tclass = "expired" if z < _P_EXPIRED else "active" if z < _P_EXPIRED + _P_ACTIVE else "none"
    elif state == "archived":
        tclass = "archived"
    else:
        tclass = "planned"
    scope = rng.choices(world.scope_names, weights=world.scope_weights)[0]
    return state, tclass, scope


def _one(
    rng: random.Random,
    world: _World,
    now: datetime,
    kind: tuple[str, str, str],
    seq: int,
    used: set[str],
    bumps: dict[str, int],
    final: bool,
) -> NoticeSeed | None:
    """One notice; ``None`` when its title is taken and this is not the last attempt."""
    now_local = now.astimezone(VN_TZ)
    state, tclass, scope = kind
    # 1. template and publication time
    pub: datetime
    if tclass == "active":
        tpl, scope = world.pick_template(rng, scope, now_local.date(), True)
    else:
        if tclass in ("none", "expired"):
            base = now_local - timedelta(days=_past_age(rng))
        elif tclass == "archived":
            base = now_local - timedelta(days=120 + 975 * rng.random() ** 1.3)
        elif tclass == "future":
            base = now_local + timedelta(days=rng.uniform(0.1, 10))
        elif state == "draft":
            base = now_local + timedelta(days=rng.uniform(-3, 14))
        else:
            base = now_local + timedelta(days=rng.uniform(0, 7))
        tpl, scope = world.pick_template(rng, scope, base.date(), False)
    lead_lo, lead_hi, dur_lo, dur_hi = tpl.timing
    lead = rng.randint(int(lead_lo), int(lead_hi))
    if tpl.warn:
        span = timedelta(hours=rng.randint(int(dur_lo * 24), int(dur_hi * 24)))
        dur = 0
        horizon = span
    else:
        dur = rng.randint(int(dur_lo), int(dur_hi))
        span = timedelta(0)
        horizon = timedelta(days=lead + dur + 1)
    if tclass == "active":
        age = timedelta(seconds=horizon.total_seconds() * 0.85 * rng.random())
        if tpl.warn:
            pub = now_local - age
            pub = pub.replace(minute=pub.minute - pub.minute % 5, second=0, microsecond=0)
        else:
            pub = _clock(rng, (now_local - age).date(), False)
    else:
        pub = _clock(rng, base.date(), tpl.warn)
        if tclass == "expired" and pub + horizon >= now_local:
            # Still running: move it back a year (52 weeks, so the season and weekday are kept).
            pub -= timedelta(weeks=52)
    if tclass in ("future",) and pub <= now_local:
        pub = now_local + timedelta(minutes=rng.randint(30, 300))
    elif tclass in ("none", "expired", "archived", "active") and pub > now_local:
        pub = now_local - timedelta(minutes=rng.randint(10, 240))
        pub = pub.replace(second=0, microsecond=0)

    # 2. audience
    pool, with_communes = world.cands[tpl.key]
    district: _U | None = None
    districts: tuple[_U, ...] = ()
    communes: tuple[_U, ...] = ()
    if scope == "district":
        district = rng.choice(pool)
        districts = (district,)
    elif scope == "commune":
        district = rng.choice(with_communes)
        districts = (district,)
        options = world.communes_of[district.code]
        k = min(len(options), rng.choices((1, 2, 3), weights=(0.6, 0.25, 0.15))[0])
        communes = tuple(sorted(rng.sample(options, k), key=lambda u: u.code))
    elif scope == "multi":
        k = min(len(pool), rng.choices((2, 3, 4, 5), weights=(0.45, 0.3, 0.15, 0.1))[0])
        districts = tuple(sorted(_neighbourhood(rng, pool, k), key=lambda u: u.code))

    # 3. issuing organisation
    org: OrgRef | None = None
    if district is not None:
        committee = world.committees.get(district.code)
        if committee is not None and (tpl.committee_only or not world.provincial or rng.random() < tpl.local):
            org = committee
    if org is None:
        org = world.preferred(tpl.orgs + _CATEGORY_ORGS[tpl.category], pub.date())
    if org is None:
        fallback = world.departments or world.others
        if fallback:
            org = rng.choice(fallback)
        else:
            assert district is not None
            org = world.committees[district.code]
    org_vi, org_en = world.org_names(org)

    # 4. urgency and text
    u = rng.random()
    urgency = "emergency" if u < tpl.urg[0] else "important" if u < tpl.urg[0] + tpl.urg[1] else "normal"
    d0 = pub.date() + timedelta(days=lead)
    d1 = (pub + span).date() if tpl.warn else d0 + timedelta(days=dur)
    ctx = _Ctx(
        rng,
        pub,
        d0,
        d1,
        urgency,
        scope,
        org,
        org_vi,
        org_en,
        district,
        districts,
        communes,
        category=tpl.category,
    )
    out = tpl.render(ctx)
    if urgency == "emergency" and not out.title_vi.startswith("Khẩn"):
        out.title_vi = f"Khẩn cấp: {out.title_vi[:1].lower()}{out.title_vi[1:]}"
        out.title_en = f"Emergency: {out.title_en}"
    if out.title_vi in used and not final:
        return None

    # 5. expiry
    if out.end is not None:
        expire = _at(out.end + _DAY, 0, 0)
    elif tpl.warn:
        expire = pub + span
    else:
        expire = _at(d1 + _DAY, 0, 0)
    if expire <= pub:
        expire = pub + _DAY
    keep = {"none": 0.0, "future": 0.6, "planned": 0.5, "archived": 0.6}.get(tclass, 1.0)
    expire_at: datetime | None = expire if keep >= 1.0 or rng.random() < keep else None

    # 6. flags and uniqueness
    pinned = False
    running = expire_at is None or expire_at > now_local
    if state == "published" and running and pub > now_local - _PIN_WINDOW:
        pinned = rng.random() < _PIN_P[urgency]
    p_en = tpl.en * (0.75 if scope == "commune" else 1.0)
    english = rng.random() < p_en

    title_vi, title_en = _unique_title(out.title_vi, _cap(out.title_en), used, bumps, pub.date(), seq)
    used.add(title_vi)
    if scope == "province":
        audience: tuple[str, ...] = (PROVINCE_CODE,)
    elif scope == "commune":
        audience = tuple(unit.code for unit in communes)
    else:
        audience = tuple(unit.code for unit in districts)
    return NoticeSeed(
        title_vi=title_vi,
        summary_vi=out.summary_vi,
        body_vi="\n\n".join(out.body_vi),
        title_en=title_en if english else None,
        summary_en=out.summary_en if english else None,
        body_en="\n\n".join(out.body_en) if english else None,
        category_slug=tpl.category,
        organization_code=org.code,
        audience_codes=audience,
        urgency=urgency,
        pinned=pinned,
        publish_at=pub.astimezone(UTC),
        expire_at=expire_at.astimezone(UTC) if expire_at is not None else None,
        state=state,
    )


def generate_notices(
    rng: random.Random,
    *,
    count: int,
    now: datetime,
    districts: list[UnitRef],
    communes: list[UnitRef],
    organizations: list[OrgRef],
) -> list[NoticeSeed]:
    """Generate ``count`` deterministic demo notices dated around ``now``.

    Only ``rng`` is used for randomness.  Raises ``ValueError`` for a negative count, or when
    ``organizations`` holds neither a provincial body nor a committee of one of ``districts``.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if count == 0:
        return []
    world = _World(districts, communes, organizations)
    now_utc = _as_utc(now)
    used: set[str] = set()
    bumps: dict[str, int] = {}
    notices: list[NoticeSeed] = []
    for seq in range(1, count + 1):
        kind = _draw_kind(rng, world)
        # A taken title gets up to two fresh draws (same state, timing class and scope) before a
        # distinguishing suffix is appended.
        for attempt in range(_ATTEMPTS):
            notice = _one(rng, world, now_utc, kind, seq, used, bumps, attempt == _ATTEMPTS - 1)
            if notice is not None:
                notices.append(notice)
                break
    return notices
