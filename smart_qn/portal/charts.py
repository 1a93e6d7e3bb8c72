"""Charts drawn on the server as SVG, so that they need no JavaScript: a line chart of one series and a
horizontal bar chart ranking units. They scale with their container (a viewBox, no fixed size) down to a
320 px phone, read out as one image with its description, and colour with presentation attributes (the
portal's Content-Security-Policy forbids inline styles). The page puts the same numbers in a table under
each chart.

The functions take plain (label, value) pairs and return markup in which every text is escaped; numbers
are written in the request's language through Babel (1.234,5 in Vietnamese, 1,234.5 in English).
"""

import math
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

Number = Decimal | int | float
Point = tuple[str, Number]

WIDTH = 360
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
# Average advance of a character, as a share of the font size, to reserve room for labels.
CHARACTER_WIDTH = 0.6
# Blue and red above 4.5:1 against white (for bars and lines, 3:1 is the requirement); the highlight
# is a darker blue, told apart by the bold label beside it too, not by colour alone.
SERIES_COLOUR = "#1f5f8b"
HIGHLIGHT_COLOUR = "#0b2f4a"
TARGET_COLOUR = "#a4262c"
GRID_COLOUR = "#d0d7de"
# Round steps between ticks: 1, 2, 2.5 or 5 times a power of ten.
NICE_FACTORS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))

LINE_HEIGHT = 240
LINE_TOP, LINE_BOTTOM = 30, 44
BAR_ROW = 36
BAR_THICKNESS = 14
# The top of each row holds the unit's name and value; its bar lies in the rest.
BAR_LABEL_LANE = 17
BAR_TOP, BAR_BOTTOM = 24, 42


def nice_ticks(low: Number, high: Number, *, at_most: int = 6) -> list[Decimal]:
    """Ticks at round numbers covering `low`..`high`, no more than `at_most` + 1 of them. A range of one
    value is widened around it, so that it still gets an axis."""
    low, high = sorted((_decimal(low), _decimal(high)))
    if low == high:
        spread = abs(low) / 10 or Decimal(1)
        low, high = low - spread, high + spread
    rough_step = (high - low) / (at_most - 1)
    magnitude = Decimal(1).scaleb(rough_step.adjusted())
    step = next(magnitude * factor for factor in NICE_FACTORS if magnitude * factor >= rough_step)
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    # Adding zero turns a negative zero (from flooring -0.0) into a plain one.
    return [first + step * index + 0 for index in range(int((last - first) / step) + 1)]


def tick_decimals(ticks: Sequence[Decimal]) -> int:
    """The decimal places that show every tick exactly: one for a step of 2.5, none for 20."""
    step = (ticks[1] - ticks[0]).normalize() if len(ticks) > 1 else Decimal(1)
    return max(0, -step.as_tuple().exponent)


def format_number(value: Number, decimals: int | None = None) -> str:
    """`value` in the request's language, with exactly `decimals` places if given, else up to three."""
    if decimals is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0" + ("." + "0" * decimals if decimals else ""))


def line_chart(
    points: Sequence[Point], *, chart_id: str, title: str, measure_unit: str, target: Number | None = None
) -> Markup:
    """A line through `points` (period label, value), oldest first, with the target as a dashed line."""
    if not points:
        return _no_data()
    values = [_decimal(value) for _label, value in points]
    ticks = nice_ticks(min(values + _optional(target)), max(values + _optional(target)))
    decimals = tick_decimals(ticks)
    tick_labels = [format_number(tick, decimals) for tick in ticks]
    left = _text_width(max(tick_labels, key=len), FONT_SIZE) + 10
    right, top, bottom = WIDTH - 24, LINE_TOP, LINE_HEIGHT - LINE_BOTTOM
    band = (right - left) / len(points)

    def x_at(index: int) -> float:
        return left + (index + 0.5) * band

    def y_at(value: Decimal) -> float:
        return bottom - _share(value, ticks) * (bottom - top)

    parts = [
        _grid_line(left, right, y_at(tick), label) for tick, label in zip(ticks, tick_labels, strict=True)
    ]
    parts.append(
        Markup('<text x="0" y="14" font-size="{}" fill="currentColor">{}</text>').format(
            FONT_SIZE, measure_unit
        )
    )
    parts.append(_line(left, bottom, right, bottom, "currentColor"))
    label_every = math.ceil(len(points) * (_text_width(points[-1][0], SMALL_FONT_SIZE) + 8) / (right - left))
    for index, (label, _value) in enumerate(points):
        if (len(points) - 1 - index) % label_every == 0:
            parts.append(
                Markup(
                    '<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="currentColor">{}</text>'
                ).format(_coordinate(x_at(index)), bottom + 16, SMALL_FONT_SIZE, label)
            )
    parts.append(
        Markup(
            '<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="currentColor">{}</text>'
        ).format(_coordinate((left + right) / 2), LINE_HEIGHT - 6, FONT_SIZE, _("Period"))
    )
    if target is not None:
        target_y = y_at(_decimal(target))
        parts.append(_line(left, target_y, right, target_y, TARGET_COLOUR, dashed=True))
        parts.append(
            Markup('<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>').format(
                left + 4, _coordinate(target_y - 4), SMALL_FONT_SIZE, TARGET_COLOUR, _target_text(target)
            )
        )
    coordinates = " ".join(
        f"{_coordinate(x_at(index))},{_coordinate(y_at(value))}" for index, value in enumerate(values)
    )
    parts.append(
        Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>').format(
            coordinates, SERIES_COLOUR
        )
    )
    parts.extend(
        Markup('<circle cx="{}" cy="{}" r="3" fill="{}"/>').format(
            _coordinate(x_at(index)), _coordinate(y_at(value)), SERIES_COLOUR
        )
        for index, value in enumerate(values)
    )
    if len(points) == 1:
        description = _(
            "%(period)s: %(value)s; in %(measure_unit)s.",
            period=points[0][0],
            value=format_number(points[0][1]),
            measure_unit=measure_unit,
        )
        return _svg(chart_id, title, description, LINE_HEIGHT, parts, "chart chart-line")
    lowest = min(points, key=lambda point: _decimal(point[1]))
    highest = max(points, key=lambda point: _decimal(point[1]))
    description = _(
        "From %(first)s to %(last)s: lowest %(lowest)s (%(lowest_period)s), highest %(highest)s "
        "(%(highest_period)s), latest %(latest)s; in %(measure_unit)s.",
        first=points[0][0],
        last=points[-1][0],
        lowest=format_number(lowest[1]),
        lowest_period=lowest[0],
        highest=format_number(highest[1]),
        highest_period=highest[0],
        latest=format_number(points[-1][1]),
        measure_unit=measure_unit,
    )
    return _svg(chart_id, title, description, LINE_HEIGHT, parts, "chart chart-line")


def bar_chart(
    rows: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    measure_unit: str,
    target: Number | None = None,
    highlight: str | None = None,
) -> Markup:
    """One horizontal bar per row (unit name, value), in the order given, each name above its bar and the
    value at the end of the name's line; the bar of `highlight` (a name) stands out."""
    if not rows:
        return _no_data()
    values = [_decimal(value) for _label, value in rows]
    extremes = [*values, Decimal(0), *_optional(target)]
    ticks = nice_ticks(min(extremes), max(extremes), at_most=5)
    decimals = tick_decimals(ticks)
    left, right = 4, WIDTH - 4
    bottom = BAR_TOP + BAR_ROW * len(rows)
    height = bottom + BAR_BOTTOM

    def x_at(value: Decimal) -> float:
        return left + _share(value, ticks) * (right - left)

    zero = x_at(Decimal(0))
    parts = []
    for tick in ticks:
        parts.append(_beside_bars(x_at(tick), len(rows), GRID_COLOUR))
        parts.append(
            Markup(
                '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="currentColor">{}</text>'
            ).format(
                _coordinate(x_at(tick)),
                bottom + 14,
                SMALL_FONT_SIZE,
                "start" if tick == ticks[0] else "end" if tick == ticks[-1] else "middle",
                format_number(tick, decimals),
            )
        )
    parts.append(
        Markup(
            '<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="currentColor">{}</text>'
        ).format(_coordinate((left + right) / 2), height - 8, FONT_SIZE, measure_unit)
    )
    for index, ((label, _value), value) in enumerate(zip(rows, values, strict=True)):
        row_top = BAR_TOP + index * BAR_ROW
        emphasis = Markup(' font-weight="bold"') if label == highlight else Markup("")
        parts.append(
            Markup('<text x="{}" y="{}" font-size="{}" fill="currentColor"{}>{}</text>').format(
                left, row_top + 14, FONT_SIZE, emphasis, label
            )
        )
        parts.append(
            Markup(
                '<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="currentColor"{}>{}</text>'
            ).format(right, row_top + 14, FONT_SIZE, emphasis, format_number(value))
        )
        start, end = sorted((zero, x_at(value)))
        parts.append(
            Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>').format(
                _coordinate(start),
                row_top + BAR_LABEL_LANE + 2,
                _coordinate(max(end - start, 1)),
                BAR_THICKNESS,
                HIGHLIGHT_COLOUR if label == highlight else SERIES_COLOUR,
            )
        )
    parts.append(_beside_bars(zero, len(rows), "currentColor"))
    if target is not None:
        target_x = x_at(_decimal(target))
        parts.append(_beside_bars(target_x, len(rows), TARGET_COLOUR, dashed=True))
        parts.append(
            Markup('<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}">{}</text>').format(
                _coordinate(target_x),
                BAR_TOP - 10,
                SMALL_FONT_SIZE,
                "end" if target_x > WIDTH / 2 else "start",
                TARGET_COLOUR,
                _target_text(target),
            )
        )
    description = _(
        "%(count)s units in this order: first %(first)s, %(first_value)s; last %(last)s, %(last_value)s; "
        "in %(measure_unit)s.",
        count=len(rows),
        first=rows[0][0],
        first_value=format_number(rows[0][1]),
        last=rows[-1][0],
        last_value=format_number(rows[-1][1]),
        measure_unit=measure_unit,
    )
    return _svg(chart_id, title, description, height, parts, "chart chart-bar")


def _svg(
    chart_id: str, title: str, description: str, height: int, parts: list[Markup], classes: str
) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{id}-title {id}-description"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-description">{description}</desc>{body}</svg>'
    ).format(
        classes=classes,
        width=WIDTH,
        height=height,
        id=chart_id,
        title=title,
        description=description,
        body=Markup("").join(parts),
    )


def _no_data() -> Markup:
    return Markup('<p class="chart-empty">{}</p>').format(_("No published values to draw a chart."))


def _grid_line(left: float, right: float, y: float, label: str) -> Markup:
    return _line(left, y, right, y, GRID_COLOUR) + Markup(
        '<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="currentColor">{}</text>'
    ).format(_coordinate(left - 6), _coordinate(y + FONT_SIZE * 0.35), FONT_SIZE, label)


def _beside_bars(x: float, rows: int, colour: str, *, dashed: bool = False) -> Markup:
    """A vertical line at `x` through the bars' lanes only, so that it never crosses a unit's name."""
    lanes = " ".join(
        f"M{_coordinate(x)} {BAR_TOP + row * BAR_ROW + BAR_LABEL_LANE}v{BAR_ROW - BAR_LABEL_LANE}"
        for row in range(rows)
    )
    dashes = Markup(' stroke-dasharray="6 4" stroke-width="2"') if dashed else Markup("")
    return Markup('<path d="{}" stroke="{}"{}/>').format(lanes, colour, dashes)


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, *, dashed: bool = False) -> Markup:
    dashes = Markup(' stroke-dasharray="6 4" stroke-width="2"') if dashed else Markup("")
    return Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"{}/>').format(
        _coordinate(x1), _coordinate(y1), _coordinate(x2), _coordinate(y2), colour, dashes
    )


def _target_text(target: Number) -> str:
    return _("Target: %(value)s", value=format_number(target))


def _share(value: Decimal, ticks: Sequence[Decimal]) -> float:
    return float((value - ticks[0]) / (ticks[-1] - ticks[0]))


def _text_width(text: str, font_size: int) -> int:
    return round(len(text) * font_size * CHARACTER_WIDTH)


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _optional(value: Number | None) -> list[Decimal]:
    return [] if value is None else [_decimal(value)]
