"""The figures grid and each figure's history, through the real pages: who sees which units and drafts,
saving (all or nothing), publishing, corrections that wait beside the published figure, discarding and
unpublishing, and what residents get from the public API meanwhile."""

import html
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content.indicators import IndicatorReporter, IndicatorValue, ValueStatus
from smart_qn.extensions import db
from smart_qn.reporting.values import IndicatorValueRevision, RevisionAction, ValueSource
from tests.admin.conftest import csrf_token

# The grid of an annual indicator shows the last three finished years.
THIS_YEAR = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
LAST_YEAR, YEAR_BEFORE = str(THIS_YEAR - 1), str(THIS_YEAR - 2)
_INPUT = re.compile(r'<input[^>]*?name="([^"]+)" value="([^"]*)"')


@pytest.fixture
def indicator(make, department, thang_binh, tam_ky):
    indicator = make.indicator(organization=department, levels=[1, 2], minimum=Decimal(0))
    indicator.reporters = [
        IndicatorReporter(organization=department, levels=[1]),
        IndicatorReporter(organization=thang_binh, levels=[2]),
        IndicatorReporter(organization=tam_ky, levels=[2]),
    ]
    db.session.flush()
    return indicator


@pytest.fixture
def editor(make, thang_binh):
    return make.user(memberships={thang_binh: Role.EDITOR})


@pytest.fixture
def approver(make, thang_binh):
    return make.user(memberships={thang_binh: Role.APPROVER})


def sign_in_instead(client, sign_in, user):
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/indicators")})
    sign_in(user)


def grid_url(indicator, **query) -> str:
    suffix = "".join(f"&{name}={value}" for name, value in query.items())
    return f"/admin/indicators/{indicator.code}/values?lang=en{suffix}"


def save_grid(client, indicator, cells: dict[tuple[str, str], str], *, action="save", notes=None, lang="en"):
    """Post the grid as a browser does: every input of the page, with `cells` typed over them."""
    page = client.get(f"/admin/indicators/{indicator.code}/values?lang={lang}")
    assert page.status_code == 200
    data = {name: html.unescape(value) for name, value in _INPUT.findall(page.get_data(as_text=True))}
    for (unit, period), value in cells.items():
        data[f"value-{unit}-{period}"] = value
    for (unit, period), note in (notes or {}).items():
        data[f"note-{unit}-{period}"] = note
    return client.post(
        f"/admin/indicators/{indicator.code}/values?lang={lang}", data=data | {"action": action}
    )


def stored(indicator, unit_code: str, period: str) -> IndicatorValue | None:
    return db.session.scalar(
        select(IndicatorValue)
        .join(IndicatorValue.admin_unit)
        .where(IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == period)
        .where(IndicatorValue.admin_unit.has(code=unit_code))
    )


def public_series(client, indicator, unit_code: str) -> list:
    body = client.get(f"/api/v1/indicators/{indicator.code}/values?unit={unit_code}").get_json()
    return [(item["period"], item["value"]) for item in body["values"]]


def test_the_grid_shows_the_user_s_units_and_the_last_finished_periods(client, sign_in, indicator, editor):
    sign_in(editor)

    page = client.get(grid_url(indicator)).get_data(as_text=True)

    assert f'name="value-513-{LAST_YEAR}"' in page and f'name="value-513-{YEAR_BEFORE}"' in page
    assert "value-502-" not in page and "value-49-" not in page
    assert f"value-513-{THIS_YEAR}" not in page
    assert f"Value Huyện Thăng Bình {LAST_YEAR}" in page  # every input has its label
    assert "<caption>" in page and 'scope="row"' in page


def test_an_administrator_sees_every_reported_unit(client, sign_in, with_second_factor, make, indicator):
    sign_in(with_second_factor(make.user(is_admin=True)))

    page = client.get(grid_url(indicator)).get_data(as_text=True)

    assert all(f'name="value-{code}-{LAST_YEAR}"' in page for code in ("49", "502", "513"))


def test_paging_back_shows_earlier_periods(client, sign_in, indicator, editor):
    sign_in(editor)

    page = client.get(grid_url(indicator, to="2020")).get_data(as_text=True)

    assert all(f'name="value-513-{year}"' in page for year in ("2018", "2019", "2020"))
    assert f"value-513-{LAST_YEAR}" not in page
    assert "/values?to=2017" in page and "/values?to=2023" in page  # earlier, and three years later


def test_saving_makes_drafts_with_revisions_and_accepts_a_decimal_comma(client, sign_in, indicator, editor):
    sign_in(editor)

    response = save_grid(
        client, indicator, {("513", LAST_YEAR): "12,5"}, notes={("513", LAST_YEAR): "Ước tính"}
    )

    assert response.status_code == 302
    figure = stored(indicator, "513", LAST_YEAR)
    assert (figure.value, figure.note, figure.status) == (Decimal("12.5"), "Ước tính", ValueStatus.DRAFT)
    (revision,) = db.session.scalars(select(IndicatorValueRevision).filter_by(value_id=figure.id))
    assert (revision.action, revision.source, revision.user_id) == (
        RevisionAction.SAVED,
        ValueSource.FORM,
        editor.id,
    )
    assert "Saved as drafts: 1 new, 0 changed." in client.get(response.location).get_data(as_text=True)
    assert public_series(client, indicator, "513") == []


def test_the_vietnamese_page_shows_a_decimal_comma(client, sign_in, make, indicator, editor, thang_binh):
    make.value(indicator, "513", LAST_YEAR, "4.56", organization_id=thang_binh.id)
    sign_in(editor)

    vietnamese = client.get(f"/admin/indicators/{indicator.code}/values?lang=vi").get_data(as_text=True)
    english = client.get(grid_url(indicator)).get_data(as_text=True)

    assert f'name="value-513-{LAST_YEAR}" value="4,56"' in vietnamese
    assert f'name="value-513-{LAST_YEAR}" value="4.56"' in english


def test_unchanged_cells_are_not_saved(client, sign_in, make, indicator, editor, thang_binh):
    make.value(indicator, "513", LAST_YEAR, 4, organization_id=thang_binh.id)
    sign_in(editor)

    response = save_grid(client, indicator, {}, lang="vi")

    assert "Không có thay đổi: chưa lưu gì." in client.get(response.location).get_data(as_text=True)
    assert (
        db.session.scalar(
            select(IndicatorValueRevision.id)
            .limit(1)
            .where(IndicatorValueRevision.value_id == stored(indicator, "513", LAST_YEAR).id)
        )
        is None
    )


def test_a_district_editor_cannot_save_another_district_s_cell(client, sign_in, indicator, editor):
    sign_in(editor)

    response = save_grid(client, indicator, {("513", LAST_YEAR): "7", ("502", LAST_YEAR): "8"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not your unit: you may not enter" in page and "Thành phố Tam Kỳ" in page
    assert 'value="7"' in page  # what was typed is shown again
    assert stored(indicator, "513", LAST_YEAR) is None and stored(indicator, "502", LAST_YEAR) is None


def test_another_district_s_drafts_are_not_shown(client, sign_in, make, indicator, editor, tam_ky):
    make.value(indicator, "502", LAST_YEAR, "777.25", status=ValueStatus.DRAFT, organization_id=tam_ky.id)
    sign_in(editor)

    page = client.get(grid_url(indicator)).get_data(as_text=True)
    history = client.get(f"/admin/indicators/{indicator.code}/values/502/{LAST_YEAR}")

    assert "777" not in page
    assert history.status_code == 404


def test_a_bad_figure_is_shown_beside_its_cell_and_nothing_is_written(client, sign_in, indicator, editor):
    sign_in(editor)

    response = save_grid(client, indicator, {("513", LAST_YEAR): "1.234,5", ("513", YEAR_BEFORE): "-3"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="errors-513-{LAST_YEAR}"' in page and "without thousands separators" in page
    assert f'id="errors-513-{YEAR_BEFORE}"' in page and "At least 0 %" in page
    assert stored(indicator, "513", LAST_YEAR) is None and stored(indicator, "513", YEAR_BEFORE) is None


def test_emptying_a_cell_says_how_to_remove_its_figure(client, sign_in, make, indicator, editor, thang_binh):
    make.value(indicator, "513", LAST_YEAR, 4, status=ValueStatus.DRAFT, organization_id=thang_binh.id)
    sign_in(editor)

    response = save_grid(client, indicator, {("513", LAST_YEAR): ""})

    assert response.status_code == 422
    assert (
        "To remove this figure, open its history to discard the correction or delete the draft"
        in response.get_data(as_text=True)
    )
    assert stored(indicator, "513", LAST_YEAR).value == 4


def test_a_period_not_yet_ended_is_refused(client, sign_in, indicator, editor):
    sign_in(editor)
    data = {"csrf_token": csrf_token(client, grid_url(indicator)), f"value-513-{THIS_YEAR}": "5"}

    response = client.post(grid_url(indicator), data=data)

    assert response.status_code == 422
    assert f"{THIS_YEAR} has not ended yet." in response.get_data(as_text=True)
    assert stored(indicator, "513", str(THIS_YEAR)) is None


def test_a_large_jump_is_saved_with_a_warning(client, sign_in, make, indicator, editor, thang_binh):
    make.value(indicator, "513", YEAR_BEFORE, 10, organization_id=thang_binh.id)
    sign_in(editor)

    response = save_grid(client, indicator, {("513", LAST_YEAR): "100"})

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert f"Huyện Thăng Bình, {LAST_YEAR}: +900% from the previous period (10): please check." in page
    assert stored(indicator, "513", LAST_YEAR).value == 100


def test_save_and_publish(client, sign_in, indicator, approver):
    sign_in(approver)

    response = save_grid(client, indicator, {("513", LAST_YEAR): "9"}, action="publish")

    assert response.status_code == 302
    assert stored(indicator, "513", LAST_YEAR).status is ValueStatus.PUBLISHED
    assert public_series(client, indicator, "513") == [(LAST_YEAR, 9)]


def test_an_editor_may_not_publish(client, sign_in, indicator, editor):
    sign_in(editor)

    saved = save_grid(client, indicator, {("513", LAST_YEAR): "9"}, action="publish")
    publish_all = client.post(
        f"/admin/indicators/{indicator.code}/values/publish",
        data={"csrf_token": csrf_token(client, grid_url(indicator))},
    )

    assert saved.status_code == 403 and publish_all.status_code == 403
    assert stored(indicator, "513", LAST_YEAR) is None


def test_a_correction_waits_beside_the_published_figure_until_published(
    client, sign_in, make, indicator, editor, approver, thang_binh
):
    make.value(indicator, "513", LAST_YEAR, 10, organization_id=thang_binh.id)
    sign_in(editor)

    save_grid(client, indicator, {("513", LAST_YEAR): "11"})

    figure = stored(indicator, "513", LAST_YEAR)
    assert (figure.value, figure.pending_value) == (10, 11)
    page = client.get(grid_url(indicator)).get_data(as_text=True)
    assert "Correction pending" in page and "Published: 10" in page
    assert public_series(client, indicator, "513") == [(LAST_YEAR, 10)]

    sign_in_instead(client, sign_in, approver)
    response = client.post(
        f"/admin/indicators/{indicator.code}/values/publish?lang=en",
        data={"csrf_token": csrf_token(client, grid_url(indicator))},
    )

    assert response.status_code == 302
    assert "1 figures published" in client.get(response.location).get_data(as_text=True)
    assert public_series(client, indicator, "513") == [(LAST_YEAR, 11)]
    assert db.session.scalar(
        select(AuditEvent).filter_by(action="indicator_values.published", object_id=indicator.code)
    )


def test_discarding_a_correction_keeps_the_published_figure(
    client, sign_in, make, indicator, editor, thang_binh
):
    figure = make.value(
        indicator, "513", LAST_YEAR, 10, organization_id=thang_binh.id, pending_value=Decimal(12)
    )
    sign_in(editor)
    history = f"/admin/indicators/{indicator.code}/values/513/{LAST_YEAR}"

    response = client.post(f"{history}/discard", data={"csrf_token": csrf_token(client, history)})

    assert response.status_code == 302
    db.session.refresh(figure)
    assert (figure.value, figure.pending_value, figure.status) == (10, None, ValueStatus.PUBLISHED)


def test_discarding_a_draft_deletes_it(client, sign_in, make, indicator, editor, thang_binh):
    make.value(indicator, "513", LAST_YEAR, 10, status=ValueStatus.DRAFT, organization_id=thang_binh.id)
    sign_in(editor)
    history = f"/admin/indicators/{indicator.code}/values/513/{LAST_YEAR}"

    response = client.post(f"{history}/discard", data={"csrf_token": csrf_token(client, history)})

    assert response.status_code == 302
    assert stored(indicator, "513", LAST_YEAR) is None


def test_an_approver_unpublishes_and_an_editor_may_not(
    client, sign_in, make, indicator, editor, approver, thang_binh
):
    figure = make.value(indicator, "513", LAST_YEAR, 10, organization_id=thang_binh.id)
    history = f"/admin/indicators/{indicator.code}/values/513/{LAST_YEAR}"
    sign_in(editor)

    refused = client.post(f"{history}/unpublish", data={"csrf_token": csrf_token(client, history)})

    assert refused.status_code == 403
    sign_in_instead(client, sign_in, approver)
    response = client.post(f"{history}/unpublish", data={"csrf_token": csrf_token(client, history)})
    assert response.status_code == 302
    db.session.refresh(figure)
    assert figure.status is ValueStatus.DRAFT
    assert public_series(client, indicator, "513") == []


def test_the_history_lists_the_revisions(client, sign_in, indicator, editor, approver):
    sign_in(editor)
    save_grid(client, indicator, {("513", LAST_YEAR): "5"}, notes={("513", LAST_YEAR): "lần đầu"})
    save_grid(client, indicator, {("513", LAST_YEAR): "6"})
    sign_in_instead(client, sign_in, approver)
    client.post(
        f"/admin/indicators/{indicator.code}/values/publish",
        data={"csrf_token": csrf_token(client, grid_url(indicator))},
    )

    page = client.get(f"/admin/indicators/{indicator.code}/values/513/{LAST_YEAR}?lang=en").get_data(
        as_text=True
    )

    rows = re.findall(r"<tr>\s*<td>.*?</tr>", page, re.S)
    assert len(rows) == 3
    assert "Published" in rows[0] and approver.display_name in rows[0]
    assert "Saved" in rows[2] and "lần đầu" in rows[2] and editor.display_name in rows[2]
    assert all("Admin grid" in row for row in rows)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/indicators/{code}/values"),
        ("POST", "/admin/indicators/{code}/values"),
        ("POST", "/admin/indicators/{code}/values/publish"),
        ("GET", "/admin/indicators/{code}/values/513/{year}"),
        ("POST", "/admin/indicators/{code}/values/513/{year}/discard"),
        ("POST", "/admin/indicators/{code}/values/513/{year}/unpublish"),
    ],
)
def test_someone_of_another_organization_gets_404_everywhere(
    client, sign_in, make, indicator, thang_binh, method, path
):
    make.value(indicator, "513", LAST_YEAR, 10, organization_id=thang_binh.id, pending_value=Decimal(11))
    sign_in(make.user(memberships={make.organization(): Role.APPROVER}))
    url = path.format(code=indicator.code, year=LAST_YEAR)

    token = csrf_token(client, "/admin/indicators")
    response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)

    assert response.status_code == 404
    assert stored(indicator, "513", LAST_YEAR).pending_value == 11
