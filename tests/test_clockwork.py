"""The work the clock starts: run for a moment, each task on its own, failures contained."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from smart_qn import clockwork
from smart_qn.accounts.audit import AuditEvent
from smart_qn.content.attachments import Attachment
from smart_qn.content.notices import NoticeState
from smart_qn.content.sync import DeletedItem, ItemKind
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.reporting import uploads


def test_expired_notices_are_archived_without_anyone_clicking(make):
    now = utcnow()
    expired = make.notice(publish_at=now - timedelta(days=2), expire_at=now - timedelta(minutes=1))
    running = make.notice(publish_at=now - timedelta(days=2), expire_at=now + timedelta(days=1))

    handled = clockwork.run_due_work(now, last_runs={})

    assert handled["notices.expire"] >= 1
    db.session.refresh(expired)
    db.session.refresh(running)
    assert expired.state is NoticeState.ARCHIVED
    assert running.state is NoticeState.PUBLISHED
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "notice.expire", AuditEvent.object_id == str(expired.id))
        )
        == 1
    )
    assert clockwork.run_due_work(now, last_runs={})["notices.expire"] == 0


def test_a_failing_task_does_not_hold_back_the_others(make, monkeypatch, caplog):
    now = utcnow()
    expired = make.notice(publish_at=now - timedelta(days=2), expire_at=now - timedelta(minutes=1))
    db.session.commit()  # as it would be: the failing task's rollback must not take it along

    def broken(_now):
        raise RuntimeError("the push provider is down")

    monkeypatch.setattr(
        clockwork, "CLOCKWORK", {"broken": clockwork.Task(broken, timedelta(0)), **clockwork.CLOCKWORK}
    )
    clockwork.log.addHandler(caplog.handler)  # the app's loggers do not propagate to the root
    try:
        handled = clockwork.run_due_work(now, last_runs={})
    finally:
        clockwork.log.removeHandler(caplog.handler)

    assert handled["broken"] is None
    assert handled["notices.expire"] >= 1
    assert "clockwork task broken failed" in caplog.text
    db.session.refresh(expired)
    assert expired.state is NoticeState.ARCHIVED


def test_the_clockwork_is_a_periodic_job_run_every_minute():
    assert clockwork.clockwork_sweep.task_class.__name__ == "clockwork"
    sweep = clockwork.clockwork_sweep.task_class()
    minute = datetime(2026, 11, 21, 7, 0)
    assert all(sweep.validate_datetime(minute + timedelta(minutes=offset)) for offset in range(0, 120, 7))


def test_the_sweep_runs_the_due_work(app, make, monkeypatch):
    runs = []
    monkeypatch.setattr(
        clockwork, "CLOCKWORK", {"counted": clockwork.Task(lambda now: runs.append(now) or 0, timedelta(0))}
    )
    monkeypatch.setattr(clockwork, "_last_runs", {})

    clockwork.clockwork_sweep.call_local()

    assert len(runs) == 1


def test_a_task_runs_no_more_often_than_it_should(make, monkeypatch):
    runs = []
    monkeypatch.setattr(
        clockwork,
        "CLOCKWORK",
        {"hourly": clockwork.Task(lambda now: runs.append(now) or 0, timedelta(hours=1))},
    )
    last_runs, start = {}, utcnow()

    for minutes in (0, 1, 59, 60, 61):
        clockwork.run_due_work(start + timedelta(minutes=minutes), last_runs=last_runs)

    assert runs == [start, start + timedelta(minutes=60)]


def test_orphaned_attachments_are_removed_by_the_clockwork(make, app):
    orphan = make.attachment()
    db.session.commit()

    handled = clockwork.run_due_work(utcnow() + timedelta(days=2), last_runs={})

    assert handled["attachments.remove_orphans"] >= 1
    assert (
        db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.id == orphan.id)) == 0
    )


def test_spreadsheets_kept_for_an_import_never_confirmed_are_removed_a_day_later(
    app, make, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path))
    user = make.user()
    digest = uploads.keep(user.id, b"ma_chi_tieu,ma_don_vi,ky_bao_cao,gia_tri\n")

    assert clockwork.run_due_work(utcnow(), last_runs={})["imports.remove_stale"] == 0
    assert uploads.kept(user.id, digest) is not None
    handled = clockwork.run_due_work(utcnow() + uploads.LIFETIME + timedelta(minutes=1), last_runs={})

    assert handled["imports.remove_stale"] == 1
    assert uploads.kept(user.id, digest) is None


def test_tombstones_are_pruned_once_no_accepted_cursor_can_need_them(app, make):
    kept_days = app.config["SYNC_MAX_AGE_DAYS"]
    now = utcnow()
    old = DeletedItem(kind=ItemKind.NOTICE, key="old", deleted_at=now - timedelta(days=kept_days + 2))
    recent = DeletedItem(kind=ItemKind.NOTICE, key="recent", deleted_at=now - timedelta(days=kept_days))
    db.session.add_all([old, recent])
    db.session.flush()

    handled = clockwork.run_due_work(now, last_runs={})

    assert handled["sync.prune_tombstones"] >= 1
    remaining = set(db.session.scalars(select(DeletedItem.key).where(DeletedItem.key.in_(["old", "recent"]))))
    assert remaining == {"recent"}
