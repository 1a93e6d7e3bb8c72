import csv
import io
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from smart_qn.content.indicators import Direction, Indicator, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel
from smart_qn.localtime import province_today
from smart_qn.reporting.freshness import expected_period


class Tables(HTMLParser):
    """The tables of a page: each one's caption and its rows of cell texts, and the href of each row's
    first link."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self._text: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "links": []})
        elif self.tables and tag == "tr":
            self.tables[-1]["rows"].append([])
            self.tables[-1]["links"].append(None)
        elif self.tables and tag in ("caption", "th", "td"):
            self._text = []
        elif self.tables and tag == "a" and self.tables[-1]["links"] and self.tables[-1]["links"][-1] is None:
            self.tables[-1]["links"][-1] = dict(attrs)["href"]

    def handle_endtag(self, tag):
        if tag == "caption" and self._text is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._text).split())
            self._text = None
        elif tag in ("th", "td") and self._text is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._text).split()))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def tables(response) -> list[dict]:
    return Tables(response.get_data(as_text=True)).tables


def table_with(response, caption_part: str) -> dict:
    return next(table for table in tables(response) if caption_part in table["caption"])


@pytest.fixture
def poverty(make):
    """An annual indicator, lower is better, with published province and district values and drafts."""
    indicator = make.indicator(
        name_vi="Tỷ lệ hộ nghèo thử nghiệm",
        name_en="Test poverty rate",
        direction=Direction.LOWER_BETTER,
        target=2,
    )
    make.value(indicator, "49", "2022", 1234.5)
    make.value(indicator, "49", "2023", "10.25")
    make.value(indicator, "49", "2024", "8.5")
    make.value(indicator, "49", "2025", "777.75", status=ValueStatus.DRAFT)
    make.value(indicator, "502", "2024", "3.5")
    make.value(indicator, "503", "2024", "1.25")
    make.value(indicator, "504", "2024", 30)
    make.value(indicator, "505", "2024", "1.25")
    make.value(indicator, "506", "2023", 4)
    make.value(indicator, "507", "2024", "0.5", status=ValueStatus.DRAFT)
    return indicator


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", [["2022", "1.234,5"], ["2023", "10,25"], ["2024", "8,5"]]),
        ("en", [["2022", "1,234.5"], ["2023", "10.25"], ["2024", "8.5"]]),
    ],
)
def test_series_table_holds_the_published_values(client, poverty, language, expected):
    response = client.get(f"/indicators/{poverty.code}?lang={language}")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    series = table_with(response, poverty.name_vi if language == "vi" else poverty.name_en)
    assert series["rows"][1:] == expected
    html = response.get_data(as_text=True)
    assert "777" not in html  # the 2025 draft; its period is named only as the one now expected
    assert "<svg" in html and 'role="img"' in html


def test_definition_and_freshness(client, poverty):
    html = client.get(f"/indicators/{poverty.code}?lang=en").get_data(as_text=True)

    assert "<h1>Test poverty rate</h1>" in html
    assert poverty.organization.name_en in html
    assert "Annual figures. Latest period: 2024, updated" in html
    expected = expected_period(poverty.frequency, 90, province_today())
    assert f"Late: the figures for {expected} have been overdue since" in html
    assert f"/indicators/{poverty.code}/data.csv?unit=49" in html
    assert f"/indicators/{poverty.code}/data.csv?all=1" in html


def test_unit_picker_shows_the_chosen_unit(client, poverty):
    response = client.get(f"/indicators/{poverty.code}?unit=503&lang=en")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'<option value="503" selected>', html)
    offered = re.findall(r'<option value="(\w+)"', html)
    assert offered == ["49", "502", "503", "504", "505", "506"]
    series = tables(response)[0]
    assert series["rows"][1:] == [["2024", "1.25"]]
    assert "updated" in html and "data.csv?unit=503" in html


def test_unknown_unit_is_said_beside_the_picker(client, poverty):
    response = client.get(f"/indicators/{poverty.code}?unit=99999&lang=en")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "No administrative unit with code 99999" in html
    assert tables(response)[0]["rows"][1:][-1] == ["2024", "8.5"]


def test_ranking_puts_the_best_first(client, poverty):
    response = client.get(f"/indicators/{poverty.code}?lang=en")

    ranking = table_with(response, "by unit, 2024")
    codes = [re.search(r"unit=(\d+)", link).group(1) for link in ranking["links"][1:]]
    assert codes == ["503", "505", "502", "504"]
    assert [row[0] for row in ranking["rows"][1:]] == ["1", "1", "3", "4"]
    assert [row[2] for row in ranking["rows"][1:]] == ["1.25", "1.25", "3.5", "30"]
    html = response.get_data(as_text=True)
    missing = html[html.index("No figure for this period") :]
    # Đại Lộc's figure is of 2023; Điện Bàn's 2024 one is a draft.
    assert "Dai Loc District" in missing and "Dien Ban Town" in missing


def test_ranking_of_a_higher_is_better_indicator(client, make):
    indicator = make.indicator(direction=Direction.HIGHER_BETTER)
    for code, value in (("502", 3), ("503", 9), ("504", 6)):
        make.value(indicator, code, "2024", value)

    ranking = table_with(client.get(f"/indicators/{indicator.code}?lang=en"), "by unit")

    assert [row[2] for row in ranking["rows"][1:]] == ["9", "6", "3"]


def test_no_values_say_so(client, make):
    indicator = make.indicator(frequency=Frequency.MONTHLY)
    make.value(indicator, "49", "2024-01", 5, status=ValueStatus.DRAFT)

    response = client.get(f"/indicators/{indicator.code}?lang=en")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No published values to draw a chart." in html and "No figures published yet." in html
    assert "<svg" not in html


def test_unknown_indicator_is_an_html_404(client):
    response = client.get("/indicators/NO_SUCH_INDICATOR")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert client.get("/indicators/NO_SUCH_INDICATOR/data.csv").status_code == 404


def test_csv_of_one_unit(client, poverty):
    response = client.get(f"/indicators/{poverty.code}/data.csv?unit=49&lang=vi")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{poverty.code}_49.csv"'
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows[0]) == 7
    assert [row[3:5] for row in rows[1:]] == [["2022", "1234.5"], ["2023", "10.25"], ["2024", "8.5"]]
    assert {row[2] for row in rows[1:]} == {"Tỉnh Quảng Nam"}


def test_csv_of_every_unit_leaves_drafts_out(client, poverty):
    response = client.get(f"/indicators/{poverty.code}/data.csv?all=1&lang=en")

    assert response.headers["Content-Disposition"] == f'attachment; filename="{poverty.code}.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Indicator code"
    assert [(row[1], row[3]) for row in rows[1:]] == [
        ("49", "2022"),
        ("49", "2023"),
        ("49", "2024"),
        ("502", "2024"),
        ("503", "2024"),
        ("504", "2024"),
        ("505", "2024"),
        ("506", "2023"),
    ]


def test_csv_of_an_unknown_unit_is_404(client, poverty):
    assert client.get(f"/indicators/{poverty.code}/data.csv?unit=99999").status_code == 404


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_by_category_with_latest_value_and_trend(client, poverty, language):
    response = client.get(f"/indicators?lang={language}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    category = poverty.category.name_vi if language == "vi" else poverty.category.name_en
    section = html[html.index(category) :]
    item = section[section.index(f'/indicators/{poverty.code}"') :]
    item = item[: item.index("</li>")]
    # 2024 (8,5) is the latest published value; it fell from 10,25, which is better for a poverty rate.
    assert ("8,5" if language == "vi" else "8.5") in item
    assert "(2024)" in item and "777" not in item
    assert "indicator-better" in item and "▼" in item
    assert "POOR_HOUSEHOLD_RATE" in html


def test_demo_indicator_page(client):
    response = client.get("/indicators/POOR_HOUSEHOLD_RATE")

    assert response.status_code == 200
    latest = db.session.scalar(
        select(func.max(IndicatorValue.period))
        .join(Indicator)
        .where(Indicator.code == "POOR_HOUSEHOLD_RATE", IndicatorValue.status == ValueStatus.PUBLISHED)
    )
    ranking = table_with(response, latest)
    reported = db.session.scalar(
        select(func.count())
        .select_from(IndicatorValue)
        .join(Indicator)
        .join(AdminUnit)
        .where(
            Indicator.code == "POOR_HOUSEHOLD_RATE",
            IndicatorValue.status == ValueStatus.PUBLISHED,
            IndicatorValue.period == latest,
            AdminUnit.level == UnitLevel.DISTRICT,
        )
    )
    assert len(ranking["rows"]) == 1 + reported
    values = [float(row[2].replace(".", "").replace(",", ".")) for row in ranking["rows"][1:]]
    assert values == sorted(values)


def test_a_vietnamese_unit_of_measure_is_marked_as_vietnamese_on_english_pages(client):
    english = client.get("/indicators/GRDP_SIZE?lang=en").get_data(as_text=True)
    vietnamese = client.get("/indicators/GRDP_SIZE?lang=vi").get_data(as_text=True)
    percent = client.get("/indicators/GRDP_GROWTH?lang=en").get_data(as_text=True)

    assert '<span lang="vi">tỷ đồng</span>' in english
    assert "tỷ đồng" in vietnamese and '<span lang="vi">' not in vietnamese
    assert '<span lang="vi">%</span>' not in percent


def test_figures_of_the_expected_period_are_on_time(client, make):
    indicator = make.indicator(levels=[1])
    expected = expected_period(indicator.frequency, 90, province_today())
    make.value(indicator, "49", str(expected), 12)

    html = client.get(f"/indicators/{indicator.code}?lang=en").get_data(as_text=True)

    assert f"Latest period: {expected}, updated" in html and "On time." in html
