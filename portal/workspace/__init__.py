"""The private workspace: operators keep their offer fresh; coordinators watch their bassin."""
from typing import Any

from flask import Blueprint

from portal.permissions import may

bp = Blueprint("workspace", __name__, url_prefix="/espace")


@bp.context_processor
def workspace_helpers() -> dict[str, Any]:
    """What every workspace page may use: the permission question (to show a link only to those
    allowed)."""
    return {"may": may}


from portal.workspace import views  # noqa: E402,F401
from portal.workspace.admin import views as admin_views  # noqa: E402,F401
from portal.workspace.cadastre import views as cadastre_views  # noqa: E402,F401
from portal.workspace.courses import views as course_views  # noqa: E402,F401
from portal.workspace.signups import views as signup_views  # noqa: E402,F401
from portal.workspace.sites import views as site_views  # noqa: E402,F401
from portal.workspace.team import views as team_views  # noqa: E402,F401
