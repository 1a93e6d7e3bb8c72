"""Indicator definitions through the real pages: who may see and change them, the form's messages, the
per-period targets and reporters, refusals that protect existing figures, and the audit rows."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content.indicators import Direction, Indicator, IndicatorReporter, IndicatorTarget
from smart_qn.content.periods import Frequency
from smart_qn.extensions import db
from tests.admin.conftest import csrf_token


@pytest.fixture
def indicator(make, department, thang_binh):
    indicator = make.indicator(organization=department, levels=[1, 2])
    indicator.reporters = [
        IndicatorReporter(organization=department, levels=[1]),
        IndicatorReporter(organization=thang_binh, levels=[2]),
    ]
    db.session.flush()
    return indicator


@pytest.fixture
def people(make, with_second_factor, department, thang_binh):
    return {
        "administrator": lambda: with_second_factor(make.user(is_admin=True)),
        "approver of the owner": lambda: make.user(memberships={department: Role.APPROVER}),
        "editor of the owner": lambda: make.user(memberships={department: Role.EDITOR}),
        "editor of a reporter": lambda: make.user(memberships={thang_binh: Role.EDITOR}),
        "approver of a reporter": lambda: make.user(memberships={thang_binh: Role.APPROVER}),
        "approver of another organization": lambda: make.user(
            memberships={make.organization(): Role.APPROVER}
        ),
        "communicator": lambda: with_second_factor(make.user(is_communicator=True)),
    }


def definition(indicator_or_none=None, **changes) -> dict:
    """The form's fields as a browser posts them for `indicator` (or a new one), with `changes`."""
    if indicator_or_none is None:
        fields = {
            "code": "NEW_RATE",
            "name_vi": "Tỷ lệ mới",
            "name_en": "New rate",
            "measure_unit": "%",
            "category_id": "",
            "frequency": "annual",
            "levels": ["1"],
            "direction": "higher_better",
            "target": "",
            "minimum": "0",
            "maximum": "100",
            "grace_days": "",
        }
    else:
        fields = {
            "code": indicator_or_none.code,
            "name_vi": indicator_or_none.name_vi,
            "name_en": indicator_or_none.name_en or "",
            "measure_unit": indicator_or_none.measure_unit,
            "category_id": str(indicator_or_none.category_id),
            "organization_id": str(indicator_or_none.organization_id),
            "frequency": indicator_or_none.frequency.value,
            "levels": [str(level) for level in indicator_or_none.levels],
            "direction": indicator_or_none.direction.value,
            "target": "" if indicator_or_none.target is None else str(indicator_or_none.target),
            "minimum": "" if indicator_or_none.minimum is None else str(indicator_or_none.minimum),
            "maximum": "" if indicator_or_none.maximum is None else str(indicator_or_none.maximum),
            "grace_days": "",
        }
        for index, target in enumerate(indicator_or_none.period_targets):
            fields |= {f"target-{index}-period": target.period, f"target-{index}-value": str(target.value)}
        for reporter in indicator_or_none.reporters:
            fields[f"reporter-{reporter.organization_id}"] = [str(level) for level in reporter.levels]
    return fields | changes


def post(client, path: str, data: dict):
    return client.post(
        f"{path}?lang=en", data={"csrf_token": csrf_token(client, "/admin/indicators"), **data}
    )


def audit_rows(code: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(object_id=code).order_by(AuditEvent.id)))


EDIT_ANSWERS = {
    "administrator": 200,
    "approver of the owner": 200,
    "editor of the owner": 403,
    "editor of a reporter": 403,
    "approver of a reporter": 403,
    "approver of another organization": 404,
    "communicator": 404,
}


@pytest.mark.parametrize("who", EDIT_ANSWERS)
def test_who_may_open_and_save_a_definition(client, sign_in, people, indicator, who):
    sign_in(people[who]())
    path = f"/admin/indicators/{indicator.code}/edit"

    opened = client.get(path)
    saved = post(client, path, definition(indicator, name_vi="Tên mới"))

    assert opened.status_code == EDIT_ANSWERS[who]
    assert saved.status_code == (302 if EDIT_ANSWERS[who] == 200 else EDIT_ANSWERS[who])
    db.session.refresh(indicator)
    assert (indicator.name_vi == "Tên mới") is (EDIT_ANSWERS[who] == 200)


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("administrator", True),
        ("approver of the owner", True),
        ("editor of a reporter", True),
        ("approver of another organization", False),
        ("communicator", False),
    ],
)
def test_the_list_shows_what_the_user_s_organizations_own_or_report(
    client, sign_in, people, indicator, who, listed
):
    sign_in(people[who]())

    page = client.get("/admin/indicators").get_data(as_text=True)

    assert (indicator.code in page) is listed


def test_the_list_filters_by_frequency_and_category(client, sign_in, make, department, indicator):
    monthly = make.indicator(
        organization=department, frequency=Frequency.MONTHLY, category=indicator.category
    )
    other_category = make.indicator(organization=department)
    sign_in(make.user(memberships={department: Role.EDITOR}))

    by_frequency = client.get("/admin/indicators?frequency=monthly").get_data(as_text=True)
    by_category = client.get(f"/admin/indicators?category={indicator.category_id}").get_data(as_text=True)

    assert monthly.code in by_frequency and indicator.code not in by_frequency
    assert (
        indicator.code in by_category
        and monthly.code in by_category
        and other_category.code not in by_category
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("administrator", 200),
        ("approver of the owner", 200),
        ("editor of the owner", 403),
        ("communicator", 403),
    ],
)
def test_who_may_create_an_indicator(client, sign_in, people, who, status):
    sign_in(people[who]())

    assert client.get("/admin/indicators/new").status_code == status


def test_an_approver_creates_an_indicator_with_the_usual_reporters(
    client, sign_in, make, department, thang_binh
):
    category = make.category()
    sign_in(make.user(memberships={department: Role.APPROVER}))

    response = post(
        client,
        "/admin/indicators/new",
        definition(
            category_id=str(category.id),
            levels=["1", "2"],
            **{"target-0-period": "2024", "target-0-value": "12,5", f"reporter-{thang_binh.id}": ["1"]},
        ),
    )

    assert response.status_code == 302
    created = db.session.scalar(select(Indicator).filter_by(code="NEW_RATE"))
    assert created.organization == department and created.levels == [1, 2]
    assert created.direction is Direction.HIGHER_BETTER and created.maximum == 100
    assert created.target_for("2024") == Decimal("12.5")
    reporters = {reporter.organization: reporter.levels for reporter in created.reporters}
    # An approver does not choose reporters: the usual assignment, with every district committee.
    assert reporters[department] == [1] and reporters[thang_binh] == [2]
    (row,) = audit_rows("NEW_RATE")
    assert row.action == "indicator.created" and row.before is None
    assert row.after["name_vi"] == "Tỷ lệ mới" and row.after["targets"] == {"2024": "12.5"}


def test_an_administrator_chooses_the_owner_and_the_reporters(
    client, sign_in, people, make, department, thang_binh
):
    category = make.category()
    sign_in(people["administrator"]())

    response = post(
        client,
        "/admin/indicators/new",
        definition(
            category_id=str(category.id),
            organization_id=str(department.id),
            levels=["1", "2"],
            **{f"reporter-{thang_binh.id}": ["1", "2"]},
        ),
    )

    assert response.status_code == 302
    created = db.session.scalar(select(Indicator).filter_by(code="NEW_RATE"))
    assert [(reporter.organization, reporter.levels) for reporter in created.reporters] == [
        (thang_binh, [1, 2])
    ]


def test_the_usual_assignment_button_proposes_reporters_without_saving(
    client, sign_in, people, indicator, thang_binh
):
    indicator.reporters = []
    db.session.flush()
    sign_in(people["administrator"]())

    response = post(
        client, f"/admin/indicators/{indicator.code}/edit", definition(indicator, action="default_reporters")
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="reporter-{thang_binh.id}" value="2" checked' in page
    assert f'name="reporter-{indicator.organization_id}" value="1" checked' in page
    db.session.refresh(indicator)
    assert indicator.reporters == [] and audit_rows(indicator.code) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_vi": ""}, "name_vi", "This field is required."),
        ({"code": "lower case"}, "code", "Capital letters, digits and _ . - only"),
        ({"minimum": "10", "maximum": "5"}, "maximum", "The largest value is smaller than the smallest."),
        ({"maximum": "1.000,5"}, "maximum", "without thousands separators"),
        ({"levels": []}, "levels", "Choose at least one level."),
        ({"target-0-period": "2024-Q1", "target-0-value": "5"}, "target-0", "is not a period of this"),
        ({"target-0-period": "2024", "target-0-value": "many"}, "target-0", "Not a number: many."),
        ({"target-0-period": "24", "target-0-value": "5"}, "target-0", "Not a period: 24."),
    ],
)
def test_bad_input_is_refused_with_the_message_beside_the_field(
    client, sign_in, make, department, changes, field, message
):
    category = make.category()
    sign_in(make.user(memberships={department: Role.APPROVER}))

    response = post(client, "/admin/indicators/new", definition(category_id=str(category.id), **changes))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = page[page.index(f'id="{field}-errors"') :]
    assert message in errors[: errors.index("</ul>")]
    assert db.session.scalar(select(func.count()).select_from(Indicator).filter_by(code="NEW_RATE")) == 0


def test_a_taken_code_is_refused(client, sign_in, make, department, indicator):
    sign_in(make.user(memberships={department: Role.APPROVER}))

    response = post(
        client,
        "/admin/indicators/new",
        definition(code=indicator.code, category_id=str(indicator.category_id)),
    )

    assert response.status_code == 422
    assert f"Another indicator already has the code {indicator.code}." in response.get_data(as_text=True)


def test_a_change_is_audited_with_the_changed_fields_only(client, sign_in, make, department, indicator):
    indicator.minimum, indicator.target = Decimal("0"), Decimal("12.5")
    indicator.period_targets = [IndicatorTarget(period="2024", value=Decimal("14"))]
    db.session.flush()
    db.session.expire(indicator)  # the numbers as the database gives them back (0.0000)
    sign_in(make.user(memberships={department: Role.APPROVER}))
    path = f"/admin/indicators/{indicator.code}/edit"
    old_name = indicator.name_vi

    post(client, path, definition(indicator, name_vi="Tên mới", grace_days="20"))
    post(client, path, definition(indicator, name_vi="Tên mới", grace_days="20"))

    (row,) = audit_rows(indicator.code)
    assert row.action == "indicator.updated"
    assert row.before == {"name_vi": old_name, "grace_days": None}
    assert row.after == {"name_vi": "Tên mới", "grace_days": 20}


def test_a_frequency_change_is_refused_once_there_are_figures(client, sign_in, make, department, indicator):
    make.value(indicator, "49", "2024", 5)
    sign_in(make.user(memberships={department: Role.APPROVER}))

    response = post(
        client, f"/admin/indicators/{indicator.code}/edit", definition(indicator, frequency="monthly")
    )

    assert response.status_code == 422
    assert "its frequency can no longer change" in response.get_data(as_text=True)
    db.session.refresh(indicator)
    assert indicator.frequency is Frequency.ANNUAL


def test_a_level_with_figures_cannot_be_removed_but_one_without_can(
    client, sign_in, make, department, indicator
):
    make.value(indicator, "513", "2024", 5)
    sign_in(make.user(memberships={department: Role.APPROVER}))
    path = f"/admin/indicators/{indicator.code}/edit"

    refused = post(client, path, definition(indicator, levels=["1"]))
    extended = post(client, path, definition(indicator, levels=["1", "2", "3"]))
    narrowed = post(client, path, definition(indicator, levels=["2"]))

    assert refused.status_code == 422
    assert "figures at a level you removed" in refused.get_data(as_text=True)
    assert extended.status_code == 302 and narrowed.status_code == 302
    db.session.refresh(indicator)
    assert indicator.levels == [2]


def test_per_period_targets_are_added_changed_and_removed(client, sign_in, make, department, indicator):
    sign_in(make.user(memberships={department: Role.APPROVER}))
    path = f"/admin/indicators/{indicator.code}/edit"
    post(
        client,
        path,
        definition(
            indicator,
            **{
                "target-0-period": "2024",
                "target-0-value": "5",
                "target-1-period": "2025",
                "target-1-value": "6",
            },
        ),
    )

    page = client.get(path).get_data(as_text=True)
    post(
        client,
        path,
        definition(
            indicator,
            **{
                "target-0-period": "2024",
                "target-0-value": "5",
                "target-0-remove": "1",
                "target-1-period": "2025",
                "target-1-value": "7",
            },
        ),
    )

    assert 'value="2025"' in page and 'name="target-4-period"' in page  # two rows and three blank ones
    db.session.refresh(indicator)
    assert [(target.period, target.value) for target in indicator.period_targets] == [("2025", 7)]
