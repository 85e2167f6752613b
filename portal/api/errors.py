"""JSON errors for the API: a bad parameter is a 400 naming it; nothing here is ever a 500 page."""
from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from portal.api import bp
from portal.search.filters import FilterError


def filter_error_response(error: FilterError) -> tuple[Response, int]:
    body: dict = {"code": error.code, "parameter": error.parameter, "message": error.message}
    if error.choices:
        body["choices"] = list(error.choices)
    return jsonify({"error": body}), 400


def api_error(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message}}), status


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> tuple[Response, int]:
    from portal.core.views import error_headers

    status = exc.code or 500
    if status == 404:
        response, status = api_error(404, "not_found", _("Nothing here. Check the address."))
    elif status == 405:
        response, status = api_error(405, "method_not_allowed", _("This address only answers GET."))
    else:
        response, status = api_error(status, "http_error", exc.description or "")
    response.headers.extend(error_headers(exc))
    return response, status


@bp.errorhandler(OperationalError)
@bp.errorhandler(PoolTimeoutError)
def database_unavailable(exc: Exception):
    """Before the catch-all below: the same 503 as every page (portal.core.limits)."""
    from portal.core.limits import database_unavailable

    return database_unavailable(exc)


@bp.errorhandler(Exception)
def unexpected_error(exc: Exception) -> tuple[Response, int]:  # pragma: no cover - logged bug
    from flask import current_app

    current_app.logger.exception("API error")
    return api_error(500, "internal_error", _("Something went wrong on our side. Try again later."))
