"""Security headers on every response; public pages set no cookies and load nothing from
other hosts except the map tiles."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app, g


def tile_origin() -> str:
    parts = urlsplit(current_app.config["TILE_URL"])
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def allow_framing() -> None:
    """This response may be shown in other sites' iframes (the embeddable search)."""
    g.allow_framing = True


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: {tile_origin()}".rstrip() + "; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not g.get("allow_framing"):
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if is_private_page():
        # Nothing of an account, a workspace page or an export stays in a shared computer's
        # cache or a proxy. Public pages and the API keep their (default) caching.
        headers["Cache-Control"] = "no-store"
    return response


# The account pages (sign-in, sign-up, password, account) and the workspace, exports included.
PRIVATE_BLUEPRINTS = ("accounts", "workspace", "bulk")


def is_private_page() -> bool:
    from flask import request

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
