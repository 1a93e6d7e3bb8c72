"""Who reports which figures, and what a user or an API token may do with them."""

from flask import current_app
from sqlalchemy import select

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import Role
from smart_qn.content.indicators import Indicator, IndicatorReporter
from smart_qn.extensions import db
from smart_qn.geography import UnitLevel
from smart_qn.reporting.assignments import (
    EntryRights,
    default_reporters,
    in_area,
    reported_units,
    reporter_of,
)


def reporting(indicator, *assignments):
    indicator.reporters = [
        IndicatorReporter(organization=organization, levels=levels) for organization, levels in assignments
    ]
    db.session.flush()
    return indicator


def enters(rights: EntryRights, indicator, unit) -> bool:
    """What the entry engine asks of each figure: is its reporter one of the rights' organizations?"""
    reporter = reporter_of(indicator, unit)
    return reporter is not None and rights.may_view(reporter.id)


def test_a_department_s_area_is_the_province_and_a_district_committee_s_its_district(
    make, department, thang_binh
):
    assert in_area(department, make.unit("49"))
    assert in_area(department, make.unit("20335"))
    assert in_area(thang_binh, make.unit("513"))
    assert in_area(thang_binh, make.unit("20791"))  # Thị trấn Hà Lam, in Thăng Bình
    assert not in_area(thang_binh, make.unit("502"))
    assert not in_area(thang_binh, make.unit("20335"))  # a ward of Tam Kỳ
    assert not in_area(thang_binh, make.unit("49"))


def test_the_usual_assignment_gives_the_province_to_the_owner_and_the_rest_to_district_committees(
    make, department, thang_binh, tam_ky
):
    indicator = make.indicator(organization=department, levels=[1, 2, 3])
    other_department = make.organization()

    reporters = default_reporters(indicator, [department, thang_binh, tam_ky, other_department])

    assert [(reporter.organization, reporter.levels) for reporter in reporters] == [
        (department, [UnitLevel.PROVINCE]),
        (thang_binh, [2, 3]),
        (tam_ky, [2, 3]),
    ]


def test_the_usual_assignment_of_a_province_only_indicator_names_the_owner_alone(
    make, department, thang_binh
):
    indicator = make.indicator(organization=department, levels=[1])

    reporters = default_reporters(indicator, [department, thang_binh])

    assert [(reporter.organization, reporter.levels) for reporter in reporters] == [(department, [1])]


def test_the_most_local_reporter_wins(make, department, thang_binh):
    indicator = reporting(
        make.indicator(organization=department, levels=[1, 2]), (department, [1, 2]), (thang_binh, [2])
    )

    assert reporter_of(indicator, make.unit("49")) == department
    assert reporter_of(indicator, make.unit("502")) == department
    assert reporter_of(indicator, make.unit("513")) == thang_binh


def test_no_reporter_for_a_level_the_indicator_does_not_have(make, department):
    indicator = reporting(make.indicator(organization=department, levels=[1]), (department, [1, 2]))

    assert reporter_of(indicator, make.unit("513")) is None
    assert reporter_of(indicator, make.unit("20791")) is None


def test_reported_units_of_an_organization_and_of_everyone(app, make, department, thang_binh):
    indicator = reporting(
        make.indicator(organization=department, levels=[1, 2, 3]), (department, [1]), (thang_binh, [2, 3])
    )
    as_of = current_app.config["UNITS_AS_OF"]

    thang_binh_units = reported_units(indicator, thang_binh, as_of)
    everyone = reported_units(indicator, None, as_of)

    assert [unit.code for unit in reported_units(indicator, department, as_of)] == ["49"]
    assert thang_binh_units[0].code == "513"
    assert {unit.parent.code for unit in thang_binh_units[1:]} == {"513"}
    assert len(thang_binh_units) == 1 + sum(child.is_valid_on(as_of) for child in make.unit("513").children)
    assert [unit.code for unit in everyone] == ["49", *(unit.code for unit in thang_binh_units)]


def test_an_administrator_may_do_everything(make, department):
    rights = EntryRights.of_user(make.user(is_admin=True))

    assert rights.may_view(department.id) and rights.may_view(None)
    assert rights.may_publish(department.id)


def test_an_editor_enters_but_does_not_publish(make, department, thang_binh):
    indicator = reporting(
        make.indicator(organization=department, levels=[1, 2]), (department, [1]), (thang_binh, [2])
    )
    rights = EntryRights.of_user(make.user(memberships={thang_binh: Role.EDITOR}))

    assert enters(rights, indicator, make.unit("513"))
    assert not enters(rights, indicator, make.unit("49"))
    assert not enters(rights, indicator, make.unit("502"))  # no reporter at all
    assert rights.may_view(thang_binh.id) and not rights.may_view(department.id)
    assert not rights.may_publish(thang_binh.id)


def test_an_approver_publishes_their_organization_s_figures_only(make, department, thang_binh):
    rights = EntryRights.of_user(make.user(memberships={department: Role.APPROVER}))

    assert rights.may_publish(department.id)
    assert not rights.may_publish(thang_binh.id)


def test_editors_publish_where_their_organization_lets_them(make):
    small_board = make.organization(editors_may_publish=True)

    rights = EntryRights.of_user(make.user(memberships={small_board: Role.EDITOR}))

    assert rights.may_publish(small_board.id)


def test_rights_of_an_organization_as_an_api_token_has_them(make, department, thang_binh):
    indicator = reporting(
        make.indicator(organization=department, levels=[1, 2]), (department, [1]), (thang_binh, [2])
    )

    writer = EntryRights.of_organization(thang_binh.id, may_publish=False)
    publisher = EntryRights.of_organization(thang_binh.id, may_publish=True)

    assert enters(writer, indicator, make.unit("513")) and not enters(writer, indicator, make.unit("49"))
    assert not writer.may_publish(thang_binh.id)
    assert publisher.may_publish(thang_binh.id) and not publisher.may_publish(department.id)


def test_the_demo_assignment_gives_thang_binh_its_district_figures(app):
    thang_binh = db.session.scalar(select(Organization).filter_by(code="UBND-513"))
    indicators = db.session.scalars(
        select(Indicator).join(IndicatorReporter).where(IndicatorReporter.organization_id == thang_binh.id)
    ).all()

    assert indicators and all(2 in indicator.levels for indicator in indicators)
    assert all(
        [unit.code for unit in reported_units(indicator, thang_binh, current_app.config["UNITS_AS_OF"])]
        == ["513"]
        for indicator in indicators
    )
