"""Absolute links to the portal, always at ``PUBLIC_URL``.

A request's Host header is whatever the client sends: built from it, the links that others copy and
follow (JSON-LD, the API's ``url``, the embed and print footers, OpenAPI's server) could point to
any site. ``url_for(..., _external=True)`` reads it; ``public_url_for`` never does."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app

# Where ./scripts/serve listens by default: the address of a development copy without PUBLIC_URL.
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"


class MissingSetting(RuntimeError):
    """A production configuration lacks a setting that cannot be guessed."""


def check_public_url(app: Flask) -> None:
    """Refuse to start with a PUBLIC_URL that is not an absolute http(s) address, or without one
    in production (every absolute link is built from it); a development copy defaults to
    DEVELOPMENT_PUBLIC_URL."""
    if not app.config.get("PUBLIC_URL"):
        if app.config.get("ENVIRONMENT") == "production":
            raise MissingSetting("PASSERELLE_ENV=production needs PUBLIC_URL, the portal's public address "
                                 "(like https://passerelle.example.org): every link of pages, the API and e-mails "
                                 "is built from it")
        app.config["PUBLIC_URL"] = DEVELOPMENT_PUBLIC_URL
    parts = urlsplit(app.config["PUBLIC_URL"])
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"PUBLIC_URL must be an absolute http(s) address, like https://passerelle.example.org "
                         f"(got {app.config['PUBLIC_URL']!r})")


def public_url_for(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` at PUBLIC_URL (its scheme, host and path prefix). It never
    carries the visitor's selection of courses (absolute links are copied and shared)."""
    values.setdefault("sel", None)
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
