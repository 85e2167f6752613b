"""Rate limits hold for the whole service, not per worker: gunicorn refuses several workers that
would count in memory, and with Redis the workers share one count. If Redis stops answering,
sign-in still works (each worker counts on its own meanwhile), never a 500.

The Redis tests use TEST_REDIS_URL (./scripts/test sets redis://127.0.0.1:6379/1 when a Redis
answers; .ci/run starts one) and say they were skipped without it."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from portal.config import BASE_DIR
from tests.conftest import make_app


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return None
    return url


@pytest.fixture()
def redis_url() -> str:
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis: TEST_REDIS_URL is not set or does not answer "
                    "(./scripts/test sets it when a Redis answers on 127.0.0.1:6379; .ci/run starts one)")
    import redis

    redis.Redis.from_url(url).flushdb()  # this database is the tests' own
    return url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RATELIMIT_", "WEB_CONCURRENCY"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}", SECRET_KEY="serve-test", SESSION_COOKIE_SECURE="0",
               **extra)
    return env


def _gunicorn(tmp_path: Path, workers: int, port: int, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                             f"127.0.0.1:{port}", "wsgi:app"], cwd=BASE_DIR, env=_environment(tmp_path, **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()


def _wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {server.communicate()[1][-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.25)
    raise AssertionError("gunicorn did not answer")


def test_several_workers_counting_in_memory_are_refused_at_start_up(tmp_path):
    server = _gunicorn(tmp_path, 2, _free_port(), RATELIMIT_STORAGE_URI="memory://")
    try:
        _out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            _stop(server)
    assert server.returncode != 0
    assert "2 workers with RATELIMIT_STORAGE_URI=memory://" in err and "redis://" in err


def test_one_worker_may_count_in_memory(tmp_path):
    port = _free_port()
    server = _gunicorn(tmp_path, 1, port)
    try:
        _wait_for(port, server)
    finally:
        _stop(server)


def _sign_in_attempts(port: int, count: int) -> list[int]:
    """``count`` sign-in attempts with a CSRF token, each for another address (so that only the
    per-visitor limit, 10 a minute, can refuse them) and on a new connection."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/connexion", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses = []
    for number in range(count):
        data = urllib.parse.urlencode({"csrf_token": token, "email": f"visitor{number}@example.org",
                                       "password": "not the password"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/connexion", data=data,
                                         headers={"Referer": f"http://127.0.0.1:{port}/connexion",
                                                  "Connection": "close"})
        try:
            statuses.append(opener.open(request, timeout=10).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def test_two_workers_share_the_sign_in_limit_through_redis(tmp_path, redis_url):
    migrate = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=BASE_DIR,
                             env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    port = _free_port()
    server = _gunicorn(tmp_path, 2, port, RATELIMIT_STORAGE_URI=redis_url)
    try:
        _wait_for(port, server)
        statuses = _sign_in_attempts(port, 12)
    finally:
        _stop(server)
    assert statuses == [400] * 10 + [429, 429]  # 10 a minute for the service, not per worker


@pytest.fixture()
def limiter_back_in_memory():
    """The limiter is one object for every app of the test session: point it back to memory."""
    yield
    make_app("sqlite://", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")


def test_the_count_lives_in_redis(tmp_path, redis_url, limiter_back_in_memory):
    import redis

    app = make_app(f"sqlite:///{tmp_path / 'redis.db'}", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url)
    from portal.extensions import db

    with app.app_context():
        db.create_all()
        client = app.test_client()
        for number in range(3):
            client.post("/connexion", data={"email": f"x{number}@example.org", "password": "nope"})
        db.engine.dispose()
    counts = [int(redis.Redis.from_url(redis_url).get(key)) for key in redis.Redis.from_url(redis_url).keys("LIMIT*")]
    assert 3 in counts  # what a second worker or server reads too


def test_sign_in_works_while_redis_does_not_answer(tmp_path, limiter_back_in_memory):
    app = make_app(f"sqlite:///{tmp_path / 'down.db'}", RATELIMIT_ENABLED=True,
                   RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")  # nothing listens on the discard port
    from portal.extensions import db

    with app.app_context():
        db.create_all()
        client = app.test_client()
        statuses = [client.post("/connexion", data={"email": f"x{number}@example.org", "password": "nope"}).status_code
                    for number in range(11)]
        db.engine.dispose()
    assert statuses == [400] * 10 + [429]  # counted in memory meanwhile


def test_an_app_with_the_limits_off_stays_so_after_another_app_turned_them_on(app, app_context, tmp_path):
    """The limiter is one object: making an application with the limits on must not limit the
    others (the shared test application failed sign-ins with 429 after such a test)."""
    make_app(f"sqlite:///{tmp_path / 'on.db'}", RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = {client.post("/connexion", data={"email": f"x{number}@example.org", "password": "nope"}).status_code
                for number in range(12)}
    assert statuses == {400}
