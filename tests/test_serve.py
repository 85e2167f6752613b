"""The server as ``scripts/serve`` starts it: gunicorn from the repository's folder, which reads
gunicorn.conf.py by itself (issue 8, 2.17)."""
from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest

from portal.config import BASE_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """gunicorn with the repository's config, one worker, on a free port of 127.0.0.1."""
    port = free_port()
    env = dict(os.environ, SECRET_KEY="test",
               DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('serve') / 'serve.db'}")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                               "wsgi:app"], cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


@pytest.mark.parametrize("path", ["/favicon.ico", "/healthz", "/nulle-part"])
def test_the_server_header_does_not_name_the_server_software(gunicorn_server, path):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn_server, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status in (200, 404)
    servers = response.headers.get_all("Server") or []
    assert servers == ["Passerelle"]
    assert "gunicorn" not in str(response.headers).lower()
