"""Push outbox: what would have been sent to FCM, when the app runs without Firebase credentials

`push_outbox_message` records each `messages:send` body with its target, and each topic (un)subscription
with its number of tokens (smart_qn.push.outbox).

A new table, created in place.

Revision ID: 3c8e5f0b2d4a
Revises: 2b7d4e9a1c3f
Create Date: 2026-11-21 14:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "3c8e5f0b2d4a"
down_revision = "2b7d4e9a1c3f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "push_outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "send",
                "subscribe",
                "unsubscribe",
                name="push_outbox_kind",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=True),
        sa.Column("message_id", sa.String(length=100), nullable=True),
        sa.Column("token_count", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'send') = (body IS NOT NULL AND message_id IS NOT NULL)",
            name=op.f("ck_push_outbox_message_send_has_body"),
        ),
        sa.CheckConstraint(
            "(kind = 'send') = (token_count IS NULL)",
            name=op.f("ck_push_outbox_message_topic_call_counts_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_outbox_message")),
    )
    op.create_index(
        op.f("ix_push_outbox_message_notification_id"),
        "push_outbox_message",
        ["notification_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_push_outbox_message_recorded_at"), "push_outbox_message", ["recorded_at"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_push_outbox_message_recorded_at"), table_name="push_outbox_message")
    op.drop_index(op.f("ix_push_outbox_message_notification_id"), table_name="push_outbox_message")
    op.drop_table("push_outbox_message")
