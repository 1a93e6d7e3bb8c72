from datetime import timedelta

from smart_qn.content.notices import Urgency
from smart_qn.dbtypes import utcnow
from tests.portal.conftest import elements


def notice_links(response) -> set[str]:
    return {
        attrs["href"] for attrs, _text in elements(response, "a") if attrs["href"].startswith("/notices/")
    }


def test_the_home_page_shows_the_warnings_for_the_remembered_commune(client, make):
    just_now = utcnow() - timedelta(minutes=1)
    for_the_district = make.notice(audience=["513"], urgency=Urgency.EMERGENCY, publish_at=just_now)
    elsewhere = make.notice(audience=["502"], urgency=Urgency.EMERGENCY, publish_at=just_now)

    chosen = client.get("/place?district=513&commune=20818")
    home = client.get("/")

    assert chosen.status_code == 303 and chosen.location == "/"
    assert "unit=20818" in chosen.headers["Set-Cookie"]
    assert f"/notices/{for_the_district.id}" in notice_links(home)
    assert f"/notices/{elsewhere.id}" not in notice_links(home)
    ((selected, _name),) = elements(home, "option", value="20818")
    assert "selected" in selected


def test_the_province_is_shown_until_a_place_is_chosen(client, make):
    just_now = utcnow() - timedelta(minutes=1)
    for_a_district = make.notice(audience=["502"], urgency=Urgency.EMERGENCY, publish_at=just_now)
    province_wide = make.notice(audience=["49"], urgency=Urgency.EMERGENCY, publish_at=just_now)

    home = client.get("/")

    assert f"/notices/{province_wide.id}" in notice_links(home)
    assert f"/notices/{for_a_district.id}" not in notice_links(home)
    assert not elements(home, "select", name="commune")


def test_choosing_a_district_first_offers_its_communes_without_javascript(client):
    client.get("/place?district=513")
    home = client.get("/")

    ((commune_select, _text),) = elements(home, "select", name="commune")
    assert elements(home, "label", for_=commune_select["id"])
    assert elements(home, "option", value="20818")  # Xã Bình Trị, in Huyện Thăng Bình
    assert not elements(home, "option", value="20335")  # Phường Tân Thạnh, in Thành phố Tam Kỳ


def test_a_commune_of_another_district_keeps_the_district(client):
    response = client.get("/place?district=513&commune=20335")

    assert "unit=513" in response.headers["Set-Cookie"]


def test_choosing_the_whole_province_forgets_the_place(client):
    client.get("/place?district=513")
    response = client.get("/place?district=")

    assert "unit=;" in response.headers["Set-Cookie"]
    assert not elements(client.get("/"), "select", name="commune")


def test_the_home_page_shows_key_figures_with_their_trend_and_featured_services(client, make):
    indicator = make.indicator(key=True, levels=[1], position=-1, measure_unit="tỷ đồng")
    make.value(indicator, "49", "2023", 1000)
    make.value(indicator, "49", "2024", 1234.5)

    vietnamese = client.get("/?lang=vi")
    english = client.get("/?lang=en")

    figure = {text for _attrs, text in elements(vietnamese, "span", class_="figure-value")}
    assert "1.234,5 tỷ đồng" in figure
    assert '1,234.5 <span lang="vi">tỷ đồng</span>' in english.get_data(as_text=True)
    trends = {text for _attrs, text in elements(english, "span", class_="trend trend-up better")}
    assert "Up from 1,000 in 2023" in trends
    assert [attrs for attrs, _text in elements(english, "a") if attrs["href"].startswith("/services/")]
