"""The server as ``scripts/serve`` starts it: gunicorn from the repository's folder, which reads
gunicorn.conf.py by itself (issue 8, 2.17), with its access log (issue 13)."""
from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.config import BASE_DIR
from tests.deploy.stack import free_port, http_request


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """gunicorn with the repository's config, one worker, on a free port of 127.0.0.1, its access
    log in a file."""
    port, folder = free_port(), tmp_path_factory.mktemp("serve")
    env = dict(os.environ, SECRET_KEY="test", DATABASE_URL=f"sqlite:///{folder / 'serve.db'}")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                               "--access-logfile", folder / "access.log", "wsgi:app"],
                              cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        yield SimpleNamespace(port=port, access_log=folder / "access.log")
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


@pytest.mark.parametrize("path", ["/favicon.ico", "/healthz", "/nulle-part"])
def test_the_server_header_does_not_name_the_server_software(gunicorn_server, path):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn_server.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status in (200, 404)
    servers = response.headers.get_all("Server") or []
    assert servers == ["Passerelle"]
    assert "gunicorn" not in str(response.headers).lower()


def logged_line(log: Path, path: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [line for line in log.read_text().splitlines() if f" {path} " in line] if log.exists() else []
        if lines:
            return lines[-1]
        time.sleep(0.1)
    raise AssertionError(f"no access log line for {path}")


def test_the_access_log_keeps_neither_the_address_nor_the_query(gunicorn_server):
    """A search's position and the guided route's answers are in the query string; the address
    names the visitor's connection. Neither is written; the path, status and size are."""
    status, headers, _body = http_request(
        gunicorn_server.port, "GET", "/nulle-part?near=50.4669,4.8675&radius_km=5",
        headers={"Referer": "https://example.org/secret-page", "User-Agent": "browser-of-the-visitor"})
    assert status == 404
    line = logged_line(gunicorn_server.access_log, "/nulle-part")
    method_to_size = line.split(" ")[1:5]
    assert method_to_size == ["GET", "/nulle-part", "404", headers["Content-Length"]]
    for secret in ("50.4669", "near", "127.0.0.1", "secret-page", "browser-of-the-visitor"):
        assert secret not in line
