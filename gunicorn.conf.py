"""gunicorn settings: gunicorn reads ./gunicorn.conf.py by itself when started from this folder,
as scripts/serve does.

- The "Server" header does not name gunicorn: gunicorn 27 has no setting for it, every response
  takes it from this module-level name (HTTP/1 and HTTP/2 alike). Naming the server software only
  helps whoever scans for a vulnerable version.
- A start-up check: several workers with rate limits counted in memory would each count on their
  own (2 workers = twice the sign-in attempts), so that is refused.
- A SIGTERM serves the connections already waiting for a worker before the workers exit:
  portal/core/draining_worker.py.
- The access log (when ``--access-logfile`` asks for one) never holds the visitor's address or the
  query string: portal/core/access_log.py."""
import os

import gunicorn.http.wsgi

from portal.core.access_log import AccessLogWithoutVisitor

gunicorn.http.wsgi.SERVER = "Passerelle"
logger_class = AccessLogWithoutVisitor
worker_class = "portal.core.draining_worker.DrainingSyncWorker"


def on_starting(server):
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        raise SystemExit(
            f"Passerelle: {server.cfg.workers} workers with RATELIMIT_STORAGE_URI={storage} would each count "
            "sign-in attempts on their own. Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a Redis that "
            "every worker and server reaches; ./scripts/serve starts one) or run one worker (WORKERS=1).")
