"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and single-use recovery codes."""

import hashlib
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from smart_qn.accounts.users import User
from smart_qn.dbtypes import UTCDateTime, utcnow
from smart_qn.extensions import db

ISSUER = "Smart Quảng Nam"
RECOVERY_CODE_COUNT = 10
# Codes of the previous and next 30-second step are accepted too: phones' clocks drift.
VALID_WINDOW = 1


class RecoveryCode(db.Model):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _digest(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode()).hexdigest()


def code_is_valid(
    secret: str, code: str, *, after_step: int | None = None, now: datetime | None = None
) -> int | None:
    """The time step `code` belongs to if it is valid for `secret` now and newer than `after_step` (a code
    is accepted once); None otherwise."""
    code = _normalized(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = now or utcnow()
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if (after_step is None or step > after_step) and secrets.compare_digest(
            totp.generate_otp(step), code
        ):
            return step
    return None


def enroll(user: User, secret: str, code: str, now: datetime | None = None) -> list[str] | None:
    """Turn two-factor sign-in on for `user` once they have typed a valid `code` for the new `secret`;
    returns their new recovery codes (shown once), or None when the code is wrong."""
    step = code_is_valid(secret, code, now=now)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    return replace_recovery_codes(user)


def verify_second_factor(user: User, code: str, now: datetime | None = None) -> bool:
    """A TOTP code not used before, or an unused recovery code (then used up)."""
    if user.totp_secret is None:
        return False
    step = code_is_valid(user.totp_secret, code, after_step=user.totp_last_step, now=now)
    if step is not None:
        user.totp_last_step = step
        return True
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = now or utcnow()
    return True


def replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return codes


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
