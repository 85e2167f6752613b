"""Making, reading and forgetting short links."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.db import utc_now
from portal.extensions import db
from portal.selection.models import ShortLink

# Lower-case letters and digits without look-alikes (0/o, 1/l/i): 31 signs, 12 of them ≈ 59 bits,
# far beyond guessing, short enough to type from a screen.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 12
LIFETIME = dt.timedelta(days=183)  # six months


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def short_link_for(refs: Sequence[str], language: str, now: dt.datetime | None = None) -> ShortLink:
    """The short link of these refs in this language: the one already made (its six months start
    again) or a new one with a random code."""
    now = now or utc_now()
    joined = ",".join(refs)
    link = db.session.scalar(select(ShortLink).where(
        ShortLink.language == language, ShortLink.refs == joined, ShortLink.expires_at > now))
    if link is not None:
        link.expires_at = now + LIFETIME
        db.session.commit()
        return link
    for _attempt in range(3):
        link = ShortLink(code=new_code(), refs=joined, language=language, created_at=now, expires_at=now + LIFETIME)
        db.session.add(link)
        try:
            db.session.commit()
            return link
        except IntegrityError:  # the same code drawn twice: practically never, but never a 500
            db.session.rollback()
    raise RuntimeError("could not draw a free short-link code")


def find_short_link(code: str) -> ShortLink | None:
    """The link of ``code`` (any case, spaces around ignored), expired or not; None if unknown."""
    code = code.strip().lower()
    if len(code) != CODE_LENGTH or any(sign not in ALPHABET for sign in code):
        return None
    return db.session.scalar(select(ShortLink).where(ShortLink.code == code))


def is_expired(link: ShortLink, now: dt.datetime | None = None) -> bool:
    return link.expires_at <= (now or utc_now())


def purge_short_links(now: dt.datetime, *, dry_run: bool = False) -> str:
    """Delete the short links whose six months are over; one line saying how many."""
    expired = ShortLink.expires_at <= now
    if dry_run:
        count = len(db.session.scalars(select(ShortLink.id).where(expired)).all())
        return f"{count} expired short link(s) would be deleted"
    count = db.session.execute(delete(ShortLink).where(expired)).rowcount
    db.session.commit()
    return f"{count} expired short link(s) deleted"
