"""`smart-qn worker` as operators run it: a separate process working the queue that the app fills."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from smart_qn import clockwork, create_app
from smart_qn.content import demo
from smart_qn.content.notices import Notice, NoticeState
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.factories import Factories


def test_a_worker_process_runs_queued_jobs_and_stops_on_ctrl_c(tmp_path, restore_job_queue):
    database_url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    queue_url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    settings = {"DATABASE_URL": database_url, "TASK_QUEUE_URL": queue_url, "TASK_QUEUE_IMMEDIATE": False}
    queued_app = create_app(settings)
    with queued_app.app_context():
        upgrade()
        demo.load_units()
        now = utcnow()
        expired = Factories().notice(publish_at=now - timedelta(days=2), expire_at=now - timedelta(minutes=1))
        db.session.commit()
        expired_id = expired.id
        clockwork.clockwork_sweep()  # enqueued into the queue file, for the worker to find
        db.session.remove()
    environment = os.environ | {f"SMART_QN_{key}": str(value) for key, value in settings.items()}
    environment["SMART_QN_TASK_QUEUE_IMMEDIATE"] = "false"
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("smart-qn")), "worker", "--no-periodic"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        engine = sa.create_engine(database_url)
        deadline = time.monotonic() + 30
        state = None
        while time.monotonic() < deadline and state != NoticeState.ARCHIVED.value:
            time.sleep(0.2)
            with engine.connect() as connection:
                state = connection.scalar(
                    sa.select(Notice.__table__.c.state).where(Notice.__table__.c.id == expired_id)
                )
        engine.dispose()
        assert state == NoticeState.ARCHIVED.value, (
            worker.stdout.read() if worker.poll() is not None else state
        )
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
