"""Security headers on every response; public pages set no cookies and load nothing from
other hosts except the map tiles."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app, g, request


def tile_origin() -> str:
    parts = urlsplit(current_app.config["TILE_URL"])
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def allow_framing() -> None:
    """This response may be shown in other sites' iframes (the embeddable search)."""
    g.allow_framing = True


# The surfaces of the portal and their security headers (issue 13, item 7), in one table that a
# test checks exactly (tests/test_security_headers.py, the README's table):
# - "page": HTML pages, public and private, and error pages;
# - "embed": the embeddable search, which partner sites frame;
# - "open": what other sites and tools fetch (api.md: CORS-open) — the API, the open data files,
#   the Atom feed and the calendar file;
# - "asset": the site's own styles, scripts and images: a browser ignores their CSP where a page
#   uses them, but one opened by itself (an SVG image, a script's address) runs nothing.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors {ancestors}")
# A JSON, CSV, feed or asset response runs nothing and shows nothing if opened as a page.
DATA_CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=()",
}
# The endpoints of "open" responses besides the API's blueprint.
OPEN_ENDPOINTS = ("opendata.download", "alerts.feed", "selection.calendar")
ASSET_ENDPOINTS = ("static", "core.vendor", "core.favicon", "cadastre.gap_map_script")


def surface() -> str:
    """The surface of this request: "embed", "open", "asset" or "page"."""
    if g.get("allow_framing"):
        return "embed"
    # The API by its path: an address no route matched is still the API's (a JSON 404).
    if request.path.startswith("/api/") or request.endpoint in OPEN_ENDPOINTS:
        return "open"
    if request.endpoint in ASSET_ENDPOINTS:
        return "asset"
    return "page"


def security_headers(where: str, mimetype: str) -> dict[str, str]:
    """The security headers of a response of surface ``where`` with this ``mimetype``."""
    headers = dict(COMMON)
    tiles = tile_origin()
    if mimetype == "text/html":
        headers["Content-Security-Policy"] = PAGE_CSP.format(
            tiles=f" {tiles}" if tiles else "", ancestors="*" if where == "embed" else "'none'")
    else:
        headers["Content-Security-Policy"] = DATA_CSP
    if where != "embed":
        headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Resource-Policy"] = "cross-origin" if where in ("embed", "open") else "same-origin"
    if where == "open":
        headers["Access-Control-Allow-Origin"] = "*"
    seconds = current_app.config.get("HSTS_SECONDS", 0)
    if seconds:
        headers["Strict-Transport-Security"] = f"max-age={seconds}; includeSubDomains"
    return headers


def add_security_headers(response: Response) -> Response:
    for name, value in security_headers(surface(), response.mimetype or "").items():
        response.headers[name] = value
    if is_private_page():
        # Nothing of an account, a workspace page or an export stays in a shared computer's
        # cache or a proxy. Public pages and the API keep their (default) caching.
        response.headers["Cache-Control"] = "no-store"
    return response


# The account pages (sign-in, sign-up, password, account) and the workspace, exports included.
PRIVATE_BLUEPRINTS = ("accounts", "workspace", "bulk")


def is_private_page() -> bool:
    from portal.permissions import SIGNED_IN

    view = current_app.view_functions.get(request.endpoint or "")
    return request.blueprint in PRIVATE_BLUEPRINTS or getattr(view, "access", None) == SIGNED_IN


def refuse_nul_characters():
    """No text of ours holds a NUL character, and PostgreSQL refuses it in any query: a request
    with one in its path, query or form is a 400 (naming the parameter on the API), never a 500."""
    from flask import abort, request

    bad_parameter = next((name for source in (request.args, request.form)
                          for name, value in source.items(multi=True) if "\x00" in name or "\x00" in value), None)
    if "\x00" in request.path and not request.path.startswith("/api/"):  # the API: no such course, a 404
        bad_parameter = bad_parameter or "path"
    if bad_parameter is None:
        return None
    if request.path.startswith("/api/"):
        from flask import jsonify
        from flask_babel import gettext as _

        return jsonify({"error": {"code": "invalid_parameter", "parameter": bad_parameter,
                                  "message": _("This value holds a character that is not allowed.")}}), 400
    abort(400)
