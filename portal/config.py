"""Configuration read from the environment; tests pass their own mapping."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def _normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` and ``postgresql://`` spellings and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'passerelle.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Tile server of the public map; "{s}", "{z}", "{x}", "{y}" as Leaflet expects.
    TILE_URL = os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    TILE_ATTRIBUTION = os.environ.get(
        "TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    )
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    # Fixed "today" (ISO date) for demonstrations and tests; empty means the real date.
    PASSERELLE_TODAY = os.environ.get("PASSERELLE_TODAY", "")
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    # A statement of a public request (pages, API, GeoJSON) running longer than this (ms) is
    # stopped and the request answers 503 with Retry-After; 0: no limit. Not for signed-in pages.
    PUBLIC_QUERY_TIMEOUT_MS = int(os.environ.get("PUBLIC_QUERY_TIMEOUT_MS", "3000"))
    # Each worker searches an in-memory copy of the published offer (portal.search.memory),
    # rebuilt when the offer changes; "0": every search goes to the database (as searches with q do).
    SEARCH_MEMORY_INDEX = os.environ.get("SEARCH_MEMORY_INDEX", "1") != "0"
    # Seconds the cadastre's figures of an area are kept by a worker (0: counted at every request).
    CADASTRE_CACHE_SECONDS = int(os.environ.get("CADASTRE_CACHE_SECONDS", "300"))
    # Sessions exist only for signed-in users (the public gets no cookie).
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # memory:// counts per process: one worker only (gunicorn.conf.py refuses more); with several
    # workers or servers, redis://… (scripts/serve starts a local Redis).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # If Redis stops answering, each worker counts on its own meanwhile (never a 500).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (rate limits count the
    # visitor's address, not the proxy's). 0: the portal faces the network itself.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    RATELIMIT_HEADERS_ENABLED = True
    # E-mail: without MAIL_SERVER, messages are written to the log instead of sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") != "0"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Passerelle <no-reply@passerelle.invalid>")
    # Address of the portal in e-mails sent from the command line (no request to read it from).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    # "production": the settings that may not be guessed (PUBLIC_URL, SECRET_KEY) must be given.
    ENVIRONMENT = os.environ.get("PASSERELLE_ENV", "development")
    # Strict-Transport-Security on every response (browsers keep to HTTPS that long): two years in
    # production, which is served over HTTPS only; 0 (no header) elsewhere.
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "63072000" if ENVIRONMENT == "production" else "0"))
    # How long e-mailed links stay valid.
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
    PASSWORD_RESET_MINUTES = int(os.environ.get("PASSWORD_RESET_MINUTES", "60"))
    # Sign-up requests accepted per bassin in 24 hours (each one e-mails its coordinators).
    SIGNUP_DAILY_LIMIT = int(os.environ.get("SIGNUP_DAILY_LIMIT", "20"))
    # E-mail alerts: each one asked sends a confirmation e-mail, so the form must not serve to mail
    # strangers. Per visitor address (counted in RATELIMIT_STORAGE_URI), per e-mail address in 24
    # hours, and alerts running per e-mail address.
    ALERT_RATE_LIMIT = os.environ.get("ALERT_RATE_LIMIT", "5 per hour;20 per day")
    ALERT_ADDRESS_DAILY_LIMIT = int(os.environ.get("ALERT_ADDRESS_DAILY_LIMIT", "3"))
    ALERT_MAX_PER_ADDRESS = int(os.environ.get("ALERT_MAX_PER_ADDRESS", "10"))
    # Imported files are read by a child process with these limits (a real file needs a few MB and
    # well under a second); past them the file is refused as too complex.
    IMPORT_PARSE_MEMORY_MB = int(os.environ.get("IMPORT_PARSE_MEMORY_MB", "512"))
    IMPORT_PARSE_CPU_SECONDS = int(os.environ.get("IMPORT_PARSE_CPU_SECONDS", "20"))
    IMPORT_PARSE_TIMEOUT_SECONDS = float(os.environ.get("IMPORT_PARSE_TIMEOUT_SECONDS", "25"))
    # Imports per account: 10 rather than 5, since fixing a refused file takes a few tries.
    IMPORT_RATE_LIMIT = os.environ.get("IMPORT_RATE_LIMIT", "10 per hour")
    # Short links to a selection made per visitor address (a social worker makes a few an hour;
    # several share an office's address).
    SHORT_LINK_RATE_LIMIT = os.environ.get("SHORT_LINK_RATE_LIMIT", "60 per hour")
    # Unmet demand (portal.demand): public searches counted as daily aggregates, written by each
    # worker every DEMAND_FLUSH_EVERY searches or DEMAND_FLUSH_SECONDS seconds (and when it stops).
    DEMAND_COUNTING = os.environ.get("DEMAND_COUNTING", "1") == "1"
    DEMAND_FLUSH_EVERY = int(os.environ.get("DEMAND_FLUSH_EVERY", "50"))
    DEMAND_FLUSH_SECONDS = float(os.environ.get("DEMAND_FLUSH_SECONDS", "60"))
    # One import at a time per machine: the web workers share a lock on this file.
    IMPORT_LOCK_FILE = os.environ.get("IMPORT_LOCK_FILE", str(INSTANCE_DIR / "import.lock"))
    # The open data files (portal.opendata): built every night by the job "open_data", served from
    # here. Several servers share one directory, or each builds its own at its first request.
    OPEN_DATA_DIR = os.environ.get("OPEN_DATA_DIR", str(INSTANCE_DIR / "open-data"))
    # Backups of the whole database (the job ``backup``, ``flask backup``/``restore``): where, how many
    # days kept (at most 90), the PostgreSQL client tools of the server's version, their time limit.
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))
    BACKUP_KEEP_DAYS = int(os.environ.get("BACKUP_KEEP_DAYS", "90"))
    PG_DUMP = os.environ.get("PG_DUMP", "pg_dump")
    PG_RESTORE = os.environ.get("PG_RESTORE", "pg_restore")
    BACKUP_TIMEOUT_SECONDS = int(os.environ.get("BACKUP_TIMEOUT_SECONDS", "3600"))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = _normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite://")
    )
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    CADASTRE_CACHE_SECONDS = 0  # each test counts its own offer
    MAIL_SERVER = ""
    DEMAND_COUNTING = False  # tests of the counting turn it on
    PUBLIC_URL = "https://passerelle.test"
    TILE_URL = "/tiles-test/{z}/{x}/{y}.png"
