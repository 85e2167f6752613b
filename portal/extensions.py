"""Flask extensions, created unbound and initialised in ``create_app``."""
from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# No default limit: only the account pages are limited (see accounts.views, workspace.team_views).
limiter = Limiter(key_func=get_remote_address, default_limits=[])  # storage: RATELIMIT_STORAGE_URI


@limiter.request_filter
def _limits_off_in_this_app() -> bool:
    """The limiter is one object for every application of the process, and the last
    ``init_app`` decides its ``enabled``: each application's own RATELIMIT_ENABLED decides here,
    so that an application made with the limits off (the tests' shared one) stays so."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)
