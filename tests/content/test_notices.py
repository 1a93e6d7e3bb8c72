from datetime import timedelta

import pytest
from sqlalchemy.orm.exc import StaleDataError

from smart_qn.content.notices import Notice, NoticeState, live_notices
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db


def test_saving_renders_the_body_and_the_folded_search_words(make):
    notice = make.notice(title_vi="Cảnh báo lũ trên sông Thu Bồn", body_vi="Đề nghị **di dời** ngay.")

    assert notice.body_html_vi == "<p>Đề nghị <strong>di dời</strong> ngay.</p>\n"
    assert "Canh Bao Lu Tren Song Thu Bon" in notice.search_folded
    assert notice.body_html_en is None


def test_a_stale_version_is_refused_not_overwritten(make):
    notice = make.notice()
    db.session.commit()
    stale_version = notice.version
    db.session.execute(
        Notice.__table__.update().where(Notice.id == notice.id).values(version=stale_version + 1)
    )

    notice.title_vi = "Sửa đè lên bản của người khác"
    with pytest.raises(StaleDataError):
        db.session.flush()


def test_each_save_increments_the_version(make):
    notice = make.notice()
    first = notice.version

    notice.summary_vi = "Tóm tắt mới."
    db.session.flush()

    assert notice.version == first + 1


def test_live_means_published_started_and_not_expired(make):
    now = utcnow()
    live = make.notice(publish_at=now - timedelta(minutes=1), expire_at=now + timedelta(minutes=1))
    hidden = [
        make.notice(state=NoticeState.DRAFT),
        make.notice(publish_at=now + timedelta(minutes=1)),
        make.notice(publish_at=now - timedelta(days=1), expire_at=now),
    ]

    live_ids = set(db.session.scalars(live_notices(now).with_only_columns(Notice.id)))

    assert live.id in live_ids
    assert not live_ids & {notice.id for notice in hidden}
