"""People who sign in to the admin: their global roles and their memberships in organizations.

A membership gives a role for one organization: an `editor` creates and edits that organization's drafts
and submits them for review; an `approver` also publishes, schedules, unpublishes and archives them. An
organization may let its editors publish directly (`Organization.editors_may_publish`). Two roles are
global: `communicator` (push notifications) and `admin` (users, organizations, everything).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.organizations import Organization
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db


class Role(StrEnum):
    EDITOR = "editor"
    APPROVER = "approver"


def normalize_email(email: str) -> str:
    """Addresses are compared without surrounding spaces and without case: "  An@SoYTe.vn" → "an@soyte.vn"."""
    return email.strip().casefold()


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_communicator: Mapped[bool] = mapped_column(default=False)
    # Two-factor authentication (TOTP): the shared secret once enrolled; required for admins and
    # communicators (`needs_second_factor`).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The time step of the last accepted code, so that one code never signs in twice.
    totp_last_step: Mapped[int | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    first_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.organization_id"
    )

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == normalize_email(email)))

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def clear_failed_logins(self) -> None:
        """Forget failed attempts and lift any lock (a successful sign-in, or an admin's unlock)."""
        self.failed_logins = 0
        self.first_failed_login_at = None
        self.locked_until = None

    @property
    def needs_second_factor(self) -> bool:
        """Admins and communicators must sign in with a TOTP code; others may choose to."""
        return self.is_admin or self.is_communicator or self.totp_secret is not None

    def role_in(self, organization_id: int) -> Role | None:
        for membership in self.memberships:
            if membership.organization_id == organization_id:
                return membership.role
        return None

    @property
    def organization_ids(self) -> list[int]:
        return [membership.organization_id for membership in self.memberships]


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "membership_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()
