"""New refs that people can read: a base made of words (an operator's ref, a title, a place) and a
number when it is taken."""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select

from portal.extensions import db


def unique_ref(model: type, base: str, taken: Collection[str] = ()) -> str:
    """``base``, or ``base-2``, ``base-3``…: the first that no ``model`` row has (nor ``taken``)."""
    ref, number = base, 2
    while ref in taken or db.session.scalar(select(func.count()).select_from(model).where(model.ref == ref)):
        ref, number = f"{base}-{number}", number + 1
    return ref
