"""Push notifications as composed in the admin (texts, audience, urgency, TTL, schedule, the state machine
with who submitted, tested, approved or cancelled them), and their deliveries: one row per FCM call to make
(a condition or a batch of tokens), with its attempts and results

Revision ID: 4d9f6a1c3e5b
Revises: 3c8e5f0b2d4a
Create Date: 2026-11-21 14:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "4d9f6a1c3e5b"
down_revision = "3c8e5f0b2d4a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "push_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_vi", sa.String(length=120), nullable=False),
        sa.Column("body_vi", sa.Text(), nullable=False),
        sa.Column("title_en", sa.String(length=120), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("audience_unit_ids", sa.JSON(), nullable=False),
        sa.Column("audience_categories", sa.JSON(), nullable=False),
        sa.Column(
            "urgency",
            sa.Enum(
                "normal",
                "important",
                "emergency",
                name="urgency",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("ttl_seconds", sa.Integer(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "pending_approval",
                "approved",
                "scheduled",
                "sending",
                "sent",
                "partly_failed",
                "failed",
                "cancelled",
                name="push_state",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("province_wide", sa.Boolean(), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("estimated_reach", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("tested_content_key", sa.String(length=64), nullable=True),
        sa.Column("tested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sending_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_push_notification_approved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["user_account.id"],
            name=op.f("fk_push_notification_cancelled_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_push_notification_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_push_notification_notice_id_notice"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_push_notification_submitted_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_notification")),
    )
    op.create_table(
        "push_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("push_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "audience",
                "test",
                name="push_delivery_purpose",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.Column("tokens", sa.JSON(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "in_flight",
                "done",
                "failed",
                "skipped",
                name="push_delivery_state",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["push_id"],
            ["push_notification.id"],
            name=op.f("fk_push_delivery_push_id_push_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_delivery")),
    )
    op.create_index("ix_push_delivery_push_state", "push_delivery", ["push_id", "state"])
    op.create_index("ix_push_notification_content_key", "push_notification", ["content_key"])
    op.create_index("ix_push_notification_notice_id", "push_notification", ["notice_id"])
    op.create_index("ix_push_notification_state", "push_notification", ["state"])


def downgrade():
    op.drop_table("push_delivery")
    op.drop_table("push_notification")
