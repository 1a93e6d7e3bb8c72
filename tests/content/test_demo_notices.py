"""Demo notices: deterministic, varied, consistent with the units and organisations they are given."""

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from smart_qn.content import demo_notices as dn

NOW = datetime(2024, 10, 15, 1, 0, tzinfo=UTC)

DISTRICTS = [
    dn.UnitRef("502", "Thành phố Tam Kỳ", 2, "49"),
    dn.UnitRef("503", "Thành phố Hội An", 2, "49"),
    dn.UnitRef("504", "Huyện Tây Giang", 2, "49"),
    dn.UnitRef("513", "Huyện Thăng Bình", 2, "49"),
]
COMMUNES = [
    dn.UnitRef("20335", "Phường Tân Thạnh", 3, "502"),
    dn.UnitRef("20341", "Phường An Mỹ", 3, "502"),
    dn.UnitRef("20359", "Xã Tam Thanh", 3, "502"),
    dn.UnitRef("20398", "Phường Minh An", 3, "503"),
    dn.UnitRef("20431", "Xã Cẩm Thanh", 3, "503"),
    dn.UnitRef("20434", "Xã Tân Hiệp", 3, "503"),
    dn.UnitRef("20437", "Xã Ch'ơm", 3, "504"),
    dn.UnitRef("20440", "Xã Ga Ri", 3, "504"),
    dn.UnitRef("20455", "Xã A Tiêng", 3, "504"),
    dn.UnitRef("20791", "Thị trấn Hà Lam", 3, "513"),
    dn.UnitRef("20812", "Xã Bình Minh", 3, "513"),
    dn.UnitRef("20839", "Xã Bình Hải", 3, "513"),
]
DEPARTMENTS = {
    "VPUBND": "Văn phòng Ủy ban nhân dân tỉnh",
    "SYT": "Sở Y tế",
    "SGDDT": "Sở Giáo dục và Đào tạo",
    "SGTVT": "Sở Giao thông vận tải",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "STNMT": "Sở Tài nguyên và Môi trường",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SCT": "Sở Công Thương",
    "STC": "Sở Tài chính",
    "SKHDT": "Sở Kế hoạch và Đầu tư",
    "STTTT": "Sở Thông tin và Truyền thông",
    "SLDTBXH": "Sở Lao động - Thương binh và Xã hội",
}
ORGANIZATIONS = [
    *(dn.OrgRef(code, name, "department", None) for code, name in DEPARTMENTS.items()),
    dn.OrgRef("BXTDT", "Ban Xúc tiến đầu tư và Hỗ trợ doanh nghiệp tỉnh", "board", None),
    dn.OrgRef("CAT", "Công an tỉnh Quảng Nam", "central_agency", None),
    dn.OrgRef("BHXH", "Bảo hiểm xã hội tỉnh Quảng Nam", "central_agency", None),
    dn.OrgRef("CTHUE", "Cục Thuế tỉnh Quảng Nam", "central_agency", None),
    *(
        dn.OrgRef(
            f"UBND-{d.code}", f"Ủy ban nhân dân {d.name[0].lower()}{d.name[1:]}", "district_committee", d.code
        )
        for d in DISTRICTS
    ),
]

DISTRICT_CODES = {d.code for d in DISTRICTS}
COMMUNE_PARENT = {c.code: c.parent_code for c in COMMUNES}
ORG_BY_CODE = {o.code: o for o in ORGANIZATIONS}


def generate(
    seed=2024, count=200, now=NOW, districts=DISTRICTS, communes=COMMUNES, organizations=ORGANIZATIONS
):
    return dn.generate_notices(
        random.Random(seed),
        count=count,
        now=now,
        districts=list(districts),
        communes=list(communes),
        organizations=list(organizations),
    )


@pytest.fixture(scope="module")
def notices():
    return generate(count=5000)


def scope_of(notice):
    codes = notice.audience_codes
    if codes == (dn.PROVINCE_CODE,):
        return "province"
    if all(code in DISTRICT_CODES for code in codes):
        return "district" if len(codes) == 1 else "multi"
    return "commune"


def share(items, predicate):
    items = list(items)
    return sum(1 for item in items if predicate(item)) / len(items)


# -- determinism and size ----------------------------------------------------------------------------------


def test_same_seed_gives_the_same_notices():
    assert generate(seed=7) == generate(seed=7)


def test_another_seed_gives_other_notices():
    assert [n.title_vi for n in generate(seed=7)] != [n.title_vi for n in generate(seed=8)]


def test_input_order_does_not_matter():
    rng = random.Random(1)
    districts, communes, organizations = list(DISTRICTS), list(COMMUNES), list(ORGANIZATIONS)
    for items in (districts, communes, organizations):
        rng.shuffle(items)
    assert generate(districts=districts, communes=communes, organizations=organizations) == generate()


def test_the_global_random_state_is_neither_used_nor_changed():
    state = random.getstate()
    first = generate(seed=3)
    random.seed(12345)
    second = generate(seed=3)
    random.setstate(state)
    assert first == second


@pytest.mark.parametrize("count", [0, 1, 200, 5000])
def test_count_is_honoured(count, notices):
    result = notices if count == 5000 else generate(count=count)
    assert len(result) == count


def test_negative_count_is_rejected():
    with pytest.raises(ValueError):
        generate(count=-1)


# -- content ------------------------------------------------------------------------------------------------


def test_titles_are_unique(notices):
    titles = [n.title_vi for n in notices]
    assert len(set(titles)) == len(titles)
    short = generate(count=200)
    assert len({n.title_vi for n in short}) == 200


def test_titles_stay_unique_in_a_tiny_world():
    result = generate(
        count=2000,
        districts=DISTRICTS[:1],
        communes=COMMUNES[:1],
        organizations=[dn.OrgRef("SYT", "Sở Y tế", "department", None)],
    )
    assert len({n.title_vi for n in result}) == 2000


def test_categories_come_from_the_list_and_all_are_used(notices):
    used = Counter(n.category_slug for n in notices)
    assert set(used) <= set(dn.CATEGORY_SLUGS)
    assert set(used) == set(dn.CATEGORY_SLUGS)
    assert len(dn.CATEGORY_SLUGS) == 13


def test_enough_distinct_templates():
    assert len(dn._TEMPLATES) >= 40
    assert {t.category for t in dn._TEMPLATES} == set(dn.CATEGORY_SLUGS)


def test_texts_are_filled_in(notices):
    for n in notices:
        for text in (n.title_vi, n.summary_vi, n.body_vi, n.title_en, n.summary_en, n.body_en):
            if text is None:
                continue
            assert text.strip() == text and text
            assert "{" not in text and "}" not in text and "None" not in text
            assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates are written dd/mm/yyyy
        assert len(n.title_vi) <= 300 and len(n.summary_vi) <= 1000
        assert n.title_en is None or len(n.title_en) <= 300
        assert n.summary_en is None or len(n.summary_en) <= 1000
        assert "\n\n" in n.body_vi  # a few paragraphs


def test_vietnamese_text_has_diacritics(notices):
    accented = re.compile(r"[àáảãạăâđèéẻẽẹêìíòóỏõọôơùúủũụưỳý]")
    assert share(notices, lambda n: accented.search(n.title_vi.lower())) > 0.95


def test_links_are_https_only(notices):
    for n in notices:
        for body in (n.body_vi, n.body_en or ""):
            for url in re.findall(r"\]\(([^)]*)\)", body):
                assert url.startswith("https://")
            assert "http://" not in body
    assert share(notices, lambda n: "](https://" in n.body_vi) > 0.1
    assert share(notices, lambda n: "\n- " in n.body_vi) > 0.5


def test_unit_names_are_used_without_their_prefix_inside_sentences(notices):
    bodies = "\n".join(n.body_vi for n in notices)
    assert "huyện Thăng Bình" in bodies and "thành phố Hội An" in bodies and "xã Bình Minh" in bodies


def test_english_is_all_or_nothing_and_about_thirty_percent(notices):
    for n in notices:
        present = [n.title_en is not None, n.summary_en is not None, n.body_en is not None]
        assert all(present) or not any(present)
    assert 0.22 <= share(notices, lambda n: n.title_en is not None) <= 0.38


# -- audiences and organisations ----------------------------------------------------------------------------


def test_audience_codes_are_known_and_coherent(notices):
    for n in notices:
        codes = n.audience_codes
        assert codes and len(set(codes)) == len(codes)
        if dn.PROVINCE_CODE in codes:
            assert codes == (dn.PROVINCE_CODE,)
        elif all(code in DISTRICT_CODES for code in codes):
            pass
        else:
            assert all(code in COMMUNE_PARENT for code in codes)
            assert len({COMMUNE_PARENT[code] for code in codes}) == 1  # communes of one district


def test_audience_mix(notices):
    scopes = Counter(scope_of(n) for n in notices)
    total = len(notices)
    assert 0.18 <= scopes["province"] / total <= 0.32
    assert 0.35 <= scopes["district"] / total <= 0.55
    assert 0.13 <= scopes["commune"] / total <= 0.27
    assert 0.05 <= scopes["multi"] / total <= 0.15


def test_organisations_are_known(notices):
    assert {n.organization_code for n in notices} <= set(ORG_BY_CODE)


def test_district_committees_only_address_their_own_area(notices):
    committee_notices = [n for n in notices if ORG_BY_CODE[n.organization_code].kind == "district_committee"]
    assert len(committee_notices) > 500
    for n in committee_notices:
        district = ORG_BY_CODE[n.organization_code].unit_code
        for code in n.audience_codes:
            assert code == district or COMMUNE_PARENT.get(code) == district


def test_departments_fit_their_subject(notices):
    by_category = {}
    for n in notices:
        if ORG_BY_CODE[n.organization_code].kind != "district_committee":
            by_category.setdefault(n.category_slug, Counter())[n.organization_code] += 1
    assert by_category["y-te"].most_common(1)[0][0] == "SYT"
    assert by_category["giao-duc"].most_common(1)[0][0] == "SGDDT"
    assert by_category["thien-tai"].most_common(1)[0][0] == "SNNPTNT"
    assert by_category["an-ninh-trat-tu"].most_common(1)[0][0] == "CAT"
    assert by_category["du-lich"].most_common(1)[0][0] == "SVHTTDL"


def test_province_wide_and_multi_district_notices_come_from_provincial_bodies(notices):
    for n in notices:
        if scope_of(n) in ("province", "multi"):
            assert ORG_BY_CODE[n.organization_code].kind != "district_committee"


def test_missing_preferred_organisation_falls_back_to_a_department():
    organizations = [
        dn.OrgRef("SNV", "Sở Nội vụ", "department", None),
        dn.OrgRef("UBND-504", "Ủy ban nhân dân huyện Tây Giang", "district_committee", "504"),
    ]
    result = generate(count=300, organizations=organizations)
    assert {n.organization_code for n in result} == {"SNV", "UBND-504"}
    for n in result:
        if n.organization_code == "UBND-504":
            assert all(code == "504" or COMMUNE_PARENT.get(code) == "504" for code in n.audience_codes)


def test_only_district_committees_means_only_local_notices():
    organizations = [dn.OrgRef("UBND-513", "Ủy ban nhân dân huyện Thăng Bình", "district_committee", "513")]
    result = generate(count=300, organizations=organizations)
    assert {n.organization_code for n in result} == {"UBND-513"}
    codes = {code for n in result for code in n.audience_codes}
    assert all(code == "513" or COMMUNE_PARENT.get(code) == "513" for code in codes)


def test_no_usable_organisation_is_an_error():
    with pytest.raises(ValueError):
        generate(organizations=[])
    with pytest.raises(ValueError):
        generate(organizations=[dn.OrgRef("UBND-999", "x", "district_committee", "999")])


def test_weather_warnings_for_the_mountains_and_the_coast_target_those_districts(notices):
    for n in notices:
        if n.title_vi.startswith(("Cảnh báo nguy cơ sạt lở", "Khẩn cấp: nguy cơ rất cao xảy ra sạt lở")):
            codes = n.audience_codes
            assert all(code in ("49", "504") or COMMUNE_PARENT.get(code) == "504" for code in codes)
        if "bão số" in n.title_vi or n.title_vi.startswith("Tạm cấm tàu thuyền"):
            assert "504" not in n.audience_codes
            assert all(COMMUNE_PARENT.get(code) != "504" for code in n.audience_codes)


# -- urgency, flags, states and dates -----------------------------------------------------------------------


def test_urgencies(notices):
    urgencies = Counter(n.urgency for n in notices)
    assert set(urgencies) <= {"normal", "important", "emergency"}
    assert 0.02 <= urgencies["emergency"] / len(notices) <= 0.09
    assert 0.12 <= urgencies["important"] / len(notices) <= 0.30
    assert {n.category_slug for n in notices if n.urgency == "emergency"} <= {"thien-tai", "y-te"}
    emergencies = [n for n in notices if n.urgency == "emergency"]
    assert share(emergencies, lambda n: n.category_slug == "thien-tai") > 0.9


def test_pinned_notices_are_few_and_mostly_urgent(notices):
    pinned = [n for n in notices if n.pinned]
    assert 0.02 <= len(pinned) / len(notices) <= 0.10
    assert share(pinned, lambda n: n.urgency != "normal") > 0.6
    assert all(n.state == "published" for n in pinned)


def test_states(notices):
    states = Counter(n.state for n in notices)
    assert set(states) <= {"published", "draft", "in_review", "archived"}
    total = len(notices)
    assert 0.80 <= states["published"] / total <= 0.90
    assert 0.03 <= states["draft"] / total <= 0.09
    assert 0.02 <= states["in_review"] / total <= 0.07
    assert 0.02 <= states["archived"] / total <= 0.08


def test_datetimes_are_aware_utc_and_ordered(notices):
    for n in notices:
        assert n.publish_at.tzinfo is not None and n.publish_at.utcoffset() == timedelta(0)
        if n.expire_at is not None:
            assert n.expire_at.tzinfo is not None and n.expire_at.utcoffset() == timedelta(0)
            assert n.expire_at > n.publish_at


def test_publication_spread(notices):
    oldest = NOW - timedelta(days=3 * 366)
    assert all(oldest <= n.publish_at <= NOW + timedelta(days=31) for n in notices)
    past = [n for n in notices if n.publish_at <= NOW]
    last_year = share(past, lambda n: n.publish_at > NOW - timedelta(days=365))
    assert last_year > 0.5  # denser recently
    assert share(past, lambda n: n.publish_at < NOW - timedelta(days=2 * 365)) > 0.08  # but three years back
    scheduled = share(notices, lambda n: n.state == "published" and n.publish_at > NOW)
    assert 0.01 <= scheduled <= 0.06


def test_expiry_mix(notices):
    assert 0.40 <= share(notices, lambda n: n.expire_at is None) <= 0.60
    assert 0.05 <= share(notices, lambda n: n.expire_at is not None and n.expire_at <= NOW) <= 0.16


def test_warnings_expire_within_days(notices):
    warnings = [n for n in notices if n.category_slug == "thien-tai" and n.expire_at is not None]
    assert warnings
    assert all(n.expire_at - n.publish_at <= timedelta(days=21) for n in warnings)


def test_naive_now_is_taken_as_utc():
    assert generate(now=NOW.replace(tzinfo=None)) == generate()
