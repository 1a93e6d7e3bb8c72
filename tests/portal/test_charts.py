import contextlib
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
from flask_babel import force_locale

from smart_qn import create_app
from smart_qn.portal.charts import bar_chart, line_chart, nice_ticks, tick_decimals

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def chart_app(tmp_path_factory):
    """An app for Babel's number formats; the charts read no database."""
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('charts') / 'unused.sqlite3'}",
            "TESTING": True,
            "SECRET_KEY": "test-secret",
        }
    )


@pytest.fixture
def in_language(chart_app):
    """`with in_language("vi"):` renders what follows in that language."""

    @contextlib.contextmanager
    def enter(language: str):
        with chart_app.test_request_context(), force_locale(language):
            yield

    return enter


def parse(markup) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def texts(svg: ElementTree.Element) -> list[str]:
    return [element.text for element in svg.iter(f"{SVG}text")]


MONTHS = [(f"2024-{month:02d}", Decimal("1000") + month * Decimal("37.5")) for month in range(1, 13)]


def line(points=MONTHS, **options):
    return line_chart(points, chart_id="series", title="Lượt khách", measure_unit="nghìn lượt", **options)


def bars(rows, **options):
    return bar_chart(rows, chart_id="ranking", title="Tỷ lệ hộ nghèo", measure_unit="%", **options)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 10, ["0", "2", "4", "6", "8", "10"]),
        (1, 9.5, ["0", "2", "4", "6", "8", "10"]),
        (-3.2, 7.9, ["-5.0", "-2.5", "0.0", "2.5", "5.0", "7.5", "10.0"]),
        (27594, 31000, ["27000", "28000", "29000", "30000", "31000"]),
        (0.001, 0.0037, ["0.0010", "0.0020", "0.0030", "0.0040"]),
        (-5, -1, ["-5", "-4", "-3", "-2", "-1"]),
    ],
)
def test_ticks_are_round_numbers_covering_the_range(low, high, expected):
    ticks = nice_ticks(low, high)

    assert ticks == [Decimal(tick) for tick in expected]
    assert ticks[0] <= Decimal(str(low)) and ticks[-1] >= Decimal(str(high))


@pytest.mark.parametrize(
    ("value", "lowest", "highest"), [(4.56, "4.0", "5.2"), (0, "-1", "1"), (-20, "-22", "-18")]
)
def test_a_range_of_one_value_is_widened_around_it(value, lowest, highest):
    ticks = nice_ticks(value, value)

    assert len(ticks) >= 3
    assert ticks[0] == Decimal(lowest) and ticks[-1] == Decimal(highest)
    assert ticks[0] < Decimal(str(value)) < ticks[-1]


def test_tick_decimals_follow_the_step():
    assert tick_decimals(nice_ticks(-3.2, 7.9)) == 1
    assert tick_decimals(nice_ticks(0.001, 0.0037)) == 3
    assert tick_decimals(nice_ticks(0, 100)) == 0


def test_line_chart_is_an_image_with_its_title_and_description(in_language):
    with in_language("en"):
        svg = parse(line())

        assert svg.tag == f"{SVG}svg"
        assert svg.get("role") == "img"
        assert svg.get("viewBox").startswith("0 0 ") and svg.get("width") is None
        assert svg.get("aria-labelledby") == "series-title series-description"
        assert svg.find(f"{SVG}title").get("id") == "series-title"
        assert svg.find(f"{SVG}title").text == "Lượt khách"
        description = svg.find(f"{SVG}desc")
        assert description.get("id") == "series-description"
        assert "2024-01" in description.text and "2024-12" in description.text
        assert "1,037.5" in description.text and "1,450" in description.text


def test_line_chart_axes_are_labelled_in_the_reader_number_format(in_language):
    with in_language("vi"):
        labels = texts(parse(line()))

        assert "nghìn lượt" in labels
        assert {"1.000", "1.100", "1.400", "1.500"} <= set(labels)
        assert "2024-12" in labels
        assert len(parse(line()).findall(f"{SVG}circle")) == 12


def test_line_chart_in_english_uses_english_separators(in_language):
    with in_language("en"):
        labels = texts(
            parse(
                line_chart(
                    [("2023", 1234.5), ("2024", 2345.25)], chart_id="c", title="t", measure_unit="tỷ đồng"
                )
            )
        )

        assert "1,200" in labels or "1,000" in labels
        assert "Period" in labels and "tỷ đồng" in labels
        assert not any("." in label for label in labels if label and label[0].isdigit())


def test_line_chart_draws_the_target(in_language):
    with in_language("en"):
        svg = parse(line(target=Decimal("1600")))

    assert "Target: 1,600" in texts(svg)
    dashed = [element for element in svg.iter(f"{SVG}line") if element.get("stroke-dasharray")]
    assert len(dashed) == 1
    # The target lies above every value, so the axis reaches it.
    assert "1,600" in texts(svg)


def test_negative_values_get_an_axis_below_zero(in_language):
    with in_language("vi"):
        labels = texts(
            parse(line_chart([("2023", -2.5), ("2024", 1.5)], chart_id="c", title="t", measure_unit="%"))
        )

        assert "-3" in labels and "0" in labels


def test_a_single_point_is_drawn(in_language):
    with in_language("vi"):
        svg = parse(line([("2024", Decimal("4.56"))]))

        assert len(svg.findall(f"{SVG}circle")) == 1
        assert "4,56" in svg.find(f"{SVG}desc").text
        assert "2024" in texts(svg)


def test_no_data_gives_a_message_instead_of_a_chart(in_language):
    with in_language("en"):
        for empty in (line([]), bars([])):
            paragraph = parse(empty)
            assert paragraph.tag == "p" and paragraph.text
            assert "<svg" not in str(empty)


def test_labels_are_escaped(in_language):
    with in_language("en"):
        markup = str(
            line_chart(
                [("<b>2024</b>", 1)],
                chart_id='x" onload="alert(1)',
                title="<script>alert(1)</script>",
                measure_unit="a & b",
            )
        )

        assert "<script>" not in markup and "<b>" not in markup and 'onload="' not in markup
        svg = parse(markup)
        assert svg.find(f"{SVG}title").text == "<script>alert(1)</script>"
        assert "a & b" in texts(svg)
        assert "<b>2024</b>" in texts(svg)

        ranked = parse(bars([("Huyện <Núi Thành>", 3)], highlight="Huyện <Núi Thành>"))
        assert "Huyện <Núi Thành>" in texts(ranked)


def test_bar_chart_keeps_the_order_given_and_starts_at_zero(in_language):
    with in_language("vi"):
        rows = [
            ("Thành phố Hội An", Decimal("1.2")),
            ("Huyện Đại Lộc", Decimal("3.45")),
            ("Huyện Nam Trà My", 30),
        ]
        svg = parse(bars(rows, highlight="Huyện Đại Lộc"))
        labels = texts(svg)

        names = [label for label in labels if label and label.startswith(("Thành phố", "Huyện"))]
        assert names == [name for name, _value in rows]
        assert {"1,2", "3,45", "30"} <= set(labels)
        assert "0" in labels and "%" in labels
        rectangles = svg.findall(f"{SVG}rect")
        assert len(rectangles) == 3
        widths = [float(rectangle.get("width")) for rectangle in rectangles]
        assert widths[0] < widths[1] < widths[2]
        assert len({rectangle.get("fill") for rectangle in rectangles}) == 2
        bold = [element.text for element in svg.iter(f"{SVG}text") if element.get("font-weight") == "bold"]
        assert "Huyện Đại Lộc" in bold and "Thành phố Hội An" not in bold


def test_bar_chart_draws_negative_bars_left_of_zero(in_language):
    with in_language("en"):
        svg = parse(bars([("A", 5), ("B", -2)], target=4))
        first, second = svg.findall(f"{SVG}rect")

        assert float(second.get("x")) + float(second.get("width")) == pytest.approx(float(first.get("x")))
        assert "-2" in texts(svg) and "Target: 4" in texts(svg)


def test_bar_chart_is_an_image_with_its_description(in_language):
    with in_language("en"):
        svg = parse(bars([("Thành phố Hội An", 1.2), ("Huyện Nam Trà My", 30)]))

        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text == "Tỷ lệ hộ nghèo"
        description = svg.find(f"{SVG}desc").text
        assert "Thành phố Hội An" in description and "Huyện Nam Trà My" in description and "30" in description
