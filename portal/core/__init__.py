"""Site-wide routes: health check, favicon, vendored front-end libraries."""
from flask import Blueprint

bp = Blueprint("core", __name__)

from portal.core import limits, views  # noqa: E402,F401
