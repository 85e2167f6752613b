"""What admins do to accounts, from the admin page (``/espace/comptes``) or the command line
(``flask users …``): disable, enable, reset a lost second factor. Each is recorded (who did what to
whom, when, how) and ends the sessions of the account it touches."""
from __future__ import annotations

import getpass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import AccountEvent, User, normalise_email
from portal.db import utc_now
from portal.extensions import db

ACTIONS = ("disabled", "enabled", "second_factor_reset", "access_removed")
SOURCES = ("web", "cli")  # the admins' page of the workspace, or the command line


class AdminRefusal(ValueError):
    """Not done, and why: ``self`` (an admin disabling their own account) or ``last_admin``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def command_line_actor() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):  # no name for this system user
        return "command line"


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _record(action: str, target: User, actor: User | None, source: str) -> None:
    db.session.add(AccountEvent(action=action, source=source, at=utc_now(), actor=actor,
                                actor_name=actor.email if actor is not None else command_line_actor(),
                                target=target, target_email=target.email))


def _end_sessions(user: User) -> None:
    user.session_generation = User.session_generation + 1


def disable_user(user: User, actor: User | None, source: str, action: str = "disabled") -> bool:
    """Disable ``user`` (their sessions end at once; their changes stay in the history). False
    when it already was. Refuses an admin's own account and the last active admin."""
    if actor is not None and actor.id == user.id:
        raise AdminRefusal("self")
    if user.role == "admin":
        # Locked (on PostgreSQL) so that two admins disabling each other at once keep one.
        admins = db.session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))
                                    .with_for_update()).all()
        if user.active and set(admins) <= {user.id}:
            db.session.rollback()
            raise AdminRefusal("last_admin")
    if not user.active:
        db.session.rollback()
        return False
    user.active = False
    _end_sessions(user)
    _record(action, user, actor, source)
    db.session.commit()
    return True


def enable_user(user: User, actor: User | None, source: str) -> bool:
    """Let ``user`` sign in again (with the password and second factor they had). False when
    the account already was active."""
    if user.active:
        return False
    user.active = True
    _record("enabled", user, actor, source)
    db.session.commit()
    return True


def reset_second_factor(user: User, actor: User | None, source: str) -> None:
    """Forget a lost second factor: the user sets up a new one at their next sign-in (whatever
    their role); their sessions end."""
    user.totp_secret = user.totp_last_step = user.pending_totp_secret = user.totp_locked_until = None
    user.totp_failures, user.totp_setup_required = 0, True
    _end_sessions(user)
    _record("second_factor_reset", user, actor, source)
    db.session.commit()


def all_accounts(managed: ColumnElement[bool] | None = None) -> list[User]:
    """Every account (of a scope: ``permissions.accounts_managed_by``), admins first, then
    coordinators, operator users and social workers, by e-mail."""
    order = {"admin": 0, "coordinator": 1, "operator": 2, "social_worker": 3}
    query = select(User).options(selectinload(User.operator), selectinload(User.service)).order_by(User.email)
    users = db.session.scalars(query if managed is None else query.where(managed)).all()
    return sorted(users, key=lambda user: order.get(user.role, 4))


def recent_events(limit: int = 50) -> list[AccountEvent]:
    """The latest account events, newest first."""
    return list(db.session.scalars(select(AccountEvent).order_by(AccountEvent.at.desc(), AccountEvent.id.desc())
                                   .limit(limit)))

