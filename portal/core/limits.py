"""When the database cannot answer: a public query ran past its time limit, or the server is down
or unreachable. Public requests (pages, API, GeoJSON) get a time limit on each statement
(PUBLIC_QUERY_TIMEOUT_MS); signed-in pages and imports do not. Either way the answer is a 503 with
Retry-After: the API's JSON error, a plain page for people (/healthz answers for itself)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from portal.core import bp
from portal.db import is_disk_full, is_time_limit
from portal.extensions import db, login_manager
from portal.permissions import PUBLIC

# Seconds to wait before trying again: a slow moment passes quickly; a server takes a while to come back.
RETRY_AFTER_TIME_LIMIT = 10
RETRY_AFTER_UNREACHABLE = 30


def public_query_time_limit() -> int | None:
    """The time limit of the statements of this request, in ms (None: none)."""
    return g.get("query_time_limit_ms") if has_request_context() else None


@contextmanager
def without_time_limit() -> Iterator[None]:
    """The statements inside run without the request's time limit: the in-memory index reading
    the whole published offer after a change is the worker's work, bounded by the offer's size,
    not the visitor's query (at 100,000 courses it takes seconds on a busy machine; stopped at
    the limit, every search would fail the same way until the offer changed again)."""
    if not has_request_context():
        yield
        return
    kept = g.pop("query_time_limit_ms", None)
    try:
        yield
    finally:
        if kept is not None:
            g.query_time_limit_ms = kept


@bp.before_app_request
def limit_public_queries() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "access", None) == PUBLIC:
        g.query_time_limit_ms = current_app.config["PUBLIC_QUERY_TIMEOUT_MS"] or None


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(PoolTimeoutError)
def database_unavailable(exc: Exception):
    timed_out = is_time_limit(exc)
    current_app.logger.warning("%s %s: %s", request.method, request.path,
                               "query time limit reached" if timed_out else f"database unavailable: {exc}")
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the session is discarded anyway
        db.session.close()
    if is_disk_full(exc):
        current_app.logger.error("%s %s: the database's disk is full: %s", request.method, request.path, exc)
        retry_after = RETRY_AFTER_UNREACHABLE
        message = _("The server has no room left to save. Nothing was saved: try again later.")
    elif timed_out:
        retry_after = RETRY_AFTER_TIME_LIMIT
        message = _("This search takes too long at the moment. Try again in a few seconds, "
                    "or with fewer words or a smaller area.")
    else:
        retry_after = RETRY_AFTER_UNREACHABLE
        message = _("Passerelle is unavailable for a moment. Please try again in a few minutes.")
    headers = {"Retry-After": str(retry_after)}
    # The page is drawn as for a visitor: loading the signed-in user would ask the database again.
    g._login_user = login_manager.anonymous_user()
    if request.path.startswith("/api/"):
        from portal.api.errors import api_error

        response, status = api_error(503, "unavailable", message)
        response.headers.update(headers)
        return response, status
    return render_template("errors/error.html", heading=_("Please try again in a moment"),
                           message=message), 503, headers


def end_session(_error: BaseException | None = None) -> None:
    """End the request's session even when its connection died under it (the database crashed or
    restarted after the answer was made): ending it rolls back, which then fails, and that must not
    turn an answer already made into a 500. Runs before Flask-SQLAlchemy's own teardown (registered
    earlier), which then has nothing left to end."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        current_app.logger.warning("database session ended on a broken connection: %s", error)
        db.session.registry.clear()  # SQLAlchemy invalidated the connection: the pool drops it


bp.record_once(lambda state: state.app.teardown_appcontext(end_session))
