"""Background jobs on Huey. The database is the source of truth: a job says what to look at, not what to
do, so running one twice, late, or after a crash does no harm.

Storage: a SQLite file (`fsync=True`: queued and scheduled jobs survive a killed worker), by default in
the instance folder, or Redis (`TASK_QUEUE_URL=redis://…`) for workers on many machines. `smart-qn worker`
runs a consumer; `smart-qn demo` runs one in-process. Tests run jobs inline (`TASK_QUEUE_IMMEDIATE`).

A job started by a change is enqueued only once the change is committed (`enqueue_after_commit`): it must
never act on, or miss, what a rollback undid.
"""

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, has_app_context
from huey.api import TaskWrapper
from huey.storage import RedisStorage, SqliteStorage

from smart_qn.extensions import db, huey

_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Give the queue its storage. The queue is one per process, like the consumer that works it."""
    global _app
    _app = app
    url = app.config["TASK_QUEUE_URL"] or f"sqlite:///{Path(app.instance_path) / 'tasks.sqlite3'}"
    if url.startswith("sqlite:///"):
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": url.removeprefix("sqlite:///"), "fsync": True}
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": url}
    else:
        raise ValueError(f"SMART_QN_TASK_QUEUE_URL must be a sqlite:/// or redis:// URL, not {url!r}")
    huey.immediate = app.config["TASK_QUEUE_IMMEDIATE"]
    huey.storage = huey.create_storage()


def in_app_context(function: Callable) -> Callable:
    """Run `function` in the app's context: the caller's when it has one (a job run inline), else a fresh
    one whose database session is closed afterwards (a job run by a consumer)."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        if _app is None:
            raise RuntimeError("smart_qn.jobs.init_app was not called: no app to run the job in")
        with _app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def job(**options: Any) -> Callable[[Callable], TaskWrapper]:
    """Declare a background job: `@job(retries=3)`; calling the result enqueues it."""
    return lambda function: huey.task(**options)(in_app_context(function))


def periodic_job(schedule: Callable, **options: Any) -> Callable[[Callable], TaskWrapper]:
    """Declare a job the consumer that runs periodic tasks enqueues on `schedule` (a huey crontab)."""
    return lambda function: huey.periodic_task(schedule, **options)(in_app_context(function))


def enqueue_after_commit(task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task(*args, **kwargs)` once the current transaction commits; never if it rolls back."""
    db.session().after_commit(lambda: task(*args, **kwargs))
