"""Many courses at once: an operator's courses as CSV, XLSX or JSON, a bassin's cadastre as JSON;
imported all or nothing through the exchange format, read in a limited child process."""
from flask import Blueprint

bp = Blueprint("bulk", __name__, url_prefix="/espace")

from portal.bulk import views  # noqa: E402,F401
