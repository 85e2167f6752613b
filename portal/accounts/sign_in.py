"""Sign-in decisions that the database takes, in one conditional UPDATE each, so that requests
sent at the same instant (or by several workers and servers) cannot both win:

- wrong passwords are counted per e-mail address (so per account, whatever the visitor's
  address), and after FAILURES_BEFORE_DELAY of them sign-in waits, longer each time, at most
  MAX_DELAY_MINUTES: never a permanent lock, and the same answer whether the password is right;
- a second-factor code's time step is accepted once per account;
- wrong codes are counted on the account and lock codes for CODE_LOCK_MINUTES;
- the session generation ends every session of an account on the server.

The same pattern as ``onboarding.approve_signup``: ``UPDATE … WHERE <still allowed>``, then the
row count says who won."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app
from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from portal.accounts.models import SignInCounter, User, normalise_email
from portal.db import as_naive_utc, utc_now
from portal.extensions import db

FAILURES_BEFORE_DELAY = 10
# Failures are forgotten after this long without one (so a failure now and then never adds up).
QUIET_MINUTES = 15
MAX_DELAY_MINUTES = 15  # the delays run 1, 2, 4, 8, then 15 minutes
MAX_CODE_TRIES = 5
CODE_LOCK_MINUTES = 15


def now() -> dt.datetime:
    """The clock of these decisions (tests move it)."""
    return utc_now()


def delay_after(failures: int) -> dt.timedelta | None:
    """How long sign-in waits after ``failures`` wrong passwords in a row (None: not at all)."""
    if failures < FAILURES_BEFORE_DELAY:
        return None
    return dt.timedelta(minutes=min(2 ** (failures - FAILURES_BEFORE_DELAY), MAX_DELAY_MINUTES))


def counter_key(email: str) -> str:
    """The counter's key: a keyed hash of the address (typed addresses are not kept in clear)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"sign-in:" + normalise_email(email).encode(), hashlib.sha256).hexdigest()


def _insert_counter(key: str) -> None:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(SignInCounter).values(key=key, failures=0)
                       .on_conflict_do_nothing(index_elements=["key"]))


def begin_password_attempt(email: str) -> dt.datetime | None:
    """Count a sign-in attempt for ``email`` as a failure until its password proves right
    (``forget_failures``), so that attempts sent together are all counted. Returns None when the
    password may be checked, else until when sign-in waits (then the password is not checked)."""
    moment, key = now(), counter_key(email)
    _insert_counter(key)
    quiet = or_(SignInCounter.last_failure_at.is_(None),
                SignInCounter.last_failure_at < moment - dt.timedelta(minutes=QUIET_MINUTES))
    failures = case((quiet, 1), else_=SignInCounter.failures + 1)
    steps = range(FAILURES_BEFORE_DELAY, FAILURES_BEFORE_DELAY + 5)
    blocked_until = case((failures < FAILURES_BEFORE_DELAY, SignInCounter.blocked_until),
                         *[(failures == count, moment + delay_after(count)) for count in steps],
                         else_=moment + dt.timedelta(minutes=MAX_DELAY_MINUTES))
    counted = db.session.execute(
        update(SignInCounter).where(SignInCounter.key == key, or_(SignInCounter.blocked_until.is_(None),
                                                                  SignInCounter.blocked_until <= moment))
        .values(failures=failures, last_failure_at=moment, blocked_until=blocked_until)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if counted.rowcount == 1:
        return None
    return db.session.scalar(select(SignInCounter.blocked_until).where(SignInCounter.key == key))


def waiting_until(email: str) -> dt.datetime | None:
    """Until when sign-in with ``email`` waits (None: it does not)."""
    until = db.session.scalar(select(SignInCounter.blocked_until).where(SignInCounter.key == counter_key(email)))
    return until if until is not None and until > now() else None


def forget_failures(email: str) -> None:
    """The right password: its attempt, and the failures before it, no longer count."""
    db.session.execute(update(SignInCounter).where(SignInCounter.key == counter_key(email))
                       .values(failures=0, last_failure_at=None, blocked_until=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def purge_counters(moment: dt.datetime | None = None) -> str:
    """Delete counters with nothing to remember any more (no failure for a day); a one-line
    summary for the job log."""
    from sqlalchemy import delete

    moment = as_naive_utc(moment or now())
    result = db.session.execute(delete(SignInCounter).where(or_(
        SignInCounter.last_failure_at.is_(None), SignInCounter.last_failure_at < moment - dt.timedelta(days=1))))
    db.session.commit()
    return f"sign-in counters purge: {result.rowcount} deleted"


# -- the second factor -------------------------------------------------------------------------
def _codes_open(moment: dt.datetime):
    return or_(User.totp_locked_until.is_(None), User.totp_locked_until <= moment)


def codes_locked(user: User) -> bool:
    """Does the account refuse codes for now (too many wrong ones)?"""
    until = db.session.scalar(select(User.totp_locked_until).where(User.id == user.id))
    return until is not None and until > now()


def claim_code_step(user: User, step: int) -> bool:
    """Record ``step`` as the account's last accepted time step, if no request took it (or a
    later one) first and codes are not locked: True for exactly one of the requests that bring
    the same code."""
    claimed = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step),
                           _codes_open(now()))
        .values(totp_last_step=step, totp_failures=0).execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def count_wrong_code(user: User) -> bool:
    """Count a wrong code on the account (in SQL: no update lost); the MAX_CODE_TRIES-th locks
    codes in the same statement. True when codes are locked now."""
    moment = now()
    failures = User.totp_failures + 1
    locks = failures >= MAX_CODE_TRIES
    db.session.execute(
        update(User).where(User.id == user.id, _codes_open(moment))
        .values(totp_failures=case((locks, 0), else_=failures),
                totp_locked_until=case((locks, moment + dt.timedelta(minutes=CODE_LOCK_MINUTES)),
                                       else_=User.totp_locked_until))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return codes_locked(user)


# -- sessions ----------------------------------------------------------------------------------
def end_sessions(user: User) -> None:
    """End every session of ``user`` (signed out, disabled, password or second factor changed):
    their ids carry the old generation, which the session loader refuses."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_generation=User.session_generation + 1)
                       .execution_options(synchronize_session=False))
    db.session.commit()  # expires ``user``: its next get_id() reads the new generation
