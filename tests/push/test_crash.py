"""The crash test: a worker killed with SIGKILL in the middle of a per-token send of 10,000 tokens is
restarted and finishes the push with no token skipped and nothing sent twice but the batch that was in
flight when it died. The worker is `smart-qn worker` in its own process, sending through the real
firebase-admin to the FCM stand-in of this process."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from smart_qn import clockwork, create_app
from smart_qn.content import demo
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.push import delivery
from smart_qn.push import notifications as push
from smart_qn.push.delivery import Purpose
from smart_qn.push.notifications import PushNotification, PushState
from tests.factories import Factories

TOKENS = [f"crash-test-token-{number:05d}-{'k' * 40}" for number in range(10_000)]


def start_worker(environment: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("smart-qn")), "worker", "--no-periodic", "--workers", "2"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_worker_killed_mid_send_resumes_without_skipping_or_repeating(
    fcm_standin, tmp_path, restore_job_queue
):
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crash.sqlite3'}",
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "TASK_QUEUE_IMMEDIATE": False,
        "FIREBASE_CREDENTIALS": str(fcm_standin.credentials_path),
        "FIREBASE_PROJECT_ID": fcm_standin.project_id,
        "FCM_ENDPOINT_OVERRIDE": fcm_standin.url,
        "PUSH_STUCK_AFTER_SECONDS": 1,
    }
    queued_app = create_app(settings)
    with queued_app.app_context():
        upgrade()
        demo.load_units()
        communicator = Factories().user(is_communicator=True)
        district = Factories().unit("513")
        draft = push.create_draft(
            {"title_vi": "Kiểm tra", "body_vi": "Gửi theo từng mã.", "audience_unit_ids": [district.id]},
            communicator,
        )
        push.submit(draft, communicator, estimated_reach=100)
        push.start_sending(draft, utcnow())
        delivery.plan_tokens(draft, {"vi": TOKENS}, Purpose.AUDIENCE)
        db.session.commit()  # the approval enqueues the delivery job into the queue file, for the worker
        push_id = draft.id
        db.session.remove()
    environment = os.environ | {
        f"SMART_QN_{key}": json.dumps(value) if isinstance(value, bool) else str(value)
        for key, value in settings.items()
    }
    fcm_standin.delay(0.02)

    worker = start_worker(environment)
    try:
        wait_for(lambda: len(fcm_standin.sends) >= 3_000, 120, "3,000 sends before the kill")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
    before_restart = len(fcm_standin.sends)
    assert before_restart < len(TOKENS), "the worker finished before it could be killed"

    with queued_app.app_context():
        time.sleep(1.1)  # the batch in flight is now older than PUSH_STUCK_AFTER_SECONDS
        clockwork.clockwork_sweep()  # what the next minute's sweep would do
    restarted = start_worker(environment)
    engine = sa.create_engine(settings["DATABASE_URL"])
    try:

        def finished() -> bool:
            with engine.connect() as connection:
                state = connection.scalar(
                    sa.select(PushNotification.__table__.c.state).where(
                        PushNotification.__table__.c.id == push_id
                    )
                )
            return state == PushState.SENT.value

        wait_for(finished, 180, "the push to be sent")
    finally:
        restarted.send_signal(signal.SIGINT)
        output, _ = restarted.communicate(timeout=30)
        engine.dispose()

    received = Counter(request.body["message"]["token"] for request in fcm_standin.sends)
    assert set(received) == set(TOKENS), "no token skipped"
    repeated = sorted(token for token, count in received.items() if count > 1)
    assert all(received[token] == 2 for token in repeated)
    # Only the batch in flight at the kill went out again: at most one batch of 500 consecutive tokens.
    assert len(repeated) <= 500, output
    if repeated:
        positions = [TOKENS.index(token) for token in (repeated[0], repeated[-1])]
        assert positions[1] - positions[0] < 500
