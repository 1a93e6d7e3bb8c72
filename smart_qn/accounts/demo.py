"""Example accounts for the demo, one per kind of user, with passwords made afresh at every start and
printed. Never made in production (the command refuses)."""

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.passwords import hash_password
from smart_qn.accounts.sessions import end_all_sessions
from smart_qn.accounts.users import Membership, Role, User
from smart_qn.extensions import db


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    description: str
    is_admin: bool = False
    is_communicator: bool = False
    memberships: tuple[tuple[str, Role], ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount(
        "admin@demo.smartqn.vn", "Quản trị viên", "admin (two-factor set up at first sign-in)", is_admin=True
    ),
    DemoAccount(
        "bientap.syt@demo.smartqn.vn",
        "Biên tập viên Sở Y tế",
        "editor, Sở Y tế",
        memberships=(("SYT", Role.EDITOR),),
    ),
    DemoAccount(
        "pheduyet.syt@demo.smartqn.vn",
        "Lãnh đạo Sở Y tế",
        "approver, Sở Y tế",
        memberships=(("SYT", Role.APPROVER),),
    ),
    DemoAccount(
        "bientap.thangbinh@demo.smartqn.vn",
        "Biên tập viên UBND huyện Thăng Bình",
        "editor, UBND huyện Thăng Bình",
        memberships=(("UBND-513", Role.EDITOR),),
    ),
    DemoAccount(
        "truyenthong@demo.smartqn.vn",
        "Cán bộ truyền thông",
        "communicator (two-factor set up at first sign-in)",
        is_communicator=True,
    ),
)


def new_demo_password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def refresh_demo_accounts() -> list[tuple[DemoAccount, str]]:
    """Make the demo accounts that are missing and give every one a new password; returns the accounts
    with their passwords, to print."""
    organizations = {
        organization.code: organization
        for organization in db.session.scalars(
            select(Organization).where(
                Organization.code.in_(
                    [code for account in DEMO_ACCOUNTS for code, _role in account.memberships]
                )
            )
        )
    }
    issued = []
    for account in DEMO_ACCOUNTS:
        password = new_demo_password()
        user = User.by_email(account.email)
        if user is None:
            user = User(
                email=account.email,
                display_name=account.display_name,
                password_hash="",
                is_admin=account.is_admin,
                is_communicator=account.is_communicator,
                memberships=[
                    Membership(organization=organizations[code], role=role)
                    for code, role in account.memberships
                    if code in organizations
                ],
            )
            db.session.add(user)
        else:
            end_all_sessions(user, "password")
        user.password_hash = hash_password(password)
        user.clear_failed_logins()
        issued.append((account, password))
    return issued
