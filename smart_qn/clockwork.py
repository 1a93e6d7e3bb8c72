"""Work the clock starts, not a person: archiving notices whose expiry has passed, and whatever later
features add to CLOCKWORK. `smart-qn worker` runs it every minute in production; `smart-qn demo` runs it
in a thread beside the server.

Each task commits on its own, so that one failing does not hold the others back; a failure is logged and
retried at the next run. Tasks must be safe to run in several workers at once (they lock what they change
with SKIP LOCKED) and to run late (they catch up on everything due by `now`).
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask

from smart_qn.content import attachments, lifecycle
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    run: Callable[[datetime], int]  # does what is due at the given time; returns how many items it handled
    every: timedelta  # at most this often (timedelta(0): at every run)


def expire_notices(now: datetime) -> int:
    return len(lifecycle.apply_schedule(now))


def remove_orphaned_attachments(now: datetime) -> int:
    removed = attachments.remove_orphans(now)
    return removed.attachments + removed.files


CLOCKWORK: dict[str, Task] = {
    "notices.expire": Task(expire_notices, every=timedelta(0)),
    # Lists the attachment folder: hourly is soon enough for files a day old.
    "attachments.remove_orphans": Task(remove_orphaned_attachments, every=timedelta(hours=1)),
}
# When each task last ran in this process.
_last_runs: dict[str, datetime] = {}


def run_due_work(
    now: datetime | None = None, last_runs: dict[str, datetime] = _last_runs
) -> dict[str, int | None]:
    """Run every task that is due at `now`: how many items each handled, None for a task that failed."""
    now = now or utcnow()
    handled: dict[str, int | None] = {}
    for name, task in CLOCKWORK.items():
        if name in last_runs and now - last_runs[name] < task.every:
            continue
        last_runs[name] = now
        try:
            handled[name] = task.run(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("clockwork task %s failed", name)
            handled[name] = None
    if any(handled.values()):
        log.info("clockwork ran", extra={"handled": handled})
    return handled


def run_forever(app: Flask, interval_seconds: float, stop: threading.Event) -> None:
    """Run the due work every `interval_seconds` until `stop` is set."""
    while not stop.is_set():
        with app.app_context():
            run_due_work()
            db.session.remove()
        stop.wait(interval_seconds)


def start_in_background(app: Flask, interval_seconds: float) -> threading.Event:
    """Run the clockwork in a daemon thread (for the demo server); set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=run_forever, args=(app, interval_seconds, stop), name="clockwork", daemon=True
    ).start()
    return stop
