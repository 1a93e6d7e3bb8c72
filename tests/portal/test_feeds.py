import xml.etree.ElementTree as ET

from smart_qn.content.notices import NoticeState
from smart_qn.dbtypes import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_of(response) -> ET.Element:
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())


def entry_links(feed: ET.Element) -> list[str]:
    return [entry.find(f"{ATOM}link[@rel='alternate']").get("href") for entry in feed.iter(f"{ATOM}entry")]


def test_the_feed_is_valid_atom_with_the_newest_notices(client, make):
    notice = make.notice(title_vi="Thông báo <mới> & quan trọng", publish_at=utcnow())

    feed = feed_of(client.get("/feeds/notices.atom"))

    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/feeds/notices.atom"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://localhost/notices"
    first = next(feed.iter(f"{ATOM}entry"))
    assert first.find(f"{ATOM}title").text == "Thông báo <mới> & quan trọng"
    assert first.find(f"{ATOM}id").text == f"http://localhost/notices/{notice.id}"
    for required in ("updated", "published", "author", "summary"):
        assert first.find(f"{ATOM}{required}") is not None, required


def test_the_feed_is_filtered_by_unit_and_by_category(client, make):
    category = make.category()
    for_the_commune = make.notice(audience=["20818"], category=category)
    for_another_district = make.notice(audience=["502"], category=category)
    other_category = make.notice(audience=["20818"])

    by_unit = entry_links(feed_of(client.get("/feeds/notices.atom?unit=20818")))
    by_category = feed_of(client.get(f"/feeds/notices.atom?category={category.slug}"))

    assert f"http://localhost/notices/{for_the_commune.id}" in by_unit
    assert f"http://localhost/notices/{for_another_district.id}" not in by_unit
    assert set(entry_links(by_category)) == {
        f"http://localhost/notices/{for_the_commune.id}",
        f"http://localhost/notices/{for_another_district.id}",
    }
    assert f"http://localhost/notices/{other_category.id}" not in entry_links(by_category)
    assert by_category.find(f"{ATOM}link[@rel='self']").get("href").endswith(f"?category={category.slug}")


def test_an_unknown_feed_filter_is_a_404(client):
    assert client.get("/feeds/notices.atom?unit=99999").status_code == 404
    assert client.get("/feeds/notices.atom?category=no-such-category").status_code == 404


def test_the_sitemap_lists_live_notices_and_the_directories(client, make):
    live = make.notice()
    draft = make.notice(state=NoticeState.DRAFT)

    response = client.get("/sitemap.xml")
    locations = {loc.text for loc in ET.fromstring(response.get_data()).iter(f"{SITEMAP}loc")}

    assert response.mimetype == "application/xml"
    assert f"http://localhost/notices/{live.id}" in locations
    assert f"http://localhost/notices/{draft.id}" not in locations
    assert {
        "http://localhost/",
        "http://localhost/notices",
        "http://localhost/services",
        "http://localhost/organizations",
        "http://localhost/units/513",
        "http://localhost/organizations/SGDDT",
    } <= locations


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    lines = client.get("/robots.txt").get_data(as_text=True).splitlines()

    assert "Sitemap: http://localhost/sitemap.xml" in lines and "Disallow: /admin/" in lines
