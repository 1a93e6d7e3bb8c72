"""Push devices and their FCM topic subscriptions

`push_device` is an app installation registered for push (an FCM token, its platform, language, chosen
administrative unit and categories; no personal data). `push_device_topic` is the subscription state of one
token to one FCM topic: the database is the source of truth, and background jobs bring FCM in line with it.
A row keeps its token so that a deleted device, or a device's previous token, can still be unsubscribed
(`device_id` is then NULL).

Both tables are new and created in place.

Revision ID: 2b7d4e9a1c3f
Revises: f1c8a5b3e7d0
Create Date: 2026-11-21 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "2b7d4e9a1c3f"
down_revision = "f1c8a5b3e7d0"
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=30)


def upgrade():
    op.create_table(
        "push_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=512), nullable=False),
        sa.Column("platform", _enum("push_device_platform", "android", "ios", "web"), nullable=False),
        sa.Column("language", _enum("push_device_language", "vi", "en"), nullable=False),
        sa.Column("admin_unit_id", sa.Integer(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("tester_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["admin_unit_id"], ["admin_unit.id"], name=op.f("fk_push_device_admin_unit_id_admin_unit")
        ),
        sa.ForeignKeyConstraint(
            ["tester_id"],
            ["user_account.id"],
            name=op.f("fk_push_device_tester_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_device")),
        sa.UniqueConstraint("token", name=op.f("uq_push_device_token")),
    )
    op.create_index(op.f("ix_push_device_admin_unit_id"), "push_device", ["admin_unit_id"], unique=False)
    op.create_index(op.f("ix_push_device_tester_id"), "push_device", ["tester_id"], unique=False)
    op.create_table(
        "push_device_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=512), nullable=False),
        sa.Column("topic", sa.String(length=900), nullable=False),
        sa.Column(
            "state",
            _enum("push_topic_state", "subscribe_pending", "subscribed", "unsubscribe_pending"),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["push_device.id"],
            name=op.f("fk_push_device_topic_device_id_push_device"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_device_topic")),
        sa.UniqueConstraint("token", "topic", name=op.f("uq_push_device_topic_token_topic")),
    )
    op.create_index(op.f("ix_push_device_topic_device_id"), "push_device_topic", ["device_id"], unique=False)
    op.create_index(
        op.f("ix_push_device_topic_state_topic"), "push_device_topic", ["state", "topic"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_push_device_topic_state_topic"), table_name="push_device_topic")
    op.drop_index(op.f("ix_push_device_topic_device_id"), table_name="push_device_topic")
    op.drop_table("push_device_topic")
    op.drop_index(op.f("ix_push_device_tester_id"), table_name="push_device")
    op.drop_index(op.f("ix_push_device_admin_unit_id"), table_name="push_device")
    op.drop_table("push_device")
