"""A check at run time that views load what their URL names through the permissions loaders.

While the tests run, every request to a signed-in route whose URL names an object (an id, a ref,
a bassin) is watched. Until a loader of ``portal.permissions.LOADERS`` has been called with that
name, reaching the database for it is a violation: a SELECT of Operator, Course, Site,
SignupRequest, Invitation or User whose bound values hold the name, or a ``Session.get`` of one of
them by that id (even when the session holds it already and no SELECT is sent). Lazy loads of
relationships and refreshes of objects already loaded are not new loads; the session's user
loader (Flask-Login) is not a view. A request that succeeds (below 400, not sent to the sign-in or
second-factor page) without any loader having been called with the name is a violation too.

The ``loader_guard`` fixture (autouse, tests/conftest.py) fails every test whose requests commit
one. tests/test_loader_guard.py shows that it catches views that bypass the loaders.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, request_finished
from sqlalchemy import event
from sqlalchemy.orm import Session

import portal.accounts  # noqa: F401 - their views import the loaders, which install() wraps
import portal.referrals  # noqa: F401
import portal.workspace  # noqa: F401
from portal import permissions
from portal.accounts.models import Invitation, SignupRequest, User
from portal.normalise import fold_name
from portal.offer.models import Course, Operator, Site
from portal.referrals.models import Referral

GUARDED = (Operator, Course, Site, SignupRequest, Invitation, User, Referral)
# The URL parts that name an object of the workspace.
URL_NAMES = ("ref", "request_id", "invitation_id", "user_id", "bassin", "referral_id")
# Where a signed-in route sends those who must sign in or set up their second factor first.
SENT_AWAY = ("/connexion", "/compte/double-authentification")
_KEY = "tests.loader_guard"


@dataclass
class RequestWatch:
    endpoint: str
    names: tuple[Any, ...]  # what the URL names
    inside: int = 0  # loaders running now
    loaded: bool = False  # a loader was called with one of the names
    reported: bool = False  # one violation per request is enough


@dataclass
class LoaderGuard:
    violations: list[str] = field(default_factory=list)
    _installed: bool = False

    def install(self) -> None:
        """Listen to the ORM and the requests (once), and wrap the loaders where they are imported."""
        if not self._installed:
            event.listen(Session, "do_orm_execute", self._on_execute)
            original_get = Session.get

            def get(session: Session, entity: Any, ident: Any, *args: Any, **kwargs: Any) -> Any:
                if entity in GUARDED:
                    self._check(f"Session.get({getattr(entity, '__name__', entity)}, {ident!r})", [ident])
                return original_get(session, entity, ident, *args, **kwargs)

            Session.get = get  # type: ignore[method-assign]
            request_finished.connect(self._on_finished)
            self._installed = True
        _wrap_loaders()

    # -- the request being watched --------------------------------------------------------------
    @staticmethod
    def watch() -> RequestWatch | None:
        if not has_request_context():
            return None
        if _KEY not in request.environ:
            view = current_app.view_functions.get(request.endpoint or "")
            args = request.view_args or {}
            names = tuple(args[name] for name in URL_NAMES if name in args)
            signed_in = getattr(view, "access", None) == permissions.SIGNED_IN
            request.environ[_KEY] = RequestWatch(request.endpoint, names) if signed_in and names else None
        return request.environ[_KEY]

    def _check(self, what: str, values: Iterable[Any]) -> None:
        watch = self.watch()
        if watch is None or watch.inside or watch.loaded or watch.reported:
            return
        if names_one(watch.names, values) and not _in_session_user_loader():
            watch.reported = True
            self.violations.append(f"{request.method} {request.path} ({watch.endpoint}): {what} before any "
                                   "permissions loader")

    def _on_execute(self, state: Any) -> None:
        if not state.is_select or state.is_relationship_load or state.is_column_load:
            return
        if self.watch() is None or not any(mapper.class_ in GUARDED for mapper in state.all_mappers):
            return
        compiled = state.statement.compile(dialect=state.session.get_bind().dialect)
        values = [*compiled.params.values(), *(state.parameters or {}).values()]
        self._check(f"SELECT {', '.join(m.class_.__name__ for m in state.all_mappers)}", values)

    def _on_finished(self, sender: Any, response: Any, **extra: Any) -> None:
        watch = self.watch()
        if watch is None or watch.loaded or watch.reported or response.status_code >= 400:
            return
        if response.location and urlsplit(response.location).path.startswith(SENT_AWAY):
            return
        watch.reported = True
        self.violations.append(f"{request.method} {request.path} ({watch.endpoint}): answered "
                               f"{response.status_code} without calling a permissions loader")


GUARD = LoaderGuard()


def names_one(names: tuple[Any, ...], values: Iterable[Any]) -> bool:
    """Does one of ``values`` (bound values; lists for IN) equal one of the URL's ``names``?"""
    for value in _flat(values):
        for name in names:
            if isinstance(name, int) and type(value) is int and value == name:  # True is no id
                return True
            if isinstance(name, str) and isinstance(value, str) and fold_name(value) == fold_name(name):
                return True
    return False


def _flat(values: Iterable[Any]) -> Iterable[Any]:
    for value in values:
        if isinstance(value, list | tuple | set | frozenset):
            yield from _flat(value)
        else:
            yield value


def _in_session_user_loader() -> bool:
    """Is this load the session's user (Flask-Login's user loader), not the view's?"""
    code = User.from_session_id.__func__.__code__
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


def _watched(loader: Callable) -> Callable:
    @wraps(loader)
    def watched(*args: Any, **kwargs: Any) -> Any:
        watch = GUARD.watch()
        if watch is None:
            return loader(*args, **kwargs)
        watch.inside += 1
        try:
            return loader(*args, **kwargs)
        finally:
            watch.inside -= 1
            watch.loaded = watch.loaded or (bool(args) and names_one(watch.names, [args[0]]))

    watched.watched_loader = loader  # type: ignore[attr-defined]
    return watched


def _wrap_loaders() -> None:
    """Replace each loader by its watched twin in every module of the portal that holds it (views
    call the name they imported)."""
    originals = {id(loader): loader for loader in permissions.LOADERS}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "portal" or name.startswith("portal.")):
            continue
        for attribute, value in list(vars(module).items()):
            if id(value) in originals and callable(value):
                setattr(module, attribute, _watched(value))
