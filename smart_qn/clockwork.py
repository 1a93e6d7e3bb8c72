"""Work the clock starts, not a person: starting pushes whose time has come and resuming stalled ones,
bringing FCM topic subscriptions in line with the devices, archiving notices whose expiry has passed,
removing orphaned uploads and spreadsheets kept for imports never confirmed, pruning sync tombstones no
cursor can need. A periodic background job (smart_qn.jobs) runs it every minute, in the one consumer that
runs periodic tasks, under a lock so that two never overlap.

Each task commits on its own, so that one failing does not hold the others back; a failure is logged and
retried at the next run. Tasks must be safe to run in several workers at once (they lock what they change
with SKIP LOCKED) and to run late (they catch up on everything due by `now`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from huey import crontab

from smart_qn.content import attachments, lifecycle, sync
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db, huey
from smart_qn.jobs import periodic_job
from smart_qn.push import delivery, subscriptions
from smart_qn.push.transport import transport_for
from smart_qn.reporting import uploads

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


def remove_stale_imports(now: datetime) -> int:
    return uploads.remove_stale(now)


def prune_tombstones(now: datetime) -> int:
    # A day more than the sync accepts, so that instances whose clocks differ a little agree.
    return sync.prune_tombstones(now, timedelta(days=current_app.config["SYNC_MAX_AGE_DAYS"] + 1))


def apply_subscriptions(now: datetime) -> int:
    counts = subscriptions.apply_subscription_changes(transport_for(current_app))
    return counts.subscribed + counts.unsubscribed + counts.pruned_tokens


CLOCKWORK: dict[str, Task] = {
    # Pushes whose time has come, retries that are due, batches a dead worker left in flight.
    "push.deliver": Task(delivery.resume_stuck, every=timedelta(0)),
    "push.subscriptions": Task(apply_subscriptions, every=timedelta(0)),
    "notices.expire": Task(expire_notices, every=timedelta(0)),
    # Lists the attachment folder: hourly is soon enough for files a day old.
    "attachments.remove_orphans": Task(remove_orphaned_attachments, every=timedelta(hours=1)),
    # Spreadsheets previewed for import and never confirmed.
    "imports.remove_stale": Task(remove_stale_imports, every=timedelta(hours=1)),
    # Tombstones of withdrawn items, once no sync cursor the API accepts can ask for them.
    "sync.prune_tombstones": Task(prune_tombstones, every=timedelta(hours=1)),
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


@periodic_job(crontab(), name="clockwork")
@huey.lock_task("clockwork")
def clockwork_sweep() -> None:
    run_due_work()
