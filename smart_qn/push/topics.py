"""FCM topics: which topics a device is in, and how an audience becomes topic conditions.

Topic names use only FCM's characters `[a-zA-Z0-9-_.~%]`:

- `unit-<GSO code>-<valid_from as YYYYMMDD>` for each administrative unit on the path from the province to
  the device's unit (`unit-49-19970101`, `unit-503-…`, `unit-20818-…`). GSO codes are reused by successor
  units (20335 was Phường Tân Thạnh until 2025-06-30, Phường Bàn Thạch after), so the topic carries the
  version of the unit: a device registered on one map never receives a push meant for a different unit of
  another map that happens to share the code. The cost is that devices must move to the new topics when
  the map changes, which they must anyway, as their unit changes.
- `category-<slug>`, the slug percent-encoded (slugs are ASCII today, but the column allows any text;
  percent-encoding keeps distinct slugs distinct).
- `lang-vi`, `lang-en`.

A push goes out once per FCM condition. An audience is normalized so that no device matches two of its
conditions: units are reduced to disjoint subtrees (a chosen district swallows its chosen communes, the
province swallows everything), each condition names one unit and one language, and categories are joined
with `||` inside a condition, never spread over several. FCM allows at most 5 topics per condition, which
leaves room for 3 categories: a wider category choice is refused (`AudienceTooBroad`) rather than split into
conditions that would deliver twice.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import select

from smart_qn.extensions import db
from smart_qn.geography import AdminUnit

TOPIC_NAME = re.compile(r"^[a-zA-Z0-9\-_.~%]{1,900}$")
LANGUAGES = ("vi", "en")
MAX_TOPICS_PER_CONDITION = 5
# One unit topic and one language topic leave this many for categories.
MAX_CATEGORIES = MAX_TOPICS_PER_CONDITION - 2


class AudienceTooBroad(ValueError):
    """The audience cannot be sent as conditions of at most 5 topics without delivering twice."""


@dataclass(frozen=True)
class UnitNode:
    id: int
    code: str
    valid_from: date
    parent_id: int | None


@dataclass(frozen=True)
class Audience:
    """Who a push is for: the devices in any of `units` (the province's id for everyone), speaking one of
    `languages`, and, when `categories` is not empty, having chosen at least one of them."""

    units: frozenset[int]
    categories: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset(LANGUAGES)


@dataclass(frozen=True)
class Condition:
    language: str  # the text of the push in this language goes to this condition
    expression: str


def unit_topic(code: str, valid_from: date) -> str:
    return f"unit-{code}-{valid_from:%Y%m%d}"


def category_topic(slug: str) -> str:
    return f"category-{quote(slug, safe='')}"


def language_topic(language: str) -> str:
    return f"lang-{language}"


def topics_of(device) -> set[str]:
    """Every topic a device belongs in: its unit and the units above it, its categories, its language."""
    return (
        {unit_topic(unit.code, unit.valid_from) for unit in device.admin_unit.lineage()}
        | {category_topic(slug) for slug in device.categories}
        | {language_topic(device.language)}
    )


def unit_tree() -> dict[int, UnitNode]:
    """Every administrative unit (all map versions), by id, for `conditions_for`."""
    rows = db.session.execute(select(AdminUnit.id, AdminUnit.code, AdminUnit.valid_from, AdminUnit.parent_id))
    return {row.id: UnitNode(row.id, row.code, row.valid_from, row.parent_id) for row in rows}


def disjoint_units(unit_ids: Iterable[int], tree: Mapping[int, UnitNode]) -> set[int]:
    """The chosen units that have no chosen unit above them: their subtrees cover the same devices as all
    the chosen units, and no two of them overlap."""
    chosen = set(unit_ids)
    unknown = chosen - tree.keys()
    if unknown:
        raise KeyError(f"no administrative units with ids {sorted(unknown)}")
    return {unit_id for unit_id in chosen if not ancestors(unit_id, tree) & chosen}


def conditions_for(audience: Audience, tree: Mapping[int, UnitNode]) -> list[Condition]:
    """The FCM conditions that together reach every device of the audience, each device exactly once."""
    if not audience.units:
        raise AudienceTooBroad("an audience needs at least one unit (the province for everyone)")
    if not audience.languages or not audience.languages <= set(LANGUAGES):
        raise ValueError(f"languages must be some of {LANGUAGES}")
    if len(audience.categories) > MAX_CATEGORIES:
        raise AudienceTooBroad(f"at most {MAX_CATEGORIES} categories can be targeted in one push")
    categories = " || ".join(_has(category_topic(slug)) for slug in sorted(audience.categories))
    units = sorted(disjoint_units(audience.units, tree), key=lambda unit_id: (tree[unit_id].code, unit_id))
    conditions = []
    for language in sorted(audience.languages):
        for unit_id in units:
            node = tree[unit_id]
            parts = [_has(unit_topic(node.code, node.valid_from)), _has(language_topic(language))]
            if audience.categories:
                parts.append(f"({categories})" if len(audience.categories) > 1 else categories)
            conditions.append(Condition(language, " && ".join(parts)))
    return conditions


def _has(topic: str) -> str:
    return f"'{topic}' in topics"


def ancestors(unit_id: int, tree: Mapping[int, UnitNode]) -> set[int]:
    """The ids of the units above `unit_id` (its district, its province)."""
    found, parent = set(), tree[unit_id].parent_id
    while parent is not None:
        found.add(parent)
        parent = tree[parent].parent_id
    return found
