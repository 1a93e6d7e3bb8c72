"""What admins do to accounts, each change audited: create users, change their roles and memberships,
deactivate, unlock, reset their second factor, set their password."""

from sqlalchemy import func, select

from smart_qn.accounts import audit, two_factor
from smart_qn.accounts.passwords import hash_password
from smart_qn.accounts.sessions import end_all_sessions
from smart_qn.accounts.users import Membership, Role, User, normalize_email
from smart_qn.extensions import db

USER_FIELDS = ("email", "display_name", "active", "is_admin", "is_communicator")


class AccountError(ValueError):
    """A change that would break a rule (an address taken, the last admin removed)."""


def create_user(
    *, email: str, display_name: str, password: str, by: User | None, is_admin=False, is_communicator=False
) -> User:
    email = normalize_email(email)
    if User.by_email(email) is not None:
        raise AccountError("email")
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        is_admin=is_admin,
        is_communicator=is_communicator,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create",
        actor=by,
        object_type="user",
        object_id=user.id,
        after=audit.snapshot(user, USER_FIELDS),
    )
    return user


def update_user(user: User, *, by: User, **changes) -> None:
    before = audit.snapshot(user, USER_FIELDS)
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
        other = User.by_email(changes["email"])
        if other is not None and other.id != user.id:
            raise AccountError("email")
    removing_admin = user.is_admin and (changes.get("is_admin") is False or changes.get("active") is False)
    if removing_admin and _other_active_admins(user) == 0:
        raise AccountError("last_admin")
    for name, value in changes.items():
        setattr(user, name, value)
    after = audit.snapshot(user, USER_FIELDS)
    if after == before:
        return
    if before["active"] and not after["active"]:
        end_all_sessions(user, "deactivated")
    audit.record("user.update", actor=by, object_type="user", object_id=user.id, before=before, after=after)


def set_membership(user: User, organization_id: int, role: Role | None, *, by: User) -> None:
    """Give `user` `role` in an organization, change it, or (None) take the membership away."""
    membership = next((m for m in user.memberships if m.organization_id == organization_id), None)
    before = {"role": membership.role if membership else None}
    if role is None and membership is not None:
        user.memberships.remove(membership)
    elif role is not None and membership is None:
        user.memberships.append(Membership(organization_id=organization_id, role=role))
    elif role is not None:
        membership.role = role
    if before["role"] == role:
        return
    db.session.flush()
    audit.record(
        "membership.change",
        actor=by,
        object_type="user",
        object_id=user.id,
        organization_id=organization_id,
        before=before,
        after={"role": role},
    )


def reset_second_factor(user: User, *, by: User) -> None:
    two_factor.disable(user)
    end_all_sessions(user, "second_factor_reset")
    audit.record("user.two_factor_reset", actor=by, object_type="user", object_id=user.id)


def set_password(user: User, password: str, *, by: User) -> None:
    user.password_hash = hash_password(password)
    end_all_sessions(user, "password")
    audit.record("user.password_set", actor=by, object_type="user", object_id=user.id)


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(User.is_admin.is_(True), User.active.is_(True), User.id != user.id)
    )
