"""Passerelle: find an Alpha, FLE or RAN course in Wallonia."""
from __future__ import annotations

import secrets
from typing import Any

from flask import Flask

from portal.config import BASE_DIR, INSTANCE_DIR, Config


def create_app(config: type | dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration, then only ``register_*`` calls."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.json.sort_keys = False  # keep the field order of the specs
    register_secret_key(app)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_security(app)
    register_templating(app)
    return app


def register_secret_key(app: Flask) -> None:
    """Without SECRET_KEY in the environment, keep a random one in ``instance/secret_key``."""
    from portal.db import create_private_file, protect_instance_dir

    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("ENVIRONMENT") == "production":
        from portal.urls import MissingSetting

        # Several servers must sign with the same key, and a key kept in instance/ is lost with it.
        raise MissingSetting("PASSERELLE_ENV=production needs SECRET_KEY (a long random value, the same on "
                             "every server)")
    protect_instance_dir(INSTANCE_DIR)
    key_file = INSTANCE_DIR / "secret_key"
    if create_private_file(key_file):
        key_file.write_text(secrets.token_hex(32))
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def register_extensions(app: Flask) -> None:
    import flask_babel

    from portal.core.limits import public_query_time_limit
    from portal.db import limit_statement_time, protect_sqlite_file, use_index_hints
    from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
    from portal.i18n import register_languages, select_locale
    from portal.translations import compile_if_needed

    protect_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], INSTANCE_DIR)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Searches are short queries: on a small server, starting parallel workers costs more
        # than it saves and keeps the planner from the covering indexes.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        # psycopg prepares a statement run 5 times on a connection, and PostgreSQL may then switch
        # it to a generic plan, blind to the values: in one process, a second 100k import took
        # 291 s on such plans instead of 49 s (README). Each run is planned for its values.
        # A server that does not answer is an error after 5 s, not a worker waiting for ever.
        options["connect_args"] = {"options": "-c max_parallel_workers_per_gather=0 "
                                              "-c plan_cache_mode=force_custom_plan", "connect_timeout": 5,
                                   **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        use_index_hints(db.engine)
        limit_statement_time(db.engine, public_query_time_limit)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    compile_if_needed()
    babel.init_app(app, locale_selector=select_locale)
    register_languages(app)
    # The locale is chosen per request (Flask-Babel caches it on the app context).
    app.before_request(flask_babel.refresh)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    limiter.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = flask_babel.lazy_gettext("Please sign in to see this page.")
    login_manager.session_protection = "strong"

    # Models must be imported for migrations and create_all to see them.
    from portal.accounts.models import User
    from portal.alerts import models as alert_models  # noqa: F401
    from portal.demand import models as demand_models  # noqa: F401
    from portal.jobs import models as job_models  # noqa: F401
    from portal.mail import models as mail_models  # noqa: F401
    from portal.offer import history, models  # noqa: F401
    from portal.referrals import models as referral_models  # noqa: F401
    from portal.reminders import models as reminder_models  # noqa: F401
    from portal.selection import models as selection_models  # noqa: F401

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return User.from_session_id(session_id)


def register_blueprints(app: Flask) -> None:
    from portal.accounts import bp as accounts_bp
    from portal.alerts import bp as alerts_bp
    from portal.api import bp as api_bp
    from portal.bulk import bp as bulk_bp
    from portal.cadastre import views as cadastre_views
    from portal.core import bp as core_bp
    from portal.demand.recorder import register_demand
    from portal.extensions import csrf
    from portal.guide import views as guide_views
    from portal.opendata import bp as opendata_bp
    from portal.referrals import bp as referrals_bp
    from portal.search import views as search_views
    from portal.selection import bp as selection_bp
    from portal.selection.refs import register_selection
    from portal.workspace import bp as workspace_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # read-only, GET only, no session
    app.register_blueprint(search_views.bp)
    app.register_blueprint(guide_views.bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(bulk_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(selection_bp)
    # After core's: the selection is resolved once the public time limit is set.
    register_selection(app)
    register_demand(app)
    app.register_blueprint(alerts_bp)
    app.register_blueprint(opendata_bp)
    csrf.exempt(alerts_bp)  # no session on public pages; a mail program's one-click stop has no token
    app.register_blueprint(cadastre_views.bp)


def register_cli(app: Flask) -> None:
    from portal.alerts.cli import alerts_cli
    from portal.backup.cli import backup_command, restore_command
    from portal.cli import demo_cli, jobs_cli, offer_cli, translate_cli, users_cli
    from portal.mail.cli import mail_cli
    from portal.opendata.cli import opendata_cli
    from portal.referrals.cli import referrals_cli, services_cli

    app.cli.add_command(mail_cli)
    app.cli.add_command(opendata_cli)
    app.cli.add_command(referrals_cli)
    app.cli.add_command(services_cli)
    app.cli.add_command(alerts_cli)
    app.cli.add_command(offer_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def register_templating(app: Flask) -> None:
    from portal.templating import register_templating as register

    register(app)


def register_security(app: Flask) -> None:
    from portal.security import add_security_headers, refuse_nul_characters
    from portal.urls import check_public_url

    check_public_url(app)
    app.after_request(add_security_headers)
    app.before_request(refuse_nul_characters)
