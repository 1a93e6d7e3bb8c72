"""Spreadsheet import benchmark (issue 6): 10,000 figures through parse, plan, apply and commit.

Run it with `bench/import/run [--profile]`; see bench/import/README.md. On a throw-away SQLite database (and
on PostgreSQL when BENCH_DATABASE_URL points at an empty database) with the demo data, as an administrator:

 1. an XLSX file of 10,000 figures: the demo's monthly indicators × every unit that reports them × the
    months from 2025-01 that have ended, then earlier months; nearly all correct published demo figures
    (pending corrections);
 2. the monthly figures deleted, an XLSX file of the same 10,000 figures: all new drafts;
 3. a CSV file of the same figures with other values: 10,000 changed drafts;
 4. the same CSV file again: 10,000 unchanged, nothing written.

Each is timed step by step, as the admin's confirmation runs them (smart_qn.admin.indicator_import).
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from smart_qn import create_app
from smart_qn.accounts.users import User
from smart_qn.content import demo
from smart_qn.content.indicators import Indicator, IndicatorValue
from smart_qn.content.periods import Frequency, Period
from smart_qn.extensions import db
from smart_qn.reporting import spreadsheets
from smart_qn.reporting.assignments import EntryRights, reported_units
from smart_qn.reporting.values import Actor, IndicatorValueRevision, ValueSource, apply, plan

ROWS = 10_000
TODAY = date(2026, 11, 21)
TARGET_SECONDS = 10.0


def months_back_from(today: date) -> list[str]:
    """2025-01 up to the last ended month, then 2024-12 backwards (figures the demo has published)."""
    ended = Period.parse(f"{today.year}-{today.month:02d}").previous()
    recent, period = [], ended
    while period.start >= date(2025, 1, 1):
        recent.append(str(period))
        period = period.previous()
    earlier = []
    while period.start >= date(2022, 1, 1):
        earlier.append(str(period))
        period = period.previous()
    return recent[::-1] + earlier


def figures(app, offset: int) -> list[spreadsheets.Row]:
    monthly = db.session.scalars(
        select(Indicator).where(Indicator.frequency == Frequency.MONTHLY).order_by(Indicator.position)
    ).all()
    units_of = {
        indicator.id: reported_units(indicator, None, app.config["UNITS_AS_OF"]) for indicator in monthly
    }
    rows = []
    for period in months_back_from(TODAY):
        for indicator in monthly:
            for unit in units_of[indicator.id]:
                value = Decimal(len(rows) % 89 + 10 + offset)
                rows.append(spreadsheets.Row(indicator.code, unit.code, unit.name, period, value, None))
                if len(rows) == ROWS:
                    return rows
    raise SystemExit(f"the demo data has fewer than {ROWS} monthly figures to enter")


def timed_import(data: bytes, filename: str, admin_id: int, app, profile: cProfile.Profile | None) -> dict:
    admin = db.session.get(User, admin_id)
    steps = {}
    if profile:
        profile.enable()
    started = time.perf_counter()
    sheet = spreadsheets.read(data, filename)
    steps["parse"] = time.perf_counter() - started
    mark = time.perf_counter()
    planned = plan(
        sheet.entries, EntryRights.of_user(admin), today=TODAY, units_as_of=app.config["UNITS_AS_OF"]
    )
    steps["plan"] = time.perf_counter() - mark
    assert planned.ok, [problem.message for problem in planned.problems[:5]]
    mark = time.perf_counter()
    counts = apply(planned, Actor.of_user(admin), ValueSource.IMPORT)
    steps["apply"] = time.perf_counter() - mark
    mark = time.perf_counter()
    db.session.commit()
    steps["commit"] = time.perf_counter() - mark
    steps["total"] = time.perf_counter() - started
    if profile:
        profile.disable()
    db.session.expunge_all()
    return {"file": filename, "bytes": len(data), "counts": counts, "seconds": steps}


def _forget_monthly_figures() -> None:
    """Delete the monthly figures (and their revisions), so that the next file is all new."""
    monthly = select(Indicator.id).where(Indicator.frequency == Frequency.MONTHLY)
    figure_ids = select(IndicatorValue.id).where(IndicatorValue.indicator_id.in_(monthly))
    db.session.execute(
        sa.delete(IndicatorValueRevision).where(IndicatorValueRevision.value_id.in_(figure_ids))
    )
    db.session.execute(sa.delete(IndicatorValue).where(IndicatorValue.indicator_id.in_(monthly)))
    db.session.commit()


def run(database_url: str, label: str, profile: bool) -> list[dict]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "TESTING": False})
    results = []
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        upgrade()
        demo.seed(notices=0, anchor=datetime(2026, 11, 1, tzinfo=UTC))
        admin = User(email="bench@import.example", display_name="Bench", password_hash="-", is_admin=True)
        db.session.add(admin)
        db.session.commit()
        admin_id = admin.id
        corrections = spreadsheets.write_xlsx(figures(app, 500), [])
        xlsx = spreadsheets.write_xlsx(figures(app, 0), [])
        csv = spreadsheets.write_csv(figures(app, 1000))
        profiler = cProfile.Profile() if profile else None
        runs = (
            ("corrections", corrections, "corrections.xlsx"),
            ("new", xlsx, "new.xlsx"),
            ("changed", csv, "changed.csv"),
            ("again", csv, "changed.csv"),
        )
        for step, data, filename in runs:
            if step == "new":
                _forget_monthly_figures()
            result = timed_import(data, filename, admin_id, app, profiler)
            result["database"] = label
            results.append(result)
            seconds = result["seconds"]
            print(
                f"{label:10} {filename:16} {json.dumps(result['counts'])}  "
                + "  ".join(f"{step} {value:5.2f}s" for step, value in seconds.items()),
                flush=True,
            )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print the 30 costliest calls (cProfile)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    arguments = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results += run(f"sqlite:///{folder}/bench.sqlite3", "sqlite", arguments.profile)
    if url := os.environ.get("BENCH_DATABASE_URL"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        results += run(url, "postgresql", arguments.profile)
    slowest = max(result["seconds"]["total"] for result in results)
    verdict = "met" if slowest < TARGET_SECONDS else "MISSED"
    print(f"slowest import: {slowest:.2f}s (target {TARGET_SECONDS:.0f}s): {verdict}")
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2))
    return 0 if slowest < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
