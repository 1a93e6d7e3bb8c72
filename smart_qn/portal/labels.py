"""What the pages call the domain's values, in the reader's language."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from smart_qn.api.services.routes import LEVEL_LABELS
from smart_qn.content.notices import Urgency
from smart_qn.content.search import Kind
from smart_qn.content.services import ServiceLevel

URGENCY_LABELS = {
    Urgency.NORMAL: _l("Normal"),
    Urgency.IMPORTANT: _l("Important"),
    Urgency.EMERGENCY: _l("Emergency"),
}
KIND_LABELS = {Kind.NOTICE: _l("Notice"), Kind.SERVICE: _l("Online service"), Kind.INDICATOR: _l("Indicator")}


def urgency_label(urgency: str) -> str:
    return str(URGENCY_LABELS[Urgency(urgency)])


def service_level_label(level: ServiceLevel) -> str:
    """ "Toàn trình" or "một phần", with the former level number residents still know them by."""
    return str(LEVEL_LABELS[level]) + " " + (_("(level 4)") if level is ServiceLevel.FULL else _("(level 3)"))


def kind_label(kind: Kind) -> str:
    return str(KIND_LABELS[kind])


def trend_label(figure: dict) -> str:
    """How a key figure moved since the period before, as `key_indicator_figures` tells it."""
    previous = figure["previous"]
    if figure["trend"] == "flat":
        return _("Unchanged since %(period)s", period=previous["period"])
    before = format_decimal(previous["value"])
    if figure["trend"] == "up":
        return _("Up from %(value)s in %(period)s", value=before, period=previous["period"])
    return _("Down from %(value)s in %(period)s", value=before, period=previous["period"])


def template_labels() -> dict:
    return {
        "urgency_label": urgency_label,
        "service_level_label": service_level_label,
        "kind_label": kind_label,
        "trend_label": trend_label,
    }
