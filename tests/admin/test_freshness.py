import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import Role
from smart_qn.content.indicators import IndicatorReporter
from smart_qn.extensions import db
from smart_qn.localtime import province_today


def organization(code: str) -> Organization:
    return db.session.scalar(select(Organization).filter_by(code=code))


def late_indicator(make, owner):
    indicator = make.indicator(organization=owner, levels=[1])
    indicator.reporters = [IndicatorReporter(organization=owner, levels=[1])]
    make.value(indicator, "49", "2022", 1, organization_id=owner.id)
    return indicator


def test_members_see_their_own_organizations_report(client, make, sign_in):
    health = make.organization()
    indicator = late_indicator(make, health)
    sign_in(make.user(memberships={health: Role.EDITOR}))

    page = client.get("/admin/indicators/freshness").get_data(as_text=True)

    assert indicator.code in page and "UBND-513" not in page
    assert (
        client.get(f"/admin/indicators/freshness?organization={organization('UBND-513').id}").status_code
        == 404
    )


def test_administrators_filter_by_status_and_rebuild_an_earlier_report(
    client, make, sign_in, with_second_factor
):
    owner = make.organization()
    indicator = make.indicator(organization=owner, levels=[1])
    indicator.reporters = [IndicatorReporter(organization=owner, levels=[1])]
    make.value(indicator, "49", "2025", 1, organization_id=owner.id)
    sign_in(with_second_factor(make.user(is_admin=True)))
    report = "/admin/indicators/freshness"

    today_up_to_date = client.get(f"{report}?status=up_to_date&organization={owner.id}")
    today_overdue = client.get(f"{report}?status=overdue&organization={owner.id}")
    # The 2025 figure was published today: the report of 2026-05-01 did not have it.
    earlier = client.get(f"{report}?status=overdue&organization={owner.id}&as_of=2026-05-01")
    bad = client.get(f"{report}?as_of=2026-13-01")

    assert indicator.code in today_up_to_date.get_data(as_text=True)
    assert indicator.code not in today_overdue.get_data(as_text=True)
    assert indicator.code in earlier.get_data(as_text=True)
    assert bad.status_code == 200 and 'id="as_of-errors"' in bad.get_data(as_text=True)


def test_csv_and_xlsx_downloads(client, make, sign_in):
    health = make.organization()
    indicator = late_indicator(make, health)
    sign_in(make.user(memberships={health: Role.EDITOR}))

    rows = list(
        csv.reader(io.StringIO(client.get("/admin/indicators/freshness.csv").data.decode("utf-8-sig")))
    )
    workbook = load_workbook(io.BytesIO(client.get("/admin/indicators/freshness.xlsx").data))

    assert province_today().isoformat() in rows[0][0]
    assert [row[1] for row in rows[2:]] == [indicator.code]
    assert len(workbook.sheetnames) == 2
    details = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert [row[1] for row in details[2:]] == [indicator.code]
    summary = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert summary[2][0] == health.code and summary[2][5] == 1


def test_the_dashboard_shows_the_editors_overdue_figures_first(client, make, sign_in):
    health = make.organization()
    indicator = late_indicator(make, health)
    sign_in(make.user(memberships={health: Role.EDITOR}))

    page = client.get("/admin/").get_data(as_text=True)

    assert 'id="overdue-figures"' in page and indicator.code in page
    assert page.index('id="overdue-figures"') < page.index(f'id="org-{health.id}"')
