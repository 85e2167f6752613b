"""The production setup on loopback, for tests/deploy and bench/: gunicorn instances and an nginx
rendered from deploy/nginx/passerelle.conf by scripts/nginx_site.py (what a deployer installs), a
self-signed certificate, slow clients and an HTTPS client that does not check the certificate."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal.config import BASE_DIR

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (openssl, a fraction of a second)."""
    cert, key = folder / "localhost.pem", folder / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def server_environment(database_url: str, folder: Path, **settings: str) -> dict[str, str]:
    """The environment of every instance (and of ``flask jobs run``): one database, one secret."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RATELIMIT_", "WEB_CONCURRENCY"))}
    env.update(DATABASE_URL=database_url, SECRET_KEY="deploy-test", PROXY_COUNT="1", OPEN_DATA_DIR=str(folder / "open"),
               BACKUP_DIR=str(folder / "backups"), IMPORT_LOCK_FILE=str(folder / "import.lock"),
               PASSERELLE_TODAY="2026-11-27", FLASK_APP="wsgi", **settings)
    return env


class Instance:
    """One gunicorn instance as systemd's passerelle@PORT.service starts it."""

    def __init__(self, env: dict[str, str], workers: int, folder: Path):
        self.env, self.workers, self.port = env, workers, free_port()
        self.log = folder / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                 "--no-control-socket", "--graceful-timeout", "10", "wsgi:app"],
                cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self, how: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(how)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Nginx:
    """nginx on free loopback ports, from the deployer's template, run by this user in ``folder``."""

    def __init__(self, folder: Path, upstreams: list[str], hsts_seconds: int = 0):
        self.folder, self.http_port, self.https_port = folder, free_port(), free_port()
        self.certificate, self.key = make_certificate(folder)
        self.hsts_seconds, self.config = hsts_seconds, folder / "nginx.conf"
        self.write_config(upstreams)
        self.process: subprocess.Popen | None = None

    def write_config(self, upstreams: list[str]) -> None:
        rendered = subprocess.run(
            [sys.executable, str(BASE_DIR / "scripts" / "nginx_site.py"), "--standalone", str(self.folder),
             "--server-name", "localhost 127.0.0.1", "--public-url", f"https://localhost:{self.https_port}",
             *[argument for address in upstreams for argument in ("--upstream", address)],
             "--certificate", str(self.certificate), "--certificate-key", str(self.key),
             "--http-listen", f"127.0.0.1:{self.http_port}", "--https-listen", f"127.0.0.1:{self.https_port}",
             "--hsts-seconds", str(self.hsts_seconds)],
            check=True, capture_output=True, text=True, timeout=60)
        self.config.write_text(rendered.stdout)

    def reload(self, upstreams: list[str]) -> None:
        """These instances only, as a deployer does (edit the upstream block, reload nginx): new
        requests go to them at once, requests under way finish where they are."""
        self.write_config(upstreams)
        subprocess.run([NGINX, "-p", str(self.folder), "-c", str(self.config), "-s", "reload"], check=True,
                       capture_output=True, timeout=20)
        time.sleep(0.5)  # the new workers take over

    def start(self) -> None:
        self.process = subprocess.Popen([NGINX, "-p", str(self.folder), "-c", str(self.config), "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        if self.process is not None:
            self.process.stderr.close()


def https_request(port: int, method: str, path: str, timeout: float = 10, body: bytes | None = None,
                  headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection: status, headers (the last of each name), body."""
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=INSECURE)
    try:
        connection.request(method, path, body=body, headers={"Host": f"localhost:{port}", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def http_request(port: int, method: str, path: str, timeout: float = 10,
                 headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """The same in plain HTTP (an instance, or nginx's redirect)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class SlowClients:
    """``count`` connections that each send a request's first line, then one header line every
    ``every`` seconds and never the end of the headers ("slowloris"); a closed connection is
    opened again, so the pressure lasts until ``stop``."""

    def __init__(self, port: int, count: int, every: float, tls: bool):
        self.port, self.every, self.tls = port, every, tls
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._trickle, daemon=True) for _ in range(count)]

    def _connect(self) -> socket.socket:
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        try:
            connection = INSECURE.wrap_socket(raw, server_hostname="localhost") if self.tls else raw
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        except OSError:
            raw.close()
            raise
        return connection

    def _trickle(self) -> None:
        line = 0
        while not self.done.is_set():
            try:
                with self._connect() as connection:
                    while not self.done.wait(self.every):
                        line += 1
                        connection.sendall(f"X-Slow-{line}: {line}\r\n".encode())
            except OSError:
                self.done.wait(0.2)  # closed by the server: open another one

    def __enter__(self) -> SlowClients:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=self.every + 5)


def probe(request, seconds: float, every: float = 0.2, limit: float = 1.0) -> list[tuple[float, object]]:
    """Ask ``request()`` (a /healthz probe) every ``every`` seconds for ``seconds``: (latency, status
    or the exception's name) of each, with ``limit`` as the client's timeout."""
    answers, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            outcome: object = request(limit)[0]
        except (OSError, http.client.HTTPException) as exc:
            outcome = type(exc).__name__
        answers.append((time.monotonic() - started, outcome))
        time.sleep(every)
    return answers


@contextmanager
def demo_stack(folder: Path, instances: int = 2, workers: int = 2, hsts_seconds: int = 0,
               redis_url: str = "redis://127.0.0.1:6379/0") -> Iterator[tuple[list[Instance], Nginx]]:
    """The demo offer on a SQLite file, ``instances`` gunicorn instances behind nginx (benchmarks)."""
    env = server_environment(f"sqlite:///{folder / 'demo.db'}", folder, RATELIMIT_STORAGE_URI=redis_url,
                             HSTS_SECONDS=str(hsts_seconds), PASSERELLE_ENV="development")
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=BASE_DIR, env=env, check=True,
                       capture_output=True, timeout=300)
    started = [Instance(env, workers, folder) for _ in range(instances)]
    nginx = Nginx(folder, [f"127.0.0.1:{instance.port}" for instance in started], hsts_seconds=hsts_seconds)
    env["PUBLIC_URL"] = f"https://localhost:{nginx.https_port}"
    try:
        for instance in started:
            instance.start()
        for instance in started:
            instance.wait()
        nginx.start()
        yield started, nginx
    finally:
        nginx.stop()
        for instance in started:
            instance.stop()
