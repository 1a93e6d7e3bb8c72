"""The demo data loaded for every test database (see conftest) is complete and realistic."""

from datetime import date

from sqlalchemy import func, select

from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.content.indicators import Indicator, IndicatorValue
from smart_qn.content.notices import Notice, NoticeState
from smart_qn.content.services import ServiceLink
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit
from tests.conftest import DEMO_NOTICES


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_reference_data(app):
    assert count(AdminUnit) == 362
    assert count(ServiceLink) == 40
    assert count(Indicator) == 32
    assert count(Organization, Organization.kind == OrganizationKind.DISTRICT_COMMITTEE) == 18
    assert count(Organization) == 31 + 18


def test_three_years_of_values_per_district_where_reported_per_district(app):
    poverty = db.session.scalar(select(Indicator).filter_by(code="POOR_HOUSEHOLD_RATE"))
    periods_by_unit = db.session.execute(
        select(IndicatorValue.admin_unit_id, func.count())
        .where(IndicatorValue.indicator_id == poverty.id, IndicatorValue.period_start < date(2025, 1, 1))
        .group_by(IndicatorValue.admin_unit_id)
    ).all()

    assert poverty.levels == [1, 2]
    assert len(periods_by_unit) == 19 and {periods for _, periods in periods_by_unit} == {3}


def test_notices_span_categories_urgencies_states_and_languages(app):
    notices = db.session.scalars(select(Notice)).all()

    assert len(notices) == DEMO_NOTICES
    assert len({notice.category_id for notice in notices}) >= 10
    assert {notice.urgency.value for notice in notices} == {"normal", "important", "emergency"}
    assert {notice.state for notice in notices} >= {NoticeState.PUBLISHED, NoticeState.DRAFT}
    assert 0.15 < sum(1 for notice in notices if notice.title_en) / len(notices) < 0.5
    assert all(notice.body_html_vi and notice.search_folded for notice in notices)
    assert len({unit.id for notice in notices for unit in notice.audience}) >= 30
