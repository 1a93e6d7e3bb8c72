from datetime import UTC, datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from smart_qn import create_app
from smart_qn.content import demo
from smart_qn.content.notices import Notice
from smart_qn.extensions import db


@pytest.fixture
def empty_app(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "TESTING": True})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def snapshot() -> list[tuple]:
    return db.session.execute(
        select(Notice.title_vi, Notice.urgency, Notice.publish_at, Notice.expire_at).order_by(Notice.id)
    ).all()


def test_seed_command_loads_and_refuses_to_load_twice(empty_app):
    runner = empty_app.test_cli_runner()

    first = runner.invoke(args=["seed", "--notices", "30", "--anchor", "2026-11-01"])
    again = runner.invoke(args=["seed", "--notices", "30"])

    assert first.exit_code == 0, first.output
    assert "30 notices" in first.output and "40 services" in first.output
    assert again.exit_code != 0 and "--reset" in again.output


def test_same_seed_and_anchor_give_the_same_data(empty_app):
    anchor = datetime(2026, 11, 1, tzinfo=UTC)
    with empty_app.app_context():
        demo.seed(notices=50, anchor=anchor)
        first = snapshot()
        demo.clear()
        demo.seed(notices=50, anchor=anchor)
        assert snapshot() == first


def test_large_sets_for_benchmarks(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["seed", "--notices", "5000", "--anchor", "2026-11-01"])

    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notice)) == 5000
