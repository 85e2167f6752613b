"""The selection lives in the URL: ``sel=ref-a,ref-b`` (no account, no cookie).

Every link of the public pages keeps it, as it keeps the language (``keep_selection`` is a
``url_defaults`` beside ``portal.i18n.keep_language``). It is bounded: at most ``MAX_COURSES``
well-formed refs, each once; a page that shows the selection first resolves it against the
visible courses (one query), and from then on its links carry only the refs of courses that
exist and are public, in the selection's order."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.normalise import ref_key
from portal.offer import rules
from portal.offer.checker import REF_PATTERN
from portal.offer.models import Course
from portal.offer.sql_rules import visible_condition

PARAMETER = "sel"
MAX_COURSES = 12
# A longer list is cut before it is even read: a bound on the work a visitor's URL can ask.
_MAX_ITEMS_READ = MAX_COURSES * 4
# The pages whose links keep the selection (and only their links to each other): not the API,
# the files, the workspace, nor the embedded search (other sites' iframes have no selection).
KEEPING_BLUEPRINTS = frozenset({"search", "selection", "guide"})
NOT_KEEPING = frozenset({"search.embed"})


@dataclass(frozen=True)
class Selection:
    refs: tuple[str, ...]
    # The visible courses of ``refs``, in the same order (empty until the selection is resolved).
    courses: tuple[Course, ...] = ()

    def __contains__(self, ref: object) -> bool:
        return ref in self.refs

    def __len__(self) -> int:
        return len(self.refs)

    @property
    def full(self) -> bool:
        return len(self.refs) >= MAX_COURSES

    def with_added(self, ref: str) -> tuple[str, ...]:
        return self.refs if ref in self.refs or self.full else (*self.refs, ref)

    def without(self, ref: str) -> tuple[str, ...]:
        return tuple(each for each in self.refs if each != ref)

    def moved(self, ref: str, step: int) -> tuple[str, ...]:
        """The refs with ``ref`` moved ``step`` places (-1: up, 1: down), kept inside the list."""
        refs = list(self.refs)
        if ref not in refs:
            return self.refs
        index = refs.index(ref)
        target = min(max(index + step, 0), len(refs) - 1)
        refs.insert(target, refs.pop(index))
        return tuple(refs)


def parse_refs(values: Sequence[str]) -> tuple[str, ...]:
    """The refs of ``sel`` (one or more values, comma-separated) in order: trimmed, in lower case,
    well formed, each once, at most MAX_COURSES; anything else is dropped."""
    refs: list[str] = []
    items = [item for value in values for item in value.split(",")][:_MAX_ITEMS_READ]
    for item in items:
        ref = ref_key(item)
        if REF_PATTERN.match(ref) and ref not in refs:
            refs.append(ref)
            if len(refs) == MAX_COURSES:
                break
    return tuple(refs)


def resolve(refs: Sequence[str], today: dt.date) -> Selection:
    """The selection of the visible courses among ``refs``, in their order (one query)."""
    if not refs:
        return Selection(())
    found = db.session.scalars(
        select(Course).join(Course.site).where(Course.ref.in_(refs), visible_condition(today))
        .options(selectinload(Course.site), selectinload(Course.operator), selectinload(Course.entries))
    ).all()
    by_ref = {course.ref: course for course in found}
    courses = tuple(by_ref[ref] for ref in refs if ref in by_ref)
    return Selection(tuple(course.ref for course in courses), courses)


def requested_refs() -> tuple[str, ...]:
    return parse_refs(request.args.getlist(PARAMETER))


def _keeps_selection(endpoint: str | None) -> bool:
    return (endpoint is not None and endpoint not in NOT_KEEPING
            and endpoint.partition(".")[0] in KEEPING_BLUEPRINTS)


def resolve_selection() -> None:
    """Before a public page with a selection: resolve it once, so that every link and the page
    itself see the same visible courses. (A page whose database does not answer keeps the refs as
    written: its error page still links back with them.)"""
    if PARAMETER in request.args and _keeps_selection(request.endpoint):
        g.selection = resolve(requested_refs(), rules.today())


def current_selection() -> Selection:
    """This request's selection: resolved when the page is one that keeps it, else as written."""
    if not has_request_context():
        return Selection(())
    selection = g.get("selection")
    return selection if selection is not None else Selection(requested_refs())


def keep_selection(endpoint: str, values: dict[str, Any]) -> None:
    """``url_for`` keeps the selection in every link between public pages (see the module)."""
    if PARAMETER in values or not has_request_context():
        return
    if not (_keeps_selection(request.endpoint) and _keeps_selection(endpoint)):
        return
    refs = current_selection().refs
    if refs:
        values[PARAMETER] = ",".join(refs)


def this_page_with(refs: Sequence[str], anchor: str = "") -> str:
    """The current page with its selection replaced by ``refs`` (its other parameters kept)."""
    args = {key: values for key, values in request.args.lists() if key != PARAMETER}
    url = url_for(request.endpoint or "search.index", **{**(request.view_args or {}), **args,
                                                         PARAMETER: ",".join(refs) or None})
    return url + (f"#{anchor}" if anchor else "")


def register_selection(app: Flask) -> None:
    app.url_defaults(keep_selection)
    app.before_request(resolve_selection)
