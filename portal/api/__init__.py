"""The public JSON API v1 (api.md)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import errors, gaps, views  # noqa: E402,F401  (routes register on import)
