"""The public portal in a real browser, as residents use it: every page type on a phone and a desktop
checked with axe-core and photographed, the language switch on a notice, the district and commune chosen
on the home page without JavaScript, a search without diacritics, a notice followed from the home page,
and an indicator's chart beside its table. No page may log a console error."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from smart_qn.content.notices import Notice, live_notices
from smart_qn.dbtypes import utcnow
from tests.browser.axe import describe, run_axe
from tests.browser.conftest import EXPECT_TIMEOUT_MS, VIEWPORTS

NOTICE_URL = re.compile(r"/notices/\d+$")
MISSING_PAGE = "/no-such-page"
MISSING_DOCUMENT = "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
# An indicator of the demo data with a quarterly series for the province.
CHARTED_INDICATOR = "GRDP_GROWTH"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def watch_console(page: Page) -> list[str]:
    """The errors the page logs from now on (the harness itself fails a test on script errors and
    Content-Security-Policy violations only)."""
    errors = []
    page.on(
        "console",
        lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None,
    )
    return errors


def first_link(page: Page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


def open_and_check(page: Page, path: str, name: str, viewport: str, save_screenshot) -> None:
    response = page.goto(path)
    expected_status = 404 if path == MISSING_PAGE else 200
    assert response.status == expected_status, f"{path}: HTTP {response.status}"
    expect(heading(page)).to_have_count(1)
    violations = run_axe(page)
    assert not violations, f"{path} ({viewport}):\n{describe(violations)}"
    save_screenshot(page, f"portal-{name}-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_type_passes_axe_and_is_photographed(new_page, viewport, save_screenshot):
    page = new_page(viewport)
    errors = watch_console(page)
    visited = {}

    def visit(name: str, path: str) -> None:
        open_and_check(page, path, name, viewport, save_screenshot)
        visited[name] = path

    visit("home", "/")
    visit("notices", "/notices")
    visit("notice", first_link(page, ".notice-item a"))
    visit("services-by-field", "/services?by=field")
    visit("services-by-agency", "/services?by=agency")
    visit("service", first_link(page, ".service-item a"))
    visit("organizations", "/organizations")
    visit("organization", first_link(page, "main a[href^='/organizations/']"))
    visit("units", "/units")
    visit("unit", first_link(page, "main a[href^='/units/']"))
    visit("search", "/search?q=canh+bao+lu")
    visit("indicators", "/indicators")
    visit("indicator", first_link(page, "main a[href^='/indicators/']"))

    assert NOTICE_URL.search(visited["notice"]) and re.search(r"/services/\d+$", visited["service"])
    assert errors == [], "\n".join(errors)
    visit("not-found", MISSING_PAGE)
    expect(heading(page)).to_have_text("Không tìm thấy")
    # Chromium logs the missing page's own status, and nothing else may go wrong there.
    assert errors == [f"{page.url}: {MISSING_DOCUMENT}"], "\n".join(errors)


def test_the_language_switch_shows_the_same_notice_in_english_and_holds(page, live_db):
    with live_db() as session:
        notice = session.scalars(
            live_notices(utcnow()).where(Notice.title_en.is_not(None)).order_by(Notice.id).limit(1)
        ).one()
        notice_id, title_vi, title_en = notice.id, notice.title_vi, notice.title_en
    errors = watch_console(page)

    page.goto(f"/notices/{notice_id}")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(heading(page)).to_have_text(title_vi)
    page.locator("nav.languages a[hreflang='en']").click()

    expect(page).to_have_url(re.compile(rf"/notices/{notice_id}\?lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_text(title_en)
    expect(page.locator("nav.languages a[hreflang='vi']")).to_have_text("Tiếng Việt")
    # The choice holds on the next pages, without ?lang=.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notices").click()
    expect(page).to_have_url(re.compile(r"/notices$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_text("Notices")
    assert errors == [], "\n".join(errors)


def test_the_chosen_district_and_commune_are_remembered_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="vi-VN", java_script_enabled=False, **VIEWPORTS["phone"]
    )
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    page = context.new_page()
    errors = watch_console(page)
    try:
        page.goto("/")
        place = page.locator("#place-heading")
        expect(place).to_contain_text("Tỉnh Quảng Nam")
        expect(page.locator("#place-commune")).to_have_count(0)

        page.locator("#place-district").select_option(label="Huyện Thăng Bình")
        page.locator(".place-form button[type=submit]").click()
        expect(page).to_have_url(f"{live_server}/")
        expect(place).to_contain_text("Huyện Thăng Bình")
        page.locator("#place-commune").select_option(label="Xã Bình Minh")
        page.locator(".place-form button[type=submit]").click()
        expect(place).to_contain_text("Xã Bình Minh")

        page.reload()
        expect(place).to_contain_text("Xã Bình Minh")
        expect(page.locator("#place-district option:checked")).to_have_text("Huyện Thăng Bình")
        expect(page.locator("#place-commune option:checked")).to_have_text("Xã Bình Minh")
        assert [cookie["name"] for cookie in context.cookies()] == ["unit"]
        assert errors == [], "\n".join(errors)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("typed", "accented"),
    [("canh bao lu", {"cảnh", "báo"}), ("thang binh", {"thăng", "bình"})],
)
def test_a_search_without_diacritics_finds_and_marks_accented_words(page, typed, accented):
    errors = watch_console(page)
    page.goto("/")
    page.locator("#site-search-q").fill(typed)
    page.locator("#site-search-q").press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q=" + typed.replace(" ", r"\+") + "$"))
    expect(page.locator("ol.results > li").first).to_be_visible()
    expect(page.locator("#site-search-q")).to_have_value(typed)
    marked = {text.casefold() for text in page.locator("ol.results mark").all_inner_texts()}
    assert accented <= marked, f"marked: {sorted(marked)}"
    assert errors == [], "\n".join(errors)


@pytest.mark.viewport("phone")
def test_a_notice_on_the_home_page_opens_its_page(page):
    errors = watch_console(page)
    page.goto("/")
    link = page.locator(".notice-item h3 a").first
    title = link.inner_text()

    link.click()

    expect(page).to_have_url(NOTICE_URL)
    expect(heading(page)).to_have_text(title)
    expect(page).to_have_title(re.compile(re.escape(title)))
    expect(page.locator("meta[property='og:title']")).to_have_attribute("content", title)
    assert errors == [], "\n".join(errors)


def vietnamese_number(text: str) -> float:
    return float(text.strip().replace(".", "").replace(",", "."))


def test_the_indicator_chart_is_an_image_with_a_title_and_its_table_holds_the_same_numbers(page):
    errors = watch_console(page)
    page.goto(f"/indicators/{CHARTED_INDICATOR}")

    chart = page.locator("figure.indicator-chart svg").first
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_be_visible()
    title = chart.locator("title")
    expect(title).not_to_have_text("")
    assert title.get_attribute("id") in chart.get_attribute("aria-labelledby").split()
    table = page.locator("table.indicator-table").first
    periods = table.locator("tbody th").all_inner_texts()
    values = [vietnamese_number(text) for text in table.locator("tbody td.number").all_inner_texts()]
    assert len(periods) == len(values) > 1

    # Where each point is drawn, read back through the value axis (each tick's label beside its grid line).
    ticks, points = chart.evaluate(
        """svg => [
            [...svg.querySelectorAll("text[text-anchor='end']")].map(label => [
                label.textContent, Number(label.previousElementSibling.getAttribute("y1"))]),
            [...svg.querySelectorAll("circle")].map(point => Number(point.getAttribute("cy")))]"""
    )
    (low_label, low_y), (high_label, high_y) = ticks[0], ticks[-1]
    low, high = vietnamese_number(low_label), vietnamese_number(high_label)
    drawn = [low + (low_y - y) * (high - low) / (low_y - high_y) for y in points]
    pixel = (high - low) / (low_y - high_y)
    assert len(drawn) == len(values)
    assert all(abs(shown - value) <= pixel for shown, value in zip(drawn, values, strict=True)), list(
        zip(periods, values, [round(value, 2) for value in drawn], strict=True)
    )
    csv_link = page.locator("a[href*='/data.csv']").first.get_attribute("href")
    assert urlsplit(csv_link).path == f"/indicators/{CHARTED_INDICATOR}/data.csv"
    assert errors == [], "\n".join(errors)
