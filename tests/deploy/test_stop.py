"""gunicorn as gunicorn.conf.py sets it up (portal/core/draining_worker.py): a SIGTERM serves
the connections already waiting for a worker, then the port refuses; a HUP (new workers, same
socket) keeps the port open. tests/deploy/test_nginx.py checks the same through nginx, under load."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from portal.config import BASE_DIR
from tests.deploy.stack import free_port, http_request

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the drain is Linux's (socket filter)")


def start(port: int) -> subprocess.Popen:
    """gunicorn from the repository's folder (it reads gunicorn.conf.py) serving tests/deploy/slow_app."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                               f"127.0.0.1:{port}", "--graceful-timeout", "10", "tests.deploy.slow_app:app"],
                              cwd=BASE_DIR, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if get(port, "/ready")[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    server.wait(timeout=10)
    raise RuntimeError(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    """Status and text of a GET (slow_app answers with its path and process id)."""
    status, _headers, body = http_request(port, "GET", path, timeout)
    return status, body.decode()


def read_answer(client: socket.socket) -> str:
    """The whole answer: its head, then Content-Length bytes."""
    client.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lengths = [line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
    length = int(lengths[0]) if lengths else 0
    while len(body) < length and (chunk := client.recv(65536)):
        body += chunk
    client.close()  # gunicorn lingers until the client closes (RFC 9112, 9.6)
    return (head + b"\r\n\r\n" + body).decode(errors="replace")


def test_sigterm_serves_the_connections_waiting_in_the_queue_then_the_port_refuses():
    port = free_port()
    server = start(port)
    try:
        slow: list = []
        busy = threading.Thread(target=lambda: slow.append(get(port, "/slow")))
        busy.start()  # the only worker is busy for a second
        time.sleep(0.3)
        waiting = []
        for number in range(5):  # connected by the kernel, request sent, no worker yet
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(f"POST /waiting-{number} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode())
            waiting.append(client)
        server.send_signal(signal.SIGTERM)
        answers = [read_answer(client) for client in waiting]
        busy.join(timeout=10)
        assert server.wait(timeout=15) == 0
    finally:
        for client in locals().get("waiting", []):
            client.close()
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        server.stderr.close()
    assert slow and slow[0][0] == 200
    for number, answer in enumerate(answers):  # gunicorn's own sync worker reset all five
        assert answer.startswith("HTTP/1.1 200") and f"/waiting-{number} " in answer, answer
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_hup_replaces_the_workers_and_the_port_keeps_answering():
    """The new worker shares the old one's socket: the old one must not close its door."""
    port = free_port()
    server = start(port)
    try:
        before = {get(port, f"/before-{number}")[1].split()[1] for number in range(6)}
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        after: set[str] = set()
        while time.monotonic() < deadline and (not after or after & before):
            status, body = get(port, "/after", timeout=5)
            assert status == 200
            after.add(body.split()[1])
            if after & before:
                after.clear()
            time.sleep(0.1)
        assert after and not after & before  # answered by new workers
        for number in range(20):
            assert get(port, f"/later-{number}", timeout=5)[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()
