"""Topic names, the topics of a device, and audiences as FCM conditions that deliver exactly once."""

import random
import re

import pytest
from flask import current_app
from sqlalchemy import select

from smart_qn.extensions import db
from smart_qn.geography import AdminUnit
from smart_qn.push.topics import (
    MAX_TOPICS_PER_CONDITION,
    TOPIC_NAME,
    Audience,
    AudienceTooBroad,
    category_topic,
    conditions_for,
    disjoint_units,
    language_topic,
    topics_of,
    unit_topic,
    unit_tree,
)

# FCM's own rule for topic names.
FCM_TOPIC = re.compile(r"^[a-zA-Z0-9\-_.~%]+$")


def matches(expression: str, topics: set[str]) -> bool:
    """Evaluate an FCM condition (`'a' in topics && ('b' in topics || 'c' in topics)`) for a device."""
    tokens = re.findall(r"'[^']*' in topics|&&|\|\||\(|\)", expression)
    assert (
        "".join(tokens)
        == expression.replace(" ", "").replace("intopics", "in topics").replace("'intopics", "' in topics")
        or tokens
    ), expression
    position = 0

    def either() -> bool:
        nonlocal position
        value = both()
        while position < len(tokens) and tokens[position] == "||":
            position += 1
            value = both() or value
        return value

    def both() -> bool:
        nonlocal position
        value = atom()
        while position < len(tokens) and tokens[position] == "&&":
            position += 1
            value = atom() and value
        return value

    def atom() -> bool:
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            value = either()
            assert tokens[position] == ")"
            position += 1
            return value
        return token[1 : token.index("'", 1)] in topics

    result = either()
    assert position == len(tokens), expression
    return result


def topics_in(expression: str) -> list[str]:
    return re.findall(r"'([^']*)' in topics", expression)


@pytest.fixture
def tree(app):
    return unit_tree()


@pytest.fixture
def current_units(app) -> list[AdminUnit]:
    return db.session.scalars(
        select(AdminUnit).where(AdminUnit.valid_on(current_app.config["UNITS_AS_OF"]))
    ).all()


def test_every_topic_name_is_valid_for_fcm(tree, make):
    non_ascii = make.category(slug="thời-tiết cực đoan")
    names = [unit_topic(node.code, node.valid_from) for node in tree.values()]
    names += [language_topic(language) for language in ("vi", "en")]
    names += [category_topic(slug) for slug in ("thien-tai", non_ascii.slug, "a/b", "a%2Fb")]

    assert all(FCM_TOPIC.match(name) and TOPIC_NAME.match(name) for name in names)
    assert len(set(names)) == len(names)
    assert category_topic(non_ascii.slug) == "category-th%E1%BB%9Di-ti%E1%BA%BFt%20c%E1%BB%B1c%20%C4%91oan"


def test_unit_topics_carry_the_unit_version_because_codes_are_reused(tree):
    versions = [node for node in tree.values() if node.code == "20335"]

    assert len(versions) == 2
    assert len({unit_topic(node.code, node.valid_from) for node in versions}) == 2


def test_a_device_is_in_its_units_from_the_province_down_its_categories_and_language(make):
    device = make.device(unit="20818", categories=["thien-tai", "y-te"])
    commune, district, province = device.admin_unit.lineage()

    assert topics_of(device) == {
        unit_topic("20818", commune.valid_from),
        unit_topic(district.code, district.valid_from),
        unit_topic("49", province.valid_from),
        "category-thien-tai",
        "category-y-te",
        "lang-vi",
    }


def test_a_chosen_district_swallows_its_chosen_communes_and_the_province_everything(tree, make):
    commune = make.unit("20818")
    district = commune.parent
    other_district = make.unit("503")

    assert disjoint_units({commune.id, district.id, other_district.id}, tree) == {
        district.id,
        other_district.id,
    }
    assert disjoint_units({commune.id, district.parent_id, other_district.id}, tree) == {district.parent_id}


def test_the_whole_province_is_one_condition_per_language(tree, make):
    province = make.unit("49")

    conditions = conditions_for(Audience(units=frozenset({province.id})), tree)

    assert [(condition.language, condition.expression) for condition in conditions] == [
        ("en", f"'{unit_topic('49', province.valid_from)}' in topics && 'lang-en' in topics"),
        ("vi", f"'{unit_topic('49', province.valid_from)}' in topics && 'lang-vi' in topics"),
    ]


def test_categories_share_one_condition_within_fcm_limit(tree, make):
    audience = Audience(
        units=frozenset({make.unit("20818").id}),
        categories=frozenset({"thien-tai", "y-te", "giao-duc"}),
        languages=frozenset({"vi"}),
    )

    (condition,) = conditions_for(audience, tree)

    assert len(topics_in(condition.expression)) == MAX_TOPICS_PER_CONDITION
    assert (
        "('category-giao-duc' in topics || 'category-thien-tai' in topics || 'category-y-te' in topics)"
        in (condition.expression)
    )


def test_an_audience_fcm_cannot_express_without_duplicates_is_refused(tree, make):
    too_many = frozenset({"thien-tai", "y-te", "giao-duc", "giao-thong"})

    with pytest.raises(AudienceTooBroad):
        conditions_for(Audience(units=frozenset({make.unit("49").id}), categories=too_many), tree)
    with pytest.raises(AudienceTooBroad):
        conditions_for(Audience(units=frozenset()), tree)
    with pytest.raises(ValueError):
        conditions_for(Audience(units=frozenset({make.unit("49").id}), languages=frozenset({"fr"})), tree)


def test_random_audiences_reach_every_targeted_device_exactly_once(tree, current_units):
    """Property test over the real unit tree: for random unit subsets, category choices and languages, no
    device's topic set matches two conditions, and every device in the audience matches one."""
    rng = random.Random(20251121)
    slugs = ["thien-tai", "y-te", "giao-duc", "kinh-te"]
    category_choices = [set(), {"thien-tai"}, {"y-te", "giao-duc"}, {"kinh-te", "thien-tai", "y-te"}]
    devices = [
        (unit.id, language, frozenset(categories))
        for unit in current_units
        for language in ("vi", "en")
        for categories in category_choices
    ]
    device_topics = {
        device: {
            unit_topic(tree[unit_id].code, tree[unit_id].valid_from) for unit_id in lineage(device[0], tree)
        }
        | {language_topic(device[1])}
        | {category_topic(slug) for slug in device[2]}
        for device in devices
    }
    reached = 0
    for _round in range(40):
        audience = Audience(
            units=frozenset(rng.sample([unit.id for unit in current_units], rng.randint(1, 6))),
            categories=frozenset(rng.sample(slugs, rng.choice([0, 0, 1, 2, 3]))),
            languages=frozenset(rng.choice([("vi",), ("en",), ("vi", "en")])),
        )
        conditions = conditions_for(audience, tree)
        assert len({condition.expression for condition in conditions}) == len(conditions)
        assert all(
            len(topics_in(condition.expression)) <= MAX_TOPICS_PER_CONDITION for condition in conditions
        )
        for device, topics in device_topics.items():
            matched = [condition for condition in conditions if matches(condition.expression, topics)]
            assert len(matched) == (1 if targeted(device, audience, tree) else 0), (device, audience)
            assert all(condition.language == device[1] for condition in matched)
            reached += len(matched)
    assert reached > 1000


def lineage(unit_id: int, tree) -> list[int]:
    chain = []
    while unit_id is not None:
        chain.append(unit_id)
        unit_id = tree[unit_id].parent_id
    return chain


def targeted(device, audience: Audience, tree) -> bool:
    unit_id, language, categories = device
    return (
        language in audience.languages
        and bool(set(lineage(unit_id, tree)) & audience.units)
        and (not audience.categories or bool(categories & audience.categories))
    )


def test_the_condition_evaluator_of_these_tests_can_say_no():
    expression = "'a' in topics && ('b' in topics || 'c' in topics)"

    assert matches(expression, {"a", "c"})
    assert not matches(expression, {"a"})
    assert not matches(expression, {"b", "c"})
