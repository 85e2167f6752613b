"""Site-wide routes (health check, favicon, vendored Leaflet) and the error pages, in the visitor's
language."""
from __future__ import annotations

import time

import xstatic.pkg.leaflet as xstatic_leaflet
import xstatic.pkg.leaflet_markercluster as xstatic_markercluster
from flask import abort, current_app, jsonify, render_template, request, send_from_directory
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from portal.core import bp
from portal.core.limits import RETRY_AFTER_UNREACHABLE
from portal.extensions import db
from portal.permissions import public

# Front-end libraries served from their PyPI packages: no CDN, no third-party request.
VENDOR_DIRS = {"leaflet": xstatic_leaflet.BASE_DIR, "markercluster": xstatic_markercluster.BASE_DIR}
VENDOR_MAX_AGE = 7 * 24 * 3600


@bp.get("/healthz")
@public
def healthz():
    """For load balancers (and the benchmark's floor): one trivial query."""
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except (OperationalError, PoolTimeoutError) as exc:
        current_app.logger.warning("/healthz: database unavailable: %s", exc)
        db.session.close()
        return jsonify({"status": "unavailable"}), 503, {"Retry-After": str(RETRY_AFTER_UNREACHABLE)}
    return jsonify({"status": "ok", "database_ms": round((time.perf_counter() - started) * 1000, 2)})


@bp.get("/vendor/<lib>/<path:filename>")
@public
def vendor(lib: str, filename: str):
    if lib not in VENDOR_DIRS or filename.endswith(".map"):
        abort(404)
    return send_from_directory(VENDOR_DIRS[lib], filename, max_age=VENDOR_MAX_AGE)


@bp.get("/favicon.ico")
@public
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=VENDOR_MAX_AGE)


def _error_words(exc: HTTPException) -> tuple[str, str]:
    """The heading and the sentence of an error page, in the visitor's language: never the
    framework's English description."""
    if isinstance(exc, CSRFError):
        return (_("This form has expired"),
                _("For your safety, a form works for a limited time. Go back, reload the page and send it again."))
    words = {
        400: (_("This request is not valid"), _("The address or the form holds something we cannot read. Go back "
                                                "and try again.")),
        403: (_("You may not open this page"), _("This page belongs to another account. Sign in with the right "
                                                 "account, or go back.")),
        404: (_("Page not found"), _("This page does not exist, or the course is no longer shown. "
                                     "Search again to find a course.")),
        405: (_("This action is not possible here"), _("Go back to the search page.")),
        413: (_("This file is too large"), _("Send a smaller file, or split it.")),
        429: (_("Too many tries"), _("Wait a few minutes, then try again.")),
        503: (_("The service is busy"), _("Try again in a few moments.")),
    }
    return words.get(exc.code or 500, (_("Something went wrong"), _("Sorry, this is our fault. Please try again in "
                                                                    "a moment.")))


@bp.app_errorhandler(HTTPException)
def html_error(exc: HTTPException):
    if request.path.startswith("/api/"):
        from portal.api.errors import http_error

        return http_error(exc)
    heading, message = _error_words(exc)
    return (render_template("errors/error.html", heading=heading, message=message), exc.code or 500,
            error_headers(exc))


def error_headers(exc: HTTPException) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its own body's type: ``Allow`` on a 405,
    ``Retry-After`` on a 429 or 503, ``WWW-Authenticate``…"""
    return [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]


@bp.app_errorhandler(500)
def server_error(exc: Exception):
    current_app.logger.exception("Unexpected error")
    if request.path.startswith("/api/"):
        from portal.api.errors import api_error

        return api_error(500, "internal_error", _("Something went wrong on our side. Try again later."))
    return render_template("errors/error.html", heading=_("Something went wrong"),
                           message=_("Sorry, this is our fault. Please try again in a moment.")), 500
