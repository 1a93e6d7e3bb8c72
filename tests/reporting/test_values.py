"""The entry engine: numbers, every problem a figure can have, outcomes, drafts and pending corrections,
publishing, revisions and audit rows."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from flask import current_app
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.accounts.users import Role, User
from smart_qn.content.indicators import Indicator, IndicatorReporter, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency
from smart_qn.extensions import db
from smart_qn.reporting.assignments import EntryRights
from smart_qn.reporting.values import (
    Actor,
    Entry,
    IndicatorValueRevision,
    Outcome,
    RevisionAction,
    ValueSource,
    apply,
    discard,
    parse_number,
    plan,
    publish,
    unpublish,
)

TODAY = date(2026, 11, 21)
ENGLISH = {"Accept-Language": "en"}
PROVINCE, THANG_BINH, HOI_AN, BINH_TRI = "49", "513", "503", "20818"


@dataclass
class Setting:
    """A monthly share (0–100 %) reported by a department for the province and by Thăng Bình's People's
    Committee for its district, with an editor, an approver and a district editor."""

    indicator: Indicator
    department: Organization
    district: Organization
    editor: User
    approver: User
    district_editor: User

    def rights(self, user: User) -> EntryRights:
        return EntryRights.of_user(user)


def reporting_setting(make, **indicator_fields) -> Setting:
    department = make.organization()
    district = make.organization(kind=OrganizationKind.DISTRICT_COMMITTEE, admin_unit=make.unit(THANG_BINH))
    fields = {
        "frequency": Frequency.MONTHLY,
        "levels": [1, 2],
        "minimum": Decimal(0),
        "maximum": Decimal(100),
    }
    indicator = make.indicator(organization=department, **fields | indicator_fields)
    indicator.reporters = [
        IndicatorReporter(organization=department, levels=[1]),
        IndicatorReporter(organization=district, levels=[2]),
    ]
    db.session.flush()
    return Setting(
        indicator=indicator,
        department=department,
        district=district,
        editor=make.user(memberships={department: Role.EDITOR}),
        approver=make.user(memberships={department: Role.APPROVER}),
        district_editor=make.user(memberships={district: Role.EDITOR}),
    )


@pytest.fixture
def setting(make) -> Setting:
    return reporting_setting(make)


def entry(setting: Setting, unit=PROVINCE, period="2026-09", value="12,5", note=None, label="row 2") -> Entry:
    return Entry(setting.indicator.code, unit, period, value, note, label)


def plan_for(user: User, entries, *, publish_=False, today=TODAY):
    return plan(
        entries,
        EntryRights.of_user(user),
        today=today,
        units_as_of=current_app.config["UNITS_AS_OF"],
        publish=publish_,
    )


def write(user: User, entries, *, publish_=False):
    planned = plan_for(user, entries, publish_=publish_)
    assert planned.ok, [problem.message for problem in planned.problems]
    counts = apply(planned, Actor.of_user(user), ValueSource.FORM)
    db.session.flush()
    return counts


def stored(setting: Setting, unit=PROVINCE, period="2026-09") -> IndicatorValue | None:
    db.session.flush()
    db.session.expire_all()
    return db.session.scalar(
        select(IndicatorValue)
        .join(IndicatorValue.admin_unit)
        .where(
            IndicatorValue.indicator_id == setting.indicator.id,
            IndicatorValue.period == period,
            IndicatorValue.admin_unit.has(code=unit),
        )
    )


def revisions(row: IndicatorValue) -> list[IndicatorValueRevision]:
    return list(
        db.session.scalars(
            select(IndicatorValueRevision)
            .where(IndicatorValueRevision.value_id == row.id)
            .order_by(IndicatorValueRevision.id)
        )
    )


def audit_rows(setting: Setting) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "indicator", AuditEvent.object_id == setting.indicator.code)
            .order_by(AuditEvent.id)
        )
    )


# parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4,56", Decimal("4.56")),
        ("4.56", Decimal("4.56")),
        (" -12 ", Decimal("-12")),
        ("+7", Decimal("7")),
        (",5", Decimal("0.5")),
        ("1 234,5", Decimal("1234.5")),  # a space is no separator of thousands that could be misread
        ("1\u00a0234", Decimal("1234")),
        (12, Decimal("12")),
        (4.56, Decimal("4.56")),
        (Decimal("0.1234"), Decimal("0.1234")),
        ("2,50000", Decimal("2.5")),  # trailing zeros are not extra places
    ],
)
def test_parse_number_reads_decimal_commas_and_points(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.234,5", "without thousands separators"),
        ("1,234.5", "without thousands separators"),
        ("1.234.567", "without thousands separators"),
        ("12a", "Not a number"),
        ("", "A number is required"),
        (None, "A number is required"),
        (True, "Not a number"),
        (False, "Not a number"),
        ("1,23456", "At most 4 decimal places"),
        (0.123456, "At most 4 decimal places"),
        ("1e20", "Not a number"),
        (float("nan"), "Not a number"),
        (float("inf"), "Not a number"),
        (10**16, "too large"),
        ("99999999999999999", "too large"),
    ],
)
def test_parse_number_refuses_what_is_not_a_plain_number(app, raw, message):
    with app.test_request_context(headers=ENGLISH), pytest.raises(ValueError, match=message):
        parse_number(raw)


# Problems, one kind at a time


def only_problem(planned):
    assert not planned.changes
    assert len(planned.problems) == 1, [problem.message for problem in planned.problems]
    return planned.problems[0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "abc"}, "value", "Not a number: abc"),
        ({"value": "-1"}, "value", "At least 0 %"),
        ({"value": "100,01"}, "value", "At most 100 %"),
        ({"period": "2026-13"}, "period", "Not a period: 2026-13"),
        ({"period": "2026-Q1"}, "period", "is not a monthly period"),
        ({"period": "2026"}, "period", "is not a monthly period"),
        ({"period": "2026-11"}, "period", "2026-11 has not ended yet"),
        ({"unit": "99999"}, "unit", "Unknown unit code: 99999"),
        ({"unit": BINH_TRI}, "unit", "is not reported for Xã Bình Trị"),
        ({"unit": THANG_BINH}, "unit", "Not your unit"),
        ({"note": "x" * 501}, "note", "At most 500 characters"),
    ],
)
def test_each_problem_names_its_field(app, setting, changes, field, message):
    with app.test_request_context(headers=ENGLISH):
        problem = only_problem(plan_for(setting.editor, [entry(setting, **changes)]))
    assert problem.field == field
    assert message in problem.message
    assert problem.entry.label == "row 2"


def test_an_unknown_indicator_is_a_problem(app, setting):
    with app.test_request_context(headers=ENGLISH):
        problem = only_problem(plan_for(setting.editor, [Entry("NO_SUCH_CODE", PROVINCE, "2026-09", 1)]))
    assert (problem.field, problem.message) == ("indicator", "Unknown indicator code: NO_SUCH_CODE.")


def test_a_period_ends_on_the_last_day_of_its_month(app, setting):
    with app.test_request_context(headers=ENGLISH):
        assert not plan_for(setting.editor, [entry(setting, period="2026-10")], today=date(2026, 10, 31)).ok
        assert plan_for(setting.editor, [entry(setting, period="2026-10")], today=date(2026, 11, 1)).ok


def test_a_figure_given_twice_in_a_batch_is_refused_the_second_time(app, setting):
    with app.test_request_context(headers=ENGLISH):
        planned = plan_for(
            setting.editor, [entry(setting, label="row 2"), entry(setting, value="13", label="row 9")]
        )
    problem = only_problem_of(planned)
    assert problem.entry.label == "row 9" and "also given in row 2" in problem.message


def only_problem_of(planned):
    assert len(planned.problems) == 1
    return planned.problems[0]


def test_publishing_needs_the_right_to_publish(app, setting):
    with app.test_request_context(headers=ENGLISH):
        problem = only_problem(plan_for(setting.editor, [entry(setting)], publish_=True))
        assert problem.field == "publish" and "not publish them" in problem.message
        assert plan_for(setting.approver, [entry(setting)], publish_=True).ok


def test_editors_of_an_organization_whose_editors_may_publish_may_publish(app, setting):
    setting.department.editors_may_publish = True
    with app.test_request_context(headers=ENGLISH):
        assert plan_for(setting.editor, [entry(setting)], publish_=True).ok


def test_a_district_cannot_write_another_district(app, make, setting):
    with app.test_request_context(headers=ENGLISH):
        own = plan_for(setting.district_editor, [entry(setting, unit=THANG_BINH)])
        other = plan_for(setting.district_editor, [entry(setting, unit=HOI_AN)])
        province = plan_for(setting.district_editor, [entry(setting, unit=PROVINCE)])
    assert own.ok
    assert "Not your unit" in only_problem(province).message
    # Hội An is reported by nobody in this setting: another district's unit is never writable.
    assert only_problem(other).field == "unit"


def test_an_administrator_may_enter_every_reported_unit(app, make, setting):
    admin = make.user(is_admin=True)
    with app.test_request_context(headers=ENGLISH):
        planned = plan_for(admin, [entry(setting), entry(setting, unit=THANG_BINH)], publish_=True)
    assert planned.ok and planned.count(Outcome.NEW) == 2


def test_every_problem_of_a_batch_is_reported_and_nothing_is_planned_from_a_bad_row(app, setting):
    entries = [
        entry(setting, value="x", label="row 2"),
        entry(setting, period="2026-08", label="row 3"),
        entry(setting, period="bad", label="row 4"),
    ]
    with app.test_request_context(headers=ENGLISH):
        planned = plan_for(setting.editor, entries)
    assert [problem.entry.label for problem in planned.problems] == ["row 2", "row 4"]
    assert [change.entry.label for change in planned.changes] == ["row 3"]
    assert not planned.ok


def test_a_plan_with_problems_cannot_be_applied(app, setting):
    with app.test_request_context(headers=ENGLISH):
        planned = plan_for(setting.editor, [entry(setting), entry(setting, period="2026-08", value="x")])
        with pytest.raises(ValueError, match="problems"):
            apply(planned, Actor.of_user(setting.editor), ValueSource.IMPORT)
    assert stored(setting) is None


# Outcomes, drafts and pending corrections


def test_new_then_changed_then_unchanged(app, setting):
    with app.test_request_context(headers=ENGLISH):
        assert write(setting.editor, [entry(setting, value="10")]) == {"new": 1, "changed": 0, "unchanged": 0}
        row = stored(setting)
        assert (row.value, row.status, row.organization_id) == (
            Decimal("10"),
            ValueStatus.DRAFT,
            setting.department.id,
        )
        assert write(setting.editor, [entry(setting, value="11", note="revised")])["changed"] == 1
        assert (stored(setting).value, stored(setting).note) == (Decimal("11"), "revised")
        assert write(setting.editor, [entry(setting, value="11,0000", note=" revised ")])["unchanged"] == 1


def test_applying_the_same_batch_twice_changes_nothing_the_second_time(app, setting):
    entries = [
        entry(setting, period=period, value=str(number))
        for number, period in enumerate(["2026-07", "2026-08", "2026-09"], 40)
    ]
    with app.test_request_context(headers=ENGLISH):
        write(setting.editor, entries)
        revision_count = db.session.scalar(select(func.count()).select_from(IndicatorValueRevision))
        audit_count = len(audit_rows(setting))
        again = plan_for(setting.editor, entries)
        assert again.ok and again.count(Outcome.UNCHANGED) == 3 and not again.count(Outcome.NEW)
        assert apply(again, Actor.of_user(setting.editor), ValueSource.FORM) == {
            "new": 0,
            "changed": 0,
            "unchanged": 3,
        }
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(IndicatorValueRevision)) == revision_count
        assert len(audit_rows(setting)) == audit_count


def test_a_correction_of_a_published_figure_waits_for_publication(app, make, setting):
    make.value(setting.indicator, PROVINCE, "2026-09", "10", note="official")
    with app.test_request_context(headers=ENGLISH):
        assert write(setting.editor, [entry(setting, value="12")])["changed"] == 1
        row = stored(setting)
        assert (row.status, row.value, row.note) == (ValueStatus.PUBLISHED, Decimal("10"), "official")
        assert (row.pending_value, row.working_value) == (Decimal("12"), Decimal("12"))
        # Entering the published figure again drops the correction.
        assert write(setting.editor, [entry(setting, value="10", note="official")])["changed"] == 1
        row = stored(setting)
        assert row.pending_value is None and row.value == Decimal("10")


def test_publishing_an_unchanged_draft_is_a_change(app, setting):
    with app.test_request_context(headers=ENGLISH):
        write(setting.editor, [entry(setting, value="10")])
        planned = plan_for(setting.approver, [entry(setting, value="10")], publish_=True)
        assert planned.count(Outcome.CHANGED) == 1
        apply(planned, Actor.of_user(setting.approver), ValueSource.IMPORT)
        row = stored(setting)
        assert row.status is ValueStatus.PUBLISHED and row.published_at is not None
        assert (
            plan_for(setting.approver, [entry(setting, value="10")], publish_=True).count(Outcome.UNCHANGED)
            == 1
        )


def test_a_jump_from_the_previous_period_is_a_warning_not_a_problem(app, make, setting):
    make.value(setting.indicator, PROVINCE, "2026-08", "10")
    with app.test_request_context(headers=ENGLISH):
        planned = plan_for(
            setting.editor, [entry(setting, value="20"), entry(setting, period="2026-10", value="21")]
        )
    first, second = planned.changes
    assert planned.ok
    assert first.previous_value == Decimal("10") and "+100%" in first.warning
    # The previous period's figure may come from the same batch.
    assert second.previous_value == Decimal("20") and second.warning is None


def test_another_organizations_published_figure_restated_unchanged_is_no_problem(app, make, setting):
    make.value(
        setting.indicator, THANG_BINH, "2026-09", "33", note="district", organization_id=setting.district.id
    )
    with app.test_request_context(headers=ENGLISH):
        same = plan_for(
            setting.editor, [entry(setting, unit=THANG_BINH, value="33,0", note="district")], publish_=True
        )
        different = plan_for(setting.editor, [entry(setting, unit=THANG_BINH, value="34", note="district")])
    assert same.ok and same.count(Outcome.UNCHANGED) == 1
    assert "Not your unit" in only_problem(different).message


def test_another_organizations_draft_is_never_matched(app, make, setting):
    make.value(
        setting.indicator,
        THANG_BINH,
        "2026-09",
        "33",
        status=ValueStatus.DRAFT,
        organization_id=setting.district.id,
    )
    with app.test_request_context(headers=ENGLISH):
        planned = plan_for(setting.editor, [entry(setting, unit=THANG_BINH, value="33")])
    assert "Not your unit" in only_problem(planned).message


# Publishing, unpublishing, discarding; revisions and audit rows


def test_revisions_and_audit_rows_of_a_saved_batch(app, setting):
    with app.test_request_context(headers=ENGLISH):
        write(setting.editor, [entry(setting, value="10"), entry(setting, period="2026-08", value="9")])
        row = stored(setting)
        (revision,) = revisions(row)
        assert (revision.action, revision.source, revision.value) == (
            RevisionAction.SAVED,
            ValueSource.FORM,
            Decimal("10"),
        )
        assert (revision.user_id, revision.actor_label) == (setting.editor.id, setting.editor.email)
        (event,) = audit_rows(setting)
        assert event.action == "indicator_values.saved" and event.organization_id == setting.department.id
        assert event.after == {
            "source": "form",
            "new": 2,
            "changed": 0,
            "periods": ["2026-08", "2026-09"],
            "units": [PROVINCE],
        }


def test_publish_makes_drafts_and_corrections_live_for_those_who_may(app, make, setting):
    make.value(setting.indicator, PROVINCE, "2026-08", "10")
    with app.test_request_context(headers=ENGLISH):
        write(setting.editor, [entry(setting, value="12"), entry(setting, period="2026-08", value="11")])
        rows = [stored(setting), stored(setting, period="2026-08")]
        assert (
            publish(
                rows, EntryRights.of_user(setting.editor), Actor.of_user(setting.editor), ValueSource.FORM
            )
            == 0
        )
        assert (
            publish(
                rows, EntryRights.of_user(setting.approver), Actor.of_user(setting.approver), ValueSource.FORM
            )
            == 2
        )
        db.session.flush()
        draft, corrected = stored(setting), stored(setting, period="2026-08")
        assert (draft.status, draft.value) == (ValueStatus.PUBLISHED, Decimal("12"))
        assert (corrected.value, corrected.pending_value) == (Decimal("11"), None)
        assert [revision.action for revision in revisions(corrected)] == [
            RevisionAction.SAVED,
            RevisionAction.PUBLISHED,
        ]
        assert audit_rows(setting)[-1].action == "indicator_values.published"
        # Publishing again finds nothing to publish.
        assert (
            publish(
                rows, EntryRights.of_user(setting.approver), Actor.of_user(setting.approver), ValueSource.FORM
            )
            == 0
        )


def test_unpublish_withdraws_a_figure_with_its_correction_as_the_draft(app, make, setting):
    make.value(setting.indicator, PROVINCE, "2026-09", "10")
    with app.test_request_context(headers=ENGLISH):
        write(setting.editor, [entry(setting, value="12")])
        row = stored(setting)
        unpublish(row, Actor.of_user(setting.approver), ValueSource.FORM)
        db.session.flush()
        row = stored(setting)
        assert (row.status, row.value, row.pending_value) == (ValueStatus.DRAFT, Decimal("12"), None)
        assert revisions(row)[-1].action is RevisionAction.UNPUBLISHED
        assert audit_rows(setting)[-1].action == "indicator_values.unpublished"


def test_discard_drops_a_correction_or_deletes_a_draft(app, make, setting):
    make.value(setting.indicator, PROVINCE, "2026-09", "10")
    with app.test_request_context(headers=ENGLISH):
        write(setting.editor, [entry(setting, value="12"), entry(setting, period="2026-08", value="9")])
        discard(stored(setting), Actor.of_user(setting.editor), ValueSource.FORM)
        discard(stored(setting, period="2026-08"), Actor.of_user(setting.editor), ValueSource.FORM)
        db.session.flush()
        row = stored(setting)
        assert (row.value, row.pending_value, row.status) == (Decimal("10"), None, ValueStatus.PUBLISHED)
        assert revisions(row)[-1].action is RevisionAction.DISCARDED
        assert stored(setting, period="2026-08") is None
        assert [event.action for event in audit_rows(setting)][-2:] == ["indicator_values.discarded"] * 2
