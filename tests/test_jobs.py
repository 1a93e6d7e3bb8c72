"""Background jobs: enqueued only for what was committed, run in the app's context, kept in a SQLite file
with fsync by default or in Redis."""

import os

import pytest
from flask import current_app, has_app_context
from huey.storage import RedisStorage, SqliteStorage

from smart_qn import create_app, jobs
from smart_qn.extensions import db, huey

ran: list[str] = []


@jobs.job()
def record(label: str) -> str:
    assert has_app_context()
    ran.append(f"{label} in {current_app.name}")
    return label


@pytest.fixture(autouse=True)
def _nothing_ran():
    ran.clear()


@pytest.fixture
def queue_of(app, tmp_path, restore_job_queue):
    """Make the queue use the storage `settings` give it (not inline); the tests' queue is put back after."""

    def configure(**settings):
        queued_app = create_app(
            {
                "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "TESTING": True,
                "TASK_QUEUE_IMMEDIATE": False,
            }
            | settings
        )
        queued_app.instance_path = str(tmp_path)
        jobs.init_app(queued_app)
        huey.flush()
        return queued_app

    yield configure
    huey.flush()


def test_a_job_waits_for_the_commit(app, make):
    make.category()
    jobs.enqueue_after_commit(record, "after commit")
    assert ran == []

    db.session.commit()

    assert ran == ["after commit in smart_qn"]


def test_a_rolled_back_change_starts_no_job(app, make):
    make.category()
    jobs.enqueue_after_commit(record, "never")

    db.session.rollback()
    db.session.commit()

    assert ran == []


def test_by_default_jobs_wait_in_a_sqlite_file_written_with_fsync(queue_of, tmp_path):
    queued_app = queue_of()

    assert isinstance(huey.storage, SqliteStorage)
    assert huey.storage.filename == os.path.join(queued_app.instance_path, "tasks.sqlite3")
    assert huey.storage._fsync is True

    record("queued")
    assert ran == [] and huey.pending_count() == 1

    huey.execute(huey.dequeue())  # what a consumer does, outside any app context

    assert ran == ["queued in smart_qn"]


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_with_a_redis_url_jobs_wait_in_redis(queue_of):
    queue_of(TASK_QUEUE_URL=os.environ["TEST_REDIS_URL"])

    assert isinstance(huey.storage, RedisStorage)
    record("shared")
    assert huey.pending_count() == 1

    huey.execute(huey.dequeue())

    assert ran == ["shared in smart_qn"]


def test_a_job_run_by_a_consumer_gets_an_app_context(app):
    with app.test_request_context():
        pass
    assert jobs.in_app_context(lambda: current_app.name)() == "smart_qn"


def test_an_unknown_queue_url_is_refused(app, restore_job_queue):
    with pytest.raises(ValueError, match="sqlite:/// or redis://"):
        create_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "TASK_QUEUE_URL": "amqp://x"})
