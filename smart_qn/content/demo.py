"""Reference data (real Quảng Nam units, bodies, services and indicators from `smart_qn/data`) and
generated demo content (indicator values and notices), loaded by `smart-qn seed` and `smart-qn demo`.

Everything generated is seeded: the same seed and anchor date give the same rows.
"""

import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from urllib.parse import quote

from sqlalchemy import delete, func, insert, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.content import demo_indicators, demo_notices, demo_reporting
from smart_qn.content.categories import Category
from smart_qn.content.indicators import Direction, Indicator, IndicatorValue, ValueStatus
from smart_qn.content.notices import Notice, NoticeState, Urgency
from smart_qn.content.periods import Frequency, Period
from smart_qn.content.services import ServiceLevel, ServiceLink, ServiceTier
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, admin_unit_successor, province_on, units_on
from smart_qn.reporting.assignments import default_reporters, reporter_of
from smart_qn.text import fold_vi

DEFAULT_SEED = 2024
DEMO_AS_OF = date(2024, 12, 31)
SERVICE_PORTAL_URL = "https://dichvucong.quangnam.gov.vn"

CATEGORIES = (
    ("thien-tai", "Phòng chống thiên tai", "Disaster prevention"),
    ("y-te", "Y tế", "Health"),
    ("giao-duc", "Giáo dục", "Education"),
    ("giao-thong", "Giao thông", "Transport"),
    ("hanh-chinh-cong", "Hành chính công", "Public administration"),
    ("kinh-te", "Kinh tế - Đầu tư", "Economy and investment"),
    ("tai-chinh", "Tài chính - Ngân sách", "Finance and budget"),
    ("du-lich", "Văn hóa - Du lịch", "Culture and tourism"),
    ("xa-hoi", "Lao động - Xã hội", "Labour and social affairs"),
    ("nong-nghiep", "Nông nghiệp", "Agriculture"),
    ("moi-truong", "Tài nguyên - Môi trường", "Natural resources and environment"),
    ("an-ninh-trat-tu", "An ninh trật tự", "Public security"),
    ("chuyen-doi-so", "Chuyển đổi số", "Digital government"),
)

_UNIT_TYPES_EN = {
    "Tỉnh": "Province",
    "Thành phố trực thuộc Trung ương": "City",
    "Thành phố": "City",
    "Thị xã": "Town",
    "Huyện": "District",
    "Phường": "Ward",
    "Xã": "Commune",
    "Thị trấn": "Township",
    "Đặc khu": "Special Zone",
}
_ORGANIZATION_KINDS = {
    "co_quan_chuyen_mon": OrganizationKind.DEPARTMENT,
    "to_chuc_hanh_chinh_khac": OrganizationKind.BOARD,
    "don_vi_su_nghiep": OrganizationKind.BOARD,
    "nganh_doc": OrganizationKind.CENTRAL_AGENCY,
}
_INDICATOR_CATEGORIES = {
    "kinh_te": "kinh-te",
    "tai_chinh": "tai-chinh",
    "du_lich": "du-lich",
    "cai_cach_hanh_chinh": "hanh-chinh-cong",
    "chinh_quyen_so": "chuyen-doi-so",
    "xa_hoi": "xa-hoi",
    "nong_nghiep": "nong-nghiep",
    "an_ninh_trat_tu": "an-ninh-trat-tu",
    "moi_truong": "moi-truong",
}
# Growth rates and balances: the only demo indicators whose figures may be below zero.
_MAY_BE_NEGATIVE = frozenset({"GRDP_GROWTH"})

_KEY_INDICATORS = (
    "GRDP_GROWTH",
    "BUDGET_REVENUE",
    "TOURIST_ARRIVALS",
    "POOR_HOUSEHOLD_RATE",
    "ONLINE_APPLICATION_RATE",
    "ON_TIME_RATE",
)
_SERVICE_CATEGORIES = {
    "Hộ tịch": "hanh-chinh-cong",
    "Chứng thực": "hanh-chinh-cong",
    "Lý lịch tư pháp": "hanh-chinh-cong",
    "Thành lập và hoạt động của doanh nghiệp": "kinh-te",
    "Thành lập và hoạt động của hộ kinh doanh": "kinh-te",
    "Đầu tư tại Việt Nam": "kinh-te",
    "Lưu thông hàng hóa trong nước": "kinh-te",
    "Kinh doanh xăng dầu": "kinh-te",
    "Đường bộ": "giao-thong",
    "Hoạt động xây dựng": "moi-truong",
    "Đất đai": "moi-truong",
    "Tài nguyên nước": "moi-truong",
    "Việc làm": "xa-hoi",
    "Bảo trợ xã hội": "xa-hoi",
    "Thu, cấp sổ BHXH, thẻ BHYT": "xa-hoi",
    "Lữ hành": "du-lich",
    "Du lịch": "du-lich",
    "Đăng ký, quản lý cư trú": "an-ninh-trat-tu",
    "Quản lý xuất nhập cảnh": "an-ninh-trat-tu",
    "Khám bệnh, chữa bệnh": "y-te",
    "An toàn thực phẩm": "y-te",
    "Dược phẩm": "y-te",
    "Thi, tuyển sinh": "giao-duc",
    "Văn bằng, chứng chỉ": "giao-duc",
    "Xuất bản, In và Phát hành": "chuyen-doi-so",
}
_SERVICE_TIERS = {"tinh": ServiceTier.PROVINCE, "huyen": ServiceTier.DISTRICT, "xa": ServiceTier.COMMUNE}
_FEATURED_SERVICES = (
    "Đăng ký khai sinh",
    "Đăng ký thường trú",
    "Cấp Phiếu lý lịch tư pháp",
    "Cấp đổi giấy phép lái xe",
    "Đăng ký thành lập doanh nghiệp",
)


@dataclass(frozen=True)
class SeedReport:
    units: int
    organizations: int
    categories: int
    services: int
    indicators: int
    indicator_values: int
    notices: int


def _data(name: str):
    text = resources.files("smart_qn.data").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else list(csv.DictReader(text.splitlines()))


def english_unit_name(name: str, unit_type: str) -> str:
    base = name.removeprefix(unit_type).strip()
    english_base = " ".join(word.capitalize() for word in fold_vi(base).split())
    return f"{english_base} {_UNIT_TYPES_EN.get(unit_type, '')}".strip()


def load_units() -> int:
    known_english = {(row["code"], row["name"]): row["name_en"] for row in _data("quang_nam_units.csv")}
    known_english |= {
        (row["code"], row["name"]): row["name_en"] for row in _data("danang_units_2025-07-01.json")
    }
    rows = sorted(
        _data("quang_nam_units_history.json"), key=lambda row: (row["level"], row["valid_from"], row["code"])
    )
    versions: dict[str, list[AdminUnit]] = {}
    for row in rows:
        valid_from = date.fromisoformat(row["valid_from"])
        unit = AdminUnit(
            code=row["code"],
            name=row["name"],
            name_en=known_english.get((row["code"], row["name"]))
            or english_unit_name(row["name"], row["type"]),
            type=row["type"],
            level=row["level"],
            valid_from=valid_from,
            valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            change_note=row.get("change"),
        )
        if row["parent_code"]:
            unit.parent = _version_on(versions, row["parent_code"], valid_from)
        versions.setdefault(row["code"], []).append(unit)
        db.session.add(unit)
    db.session.flush()
    successor_links = set()
    for row in rows:
        unit = _version_on(versions, row["code"], date.fromisoformat(row["valid_from"]))
        if unit.valid_to is None:
            continue
        for code in row["successor_codes"]:
            successor = _version_on(versions, code, unit.valid_to + timedelta(days=1))
            successor_links.add((unit.id, successor.id))
    if successor_links:
        db.session.execute(
            insert(admin_unit_successor),
            [{"predecessor_id": old, "successor_id": new} for old, new in sorted(successor_links)],
        )
    return len(rows)


def _version_on(versions: dict[str, list[AdminUnit]], code: str, on: date) -> AdminUnit:
    for unit in versions.get(code, ()):
        if unit.is_valid_on(on):
            return unit
    raise LookupError(f"no unit {code} on {on}")


def load_organizations() -> int:
    rows = _data("departments.json")
    organizations = {}
    for row in rows:
        organizations[row["code"]] = Organization(
            code=row["code"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            kind=_ORGANIZATION_KINDS[row["kind"]],
            website=row.get("website"),
            valid_from=date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
            valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
        )
    for row in rows:
        organizations[row["code"]].successors = [organizations[code] for code in row["successor_codes"]]
    districts = db.session.scalars(
        select(AdminUnit)
        .where(AdminUnit.level == UnitLevel.DISTRICT, AdminUnit.valid_to.is_not(None))
        .order_by(AdminUnit.code)
    )
    for district in districts:
        organizations[f"UBND-{district.code}"] = Organization(
            code=f"UBND-{district.code}",
            name_vi=f"Ủy ban nhân dân {district.name[0].lower()}{district.name[1:]}",
            name_en=f"People's Committee of {district.name_en}",
            kind=OrganizationKind.DISTRICT_COMMITTEE,
            admin_unit=district,
            valid_from=None,
            valid_to=district.valid_to,
        )
    db.session.add_all(organizations.values())
    db.session.flush()
    return len(organizations)


def load_categories() -> int:
    db.session.add_all(
        Category(slug=slug, name_vi=name_vi, name_en=name_en, position=position)
        for position, (slug, name_vi, name_en) in enumerate(CATEGORIES)
    )
    db.session.flush()
    return len(CATEGORIES)


def _service_organization(agency: str) -> str:
    """The organization that curates a service's link: the named department, or the Office of the
    Provincial People's Committee (which runs the public service centre) for district and commune
    procedures."""
    if "(" in agency:
        return agency.rsplit("(", 1)[1].rstrip(")")
    return agency if agency.isupper() else "VPUBND"


def load_services() -> int:
    organizations = {org.code: org for org in db.session.scalars(select(Organization))}
    categories = {category.slug: category for category in db.session.scalars(select(Category))}
    rows = _data("services.json")
    for row in rows:
        agency = row["agency"]
        db.session.add(
            ServiceLink(
                name_vi=row["name_vi"],
                field=row["field"],
                level=ServiceLevel.FULL if row["level"] == 4 else ServiceLevel.PARTIAL,
                tier=_SERVICE_TIERS[row["implementing_tier"]],
                organization=organizations[_service_organization(agency)],
                agency_name=None if agency.isupper() else agency.split(" (")[0],
                category=categories[_SERVICE_CATEGORIES.get(row["field"], "hanh-chinh-cong")],
                url=f"{SERVICE_PORTAL_URL}/tra-cuu-thu-tuc?keyword={quote(row['name_vi'])}",
                tags=[fold_vi(row["field"]).replace(" ", "-").replace(",", "")],
                featured=row["name_vi"].startswith(_FEATURED_SERVICES),
            )
        )
    db.session.flush()
    return len(rows)


def load_indicators(rng: random.Random) -> tuple[int, int]:
    """The IOC's indicators with their usual reporters (smart_qn.reporting.assignments) and three years of
    published demo figures, each attributed to the organization that reports it."""
    organizations = {org.code: org for org in db.session.scalars(select(Organization))}
    categories = {category.slug: category for category in db.session.scalars(select(Category))}
    province_unit = province_on(DEMO_AS_OF)
    districts = units_on(DEMO_AS_OF, level=UnitLevel.DISTRICT)
    units = {unit.code: unit for unit in (province_unit, *districts)}
    district_refs = [demo_indicators.DistrictRef(code=unit.code, name=unit.name) for unit in districts]
    published_at = datetime.combine(DEMO_AS_OF, datetime.min.time(), UTC)
    values = []
    rows = _data("indicators.json")
    for position, row in enumerate(rows):
        indicator = Indicator(
            code=row["code"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            measure_unit=demo_indicators.measure_unit(row["unit"]),
            description_en=row.get("note"),
            organization=organizations[row["owning_department"]],
            category=categories[_INDICATOR_CATEGORIES[row["category"]]],
            frequency=Frequency(demo_indicators.demo_frequency(row["frequency"])),
            levels=list(demo_indicators.reported_levels(row["code"])),
            direction=Direction(demo_indicators.direction(row["code"])),
            minimum=None if row["code"] in _MAY_BE_NEGATIVE else Decimal(0),
            key=row["code"] in _KEY_INDICATORS,
            position=position,
        )
        indicator.reporters = default_reporters(indicator, organizations.values())
        db.session.add(indicator)
        db.session.flush()
        for seed in demo_indicators.generate_values(rng, row, district_refs):
            period = Period.parse(seed.period)
            unit = units[seed.unit_code]
            values.append(
                {
                    "indicator_id": indicator.id,
                    "admin_unit_id": unit.id,
                    "period": str(period),
                    "period_start": period.start,
                    "value": Decimal(seed.value),
                    "status": ValueStatus.PUBLISHED,
                    "note": seed.note,
                    "organization_id": reporter_of(indicator, unit).id,
                    "published_at": published_at,
                }
            )
    db.session.execute(insert(IndicatorValue), values)
    return len(rows), len(values)


def load_notices(rng: random.Random, count: int, anchor: datetime) -> int:
    units = units_on(DEMO_AS_OF)
    by_code = {unit.code: unit for unit in units}
    district_refs = [
        demo_notices.UnitRef(unit.code, unit.name, unit.level, unit.parent.code)
        for unit in units
        if unit.level == UnitLevel.DISTRICT
    ]
    commune_refs = [
        demo_notices.UnitRef(unit.code, unit.name, unit.level, unit.parent.code)
        for unit in units
        if unit.level == UnitLevel.COMMUNE
    ]
    organizations = db.session.scalars(
        select(Organization).where(Organization.active_on(DEMO_AS_OF)).order_by(Organization.code)
    ).all()
    organization_refs = [
        demo_notices.OrgRef(
            org.code, org.name_vi, org.kind.value, org.admin_unit.code if org.admin_unit else None
        )
        for org in organizations
    ]
    organization_ids = {org.code: org.id for org in organizations}
    category_ids = {category.slug: category.id for category in db.session.scalars(select(Category))}
    seeds = demo_notices.generate_notices(
        rng,
        count=count,
        now=anchor,
        districts=district_refs,
        communes=commune_refs,
        organizations=organization_refs,
    )
    for seed in seeds:
        notice = Notice(
            organization_id=organization_ids[seed.organization_code],
            category_id=category_ids[seed.category_slug],
            title_vi=seed.title_vi,
            summary_vi=seed.summary_vi,
            body_vi=seed.body_vi,
            title_en=seed.title_en,
            summary_en=seed.summary_en,
            body_en=seed.body_en,
            urgency=Urgency(seed.urgency),
            pinned=seed.pinned,
            state=NoticeState(seed.state),
            publish_at=seed.publish_at,
            expire_at=seed.expire_at,
            created_at=min(seed.publish_at, anchor),
        )
        notice.audience = [by_code[code] for code in seed.audience_codes]
        db.session.add(notice)
    db.session.flush()
    return len(seeds)


def is_seeded() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(AdminUnit)))


class AuditLogPresent(RuntimeError):
    """The audit log is append-only: a database that has one cannot be wiped for new demo data."""


def clear() -> None:
    if db.session.scalar(select(func.count()).select_from(AuditEvent)):
        raise AuditLogPresent("this database has an audit log, which is never erased: use a new database")
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))


def seed(*, notices: int = 200, seed: int = DEFAULT_SEED, anchor: datetime | None = None) -> SeedReport:
    """Load the reference data and generate demo content into an empty database, in one transaction."""
    anchor = anchor or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    units = load_units()
    organizations = load_organizations()
    categories = load_categories()
    services = load_services()
    indicators, values = load_indicators(random.Random(f"{seed}-indicators"))
    values += demo_reporting.load_recent_reporting(random.Random(f"{seed}-reporting"), anchor, DEMO_AS_OF)
    notice_count = load_notices(random.Random(f"{seed}-notices"), notices, anchor)
    db.session.commit()
    return SeedReport(units, organizations, categories, services, indicators, values, notice_count)
