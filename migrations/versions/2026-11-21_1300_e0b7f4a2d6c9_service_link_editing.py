"""Service links edited in the admin: a version for optimistic locking, and when a link was first published

`version` lets a second save made from an outdated form be refused instead of overwriting the first.
`first_published_at` marks links that residents have seen: from then on they are unpublished, never deleted.
Links published before this migration get their last update time.

The columns are added in place (SQLite ≥ 3.35 for the downgrade's DROP COLUMN), without a batch rebuild.

Revision ID: e0b7f4a2d6c9
Revises: c8f5d2e0b3a4
Create Date: 2026-11-21 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e0b7f4a2d6c9"
down_revision = "c8f5d2e0b3a4"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("service_link", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("service_link", sa.Column("first_published_at", sa.DateTime(timezone=True), nullable=True))
    service_link = sa.table(
        "service_link",
        sa.column("published", sa.Boolean()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("first_published_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        service_link.update()
        .where(service_link.c.published.is_(True))
        .values(first_published_at=service_link.c.updated_at)
    )


def downgrade():
    op.drop_column("service_link", "first_published_at")
    op.drop_column("service_link", "version")
