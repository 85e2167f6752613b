"""The private workspace: operators keep their offer fresh; coordinators watch their bassin."""
from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/espace")

from portal.workspace import account_views, bulk_views, site_views, team_views, views  # noqa: E402,F401
