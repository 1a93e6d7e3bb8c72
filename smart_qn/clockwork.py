"""Work the clock starts, not a person: archiving notices whose expiry has passed, and whatever later
features add to CLOCKWORK. `smart-qn worker` runs it every minute in production; `smart-qn demo` runs it
in a thread beside the server.

Each task commits on its own, so that one failing does not hold the others back; a failure is logged and
retried at the next run. Tasks must be safe to run in several workers at once (they lock what they change
with SKIP LOCKED) and to run late (they catch up on everything due by `now`).
"""

import logging
import threading
from collections.abc import Callable, Sized
from datetime import datetime

from flask import Flask

from smart_qn.content import lifecycle
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db

log = logging.getLogger(__name__)

CLOCKWORK: dict[str, Callable[[datetime], Sized]] = {
    "notices.expire": lifecycle.apply_schedule,
}


def run_due_work(now: datetime | None = None) -> dict[str, int | None]:
    """Run every task once for `now`: how many items each handled, None for a task that failed."""
    now = now or utcnow()
    handled: dict[str, int | None] = {}
    for name, task in CLOCKWORK.items():
        try:
            handled[name] = len(task(now))
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
