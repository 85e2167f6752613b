"""The public offer as open data (issue 12, item 6): the visible courses with their operators'
public contact and their places, as CSV, as a ``passerelle-offer/1`` document and as GeoJSON, under
CC BY 4.0; built once a day (the job ``open_data``), served as files, described at
``/donnees-ouvertes``. Never an account's sign-in address: the files hold only what the public
pages show."""
from flask import Blueprint

bp = Blueprint("opendata", __name__)

from portal.opendata import views  # noqa: E402,F401
