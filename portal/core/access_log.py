"""gunicorn's access log, without what would follow a visitor: one short line per request with
the time, method, path, status, bytes sent and duration, never the client's address, the query
string (a search's position or postal code, the guided route's answers), the referrer or the
browser. gunicorn.conf.py sets it as ``logger_class``; ``--access-logfile`` still decides where
the lines go (``-``: standard output) and whether there are any.

It is also cheaper: gunicorn's own line gathers every request and response header into a dict
before formatting: 0.6 ms a request, a fifth of an API search's time over HTTP at 1,000 courses."""
from __future__ import annotations

import time

from gunicorn.glogging import Logger


def access_line(method: str, path: str, status: str, sent: int | None, seconds: float) -> str:
    """``2026-12-01T10:57:23Z GET /api/v1/courses 200 10792 1.2ms``."""
    code = status.split(None, 1)[0] if isinstance(status, str) else str(status)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return f"{stamp} {method} {path} {code} {sent if sent is not None else '-'} {seconds * 1000:.1f}ms"


class AccessLogWithoutVisitor(Logger):
    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        line = access_line(environ.get("REQUEST_METHOD", "-"), environ.get("PATH_INFO", "-"), resp.status,
                           getattr(resp, "sent", None), request_time.total_seconds())
        self.access_log.info(line)
