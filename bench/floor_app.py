"""The floor of bench/datasette.py: a WSGI application that does nothing but send the same bytes
(a portal answer, from the file named by FLOOR_BODY) with the portal's content type. Served by
gunicorn exactly as the portal is, it measures what the server and the client cost around any
answer, so that the portal's own time can be told apart from theirs."""
from __future__ import annotations

import os
from pathlib import Path

BODY = Path(os.environ["FLOOR_BODY"]).read_bytes()
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", list(HEADERS))
    return [BODY]
