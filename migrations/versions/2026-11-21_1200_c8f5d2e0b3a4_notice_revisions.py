"""Notice revisions and the editorial lifecycle: a content snapshot per save, pending edits of published
notices, and when a notice was first published

`notice_revision` keeps every saved content of a notice as JSON. A published notice's edit waits as a
revision named by `notice.pending_revision_number` (a per-notice number, not a foreign key: revisions go
only with their notice, and SQLite cannot drop a column that is part of a foreign key, which a downgrade
would need); `pending_in_review` says whether it was submitted. `first_published_at` marks notices that
are part of the record and may no longer be deleted.

The columns are added to `notice` in place (SQLite ≥ 3.35 for the downgrade's DROP COLUMN): rebuilding it
in batch mode would drop its FTS5 search triggers (see 9c3e5f1a2b7d).

Existing notices get their content as revision 1 ("initial"), so that every notice has a history to
compare an edit with; those that were ever published get a first_published_at (their publish time).

Revision ID: c8f5d2e0b3a4
Revises: b7e4c1d9a2f3
Create Date: 2026-11-21 12:00:00

"""

from collections import defaultdict
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "c8f5d2e0b3a4"
down_revision = "b7e4c1d9a2f3"
branch_labels = None
depends_on = None

CONTENT_COLUMNS = (
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "body_vi",
    "body_en",
    "category_id",
    "urgency",
    "pinned",
    "publish_at",
    "expire_at",
)


def upgrade():
    revisions = op.create_table(
        "notice_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("based_on_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "initial",
                "create",
                "save",
                "restore",
                name="revision_reason",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_notice_revision_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_revision_notice_id_notice"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_revision")),
        sa.UniqueConstraint("notice_id", "number", name=op.f("uq_notice_revision_notice_id_number")),
    )
    op.add_column("notice", sa.Column("pending_revision_number", sa.Integer(), nullable=True))
    op.add_column(
        "notice", sa.Column("pending_in_review", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("notice", sa.Column("first_published_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE notice SET first_published_at = COALESCE(publish_at, created_at) "
        "WHERE state IN ('published', 'unpublished', 'archived')"
    )
    _backfill_initial_revisions(revisions)


def _backfill_initial_revisions(revisions: sa.Table) -> None:
    """Revision 1 of every notice: its content as the application stores it (smart_qn.content.revisions)."""
    connection = op.get_bind()
    notice = sa.table(
        "notice",
        sa.column("id", sa.Integer()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        *(sa.column(name) for name in CONTENT_COLUMNS if name not in ("publish_at", "expire_at")),
        sa.column("publish_at", sa.DateTime(timezone=True)),
        sa.column("expire_at", sa.DateTime(timezone=True)),
    )
    audience = sa.table("notice_audience", sa.column("notice_id"), sa.column("admin_unit_id"))
    unit_ids = defaultdict(list)
    for notice_id, unit_id in connection.execute(sa.select(audience.c.notice_id, audience.c.admin_unit_id)):
        unit_ids[notice_id].append(unit_id)
    rows = [
        {
            "notice_id": row.id,
            "number": 1,
            "based_on_version": 0,
            "created_at": row.updated_at,
            "created_by_id": None,
            "reason": "initial",
            "content": {
                **{name: getattr(row, name) for name in CONTENT_COLUMNS},
                "pinned": bool(row.pinned),
                "publish_at": _iso_utc(row.publish_at),
                "expire_at": _iso_utc(row.expire_at),
                "audience_unit_ids": sorted(unit_ids[row.id]),
            },
        }
        for row in connection.execute(sa.select(notice).order_by(notice.c.id))
    ]
    if rows:
        op.bulk_insert(revisions, rows)


def _iso_utc(value):
    """SQLite gives stored UTC times back without their zone, PostgreSQL in the session's zone."""
    if value is None:
        return None
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


def downgrade():
    # In place (SQLite ≥ 3.35): batch mode would rebuild `notice` and drop its search triggers.
    op.drop_column("notice", "first_published_at")
    op.drop_column("notice", "pending_in_review")
    op.drop_column("notice", "pending_revision_number")
    op.drop_table("notice_revision")
