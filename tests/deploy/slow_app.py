"""A WSGI application for tests/deploy/test_stop.py: ``/slow`` takes a second, any other path
answers at once with its own path (so each answer can be matched to its request)."""
from __future__ import annotations

import os
import time


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/slow":
        time.sleep(1)
    body = f"{path} {os.getpid()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
