"""Several app servers behind nginx (issue 13, item 3): two gunicorn instances on one database
(PostgreSQL at TEST_DATABASE_URL when it answers, else a SQLite file) and one Redis, behind an
nginx rendered from the deployer's own template (deploy/nginx/passerelle.conf). Under a bounded
load with slow clients trickling header lines, the probe keeps answering; a graceful stop of one
instance loses no request; a kill -9 of the other loses no GET and gives in-flight POSTs a clean 502
at worst; the sign-in limit is one count for both; two `flask jobs run` at once run each job once."""
from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import ExitStack
from itertools import pairwise

import pytest
from sqlalchemy import select

from portal.config import BASE_DIR
from portal.extensions import db
from tests import factories as f
from tests.conftest import _postgres_unavailable, fresh_postgres_database, make_app
from tests.deploy.stack import (
    INSECURE,
    NGINX,
    Instance,
    Nginx,
    SlowClients,
    http_request,
    https_request,
    probe,
    server_environment,
)
from tests.test_rate_limits import _redis_url

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is missing (apt-get install nginx; ./scripts/test "
                                                      "installs it when run as root)")
GETS = ("/", "/?near=5000", "/api/v1/courses", "/api/v1/courses/course-a", "/cours/course-a", "/healthz")
POST = "/selection/lien-court?sel=course-a"  # makes (or finds again) a short link: a write, no CSRF token


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Two instances (2 workers each with Redis, else 1 counting in memory) behind nginx."""
    folder = tmp_path_factory.mktemp("deploy")
    with ExitStack() as cleanup:
        if _postgres_unavailable() is None:
            url = cleanup.enter_context(fresh_postgres_database("nginx"))
        else:
            url = f"sqlite:///{folder / 'portal.db'}"
        app = make_app(url)
        with app.app_context():
            db.create_all()
            f.load_courses(f.course("course-a"))
            db.session.remove()
            db.engine.dispose()
        redis_url = _redis_url()
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        env = server_environment(url, folder, RATELIMIT_STORAGE_URI=redis_url or "memory://",
                                 SHORT_LINK_RATE_LIMIT="100000 per hour", SESSION_COOKIE_SECURE="1")
        instances = [Instance(env, 2 if redis_url else 1, folder) for _ in range(2)]
        nginx = Nginx(folder, [f"127.0.0.1:{instance.port}" for instance in instances])
        env["PUBLIC_URL"] = f"https://localhost:{nginx.https_port}"
        for instance in instances:
            cleanup.callback(instance.stop, signal.SIGKILL)
            instance.start()
        cleanup.callback(nginx.stop)
        for instance in instances:
            instance.wait()
        nginx.start()
        yield {"instances": instances, "nginx": nginx, "env": env, "app": app, "redis": redis_url, "folder": folder}


def test_plain_http_only_redirects_to_the_public_address(stack):
    nginx = stack["nginx"]
    status, headers, _body = http_request(nginx.http_port, "GET", "/cours/course-a?lang=nl")
    assert status == 301
    assert headers["Location"] == f"https://localhost:{nginx.https_port}/cours/course-a?lang=nl"


@pytest.mark.parametrize("path", ["/static/css/site.css", "/static/js/search.js", "/api/v1/courses", "/"])
def test_nginx_adds_no_header_and_serves_assets_with_the_applications_asset_headers(stack, path):
    """/static/ comes from nginx itself, everything else from an instance: the same security headers
    either way, each once (what the application sends for the same address)."""
    nginx, instance = stack["nginx"], stack["instances"][0]
    status, proxied, body = https_request(nginx.https_port, "GET", path)
    direct_status, direct, direct_body = http_request(instance.port, "GET", path)
    assert status == direct_status == 200
    security = {"content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy",
                "cross-origin-opener-policy", "cross-origin-resource-policy", "permissions-policy",
                "access-control-allow-origin", "strict-transport-security"}

    def pick(headers):
        return {name.lower(): value for name, value in headers.items() if name.lower() in security}

    assert pick(proxied) == pick(direct)
    if path.startswith("/static/"):
        assert proxied["Server"] == "nginx" and body == direct_body
        # nginx names scripts application/javascript, Flask text/javascript: the same to browsers.
        assert proxied["Content-Type"].split("/")[1] == direct["Content-Type"].split("/")[1] or path.endswith(".js")
        assert proxied["Content-Type"].endswith("; charset=utf-8")
    else:
        assert proxied["Server"] == "Passerelle"


def _sign_in_attempts(port: int, count: int) -> list[int]:
    """``count`` failed sign-ins through nginx, each claiming another X-Forwarded-For (nginx
    replaces it with the visitor's address) and on a new connection, so on either instance."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=INSECURE),
                                         urllib.request.HTTPCookieProcessor(jar))
    base = f"https://localhost:{port}"
    page = opener.open(f"{base}/connexion", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses = []
    for number in range(count):
        data = urllib.parse.urlencode({"csrf_token": token, "email": f"visitor{number}@example.org",
                                       "password": "not the password"}).encode()
        request = urllib.request.Request(f"{base}/connexion", data=data, headers={
            "Referer": f"{base}/connexion", "Connection": "close", "X-Forwarded-For": f"198.51.100.{number}"})
        try:
            statuses.append(opener.open(request, timeout=10).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def test_the_sign_in_limit_is_one_count_for_both_instances(stack):
    if not stack["redis"]:
        pytest.skip("no Redis: TEST_REDIS_URL is not set or does not answer (./scripts/test sets it)")
    nginx = stack["nginx"]
    statuses = _sign_in_attempts(nginx.https_port, 12)
    assert statuses == [400] * 10 + [429, 429]  # 10 a minute for the service, as one instance would count
    served_by = {line.split()[-3] for line in (nginx.folder / "access.log").read_text().splitlines()
                 if line.split()[1:3] == ["POST", "/connexion"]}
    assert served_by == {f"127.0.0.1:{instance.port}" for instance in stack["instances"]}


def test_nginx_logs_neither_the_visitors_address_nor_the_query(stack):
    """Each line: time, method, path, status, bytes, instance, its status, duration; the searches
    sent with a position (``near=…``) are logged by their path alone."""
    for path in ("/api/v1/courses?near=5000&radius_km=10", "/?near=50.4669,4.8675"):
        assert https_request(stack["nginx"].https_port, "GET", path)[0] == 200
    lines = (stack["nginx"].folder / "access.log").read_text().splitlines()
    assert {line.split()[2] for line in lines[-2:]} == {"/api/v1/courses", "/"}
    for line in lines:
        fields = line.split()
        assert len(fields) == 8 and "?" not in line and "near" not in line, line
        dt.datetime.fromisoformat(fields[0])
        assert fields[1] in ("GET", "POST", "HEAD") and fields[3].isdigit()


def served_by_first_again(nginx, port: int, seconds: float = 15) -> None:
    """Wait until nginx's log shows an answer from the instance on ``port`` written from now on."""
    log = nginx.folder / "access.log"
    seen = len(log.read_text().splitlines())
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(f"127.0.0.1:{port} 200 " in line for line in log.read_text().splitlines()[seen:]):
            return
        time.sleep(0.1)
    raise AssertionError(f"nginx sent nothing to 127.0.0.1:{port} for {seconds} s after it restarted")


class Load:
    """A few threads asking the pages and the API, one posting, through nginx, each answer kept
    with its time: (when, method, status or the client's exception)."""

    def __init__(self, port: int):
        self.port, self.stop, self.answers = port, threading.Event(), []
        self.threads = [threading.Thread(target=self._get, args=(offset,)) for offset in range(3)]
        self.threads.append(threading.Thread(target=self._post))

    def _ask(self, method: str, path: str) -> None:
        try:
            body = b"" if method == "POST" else None
            outcome: object = https_request(self.port, method, path, timeout=10, body=body)[0]
        except Exception as exc:  # noqa: BLE001 - a reset or a timeout is an answer the test counts
            outcome = type(exc).__name__
        self.answers.append((time.monotonic(), method, path, outcome))

    def _get(self, offset: int) -> None:
        number = offset
        while not self.stop.is_set():
            self._ask("GET", GETS[number % len(GETS)])
            number += 1
            time.sleep(0.01)

    def _post(self) -> None:
        while not self.stop.is_set():
            self._ask("POST", POST)
            time.sleep(0.01)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_under_load_and_slow_clients_a_stop_loses_no_request_and_a_kill_no_get(stack):
    nginx, (first, second) = stack["nginx"], stack["instances"]
    probes: list = []
    prober = threading.Thread(target=lambda: probes.extend(probe(
        lambda limit: https_request(nginx.https_port, "GET", "/healthz", timeout=limit), seconds=9)))
    with SlowClients(nginx.https_port, count=10, every=2, tls=True), Load(nginx.https_port) as load:
        prober.start()
        time.sleep(1.5)
        stopping = time.monotonic()
        # A graceful stop, SIGTERM alone (nginx still sends it requests): the instance serves what
        # is waiting in its queue, new connections go to the other (portal/core/draining_worker.py).
        first.stop(signal.SIGTERM)
        time.sleep(1)
        first.start()
        first.wait()
        # nginx left it out for fail_timeout (3 s) after it refused: back in before the other goes.
        served_by_first_again(nginx, first.port)
        killed = time.monotonic()
        second.stop(signal.SIGKILL)
        time.sleep(2.5)
        prober.join()
    assert len(load.answers) > 100 and len(probes) > 20
    # The probe answered within 1 s all along, slow clients or not, instance down or not.
    assert {outcome for _latency, outcome in probes} == {200}, probes
    assert max(latency for latency, _outcome in probes) < 1.0
    graceful = [answer for answer in load.answers if stopping <= answer[0] < killed]
    assert {outcome for _at, _method, _path, outcome in graceful} <= {200, 303}, graceful  # nothing lost
    assert any(method == "POST" for _at, method, _path, _outcome in graceful)
    after_kill = [answer for answer in load.answers if answer[0] >= killed]
    assert {outcome for _at, method, _path, outcome in after_kill if method == "GET"} == {200}  # retried
    assert {outcome for _at, method, _path, outcome in after_kill if method == "POST"} <= {303, 502}
    before = [answer for answer in load.answers if answer[0] < stopping]
    assert {outcome for _at, _method, _path, outcome in before} <= {200, 303}


def test_two_servers_running_the_jobs_at_the_same_moment_run_each_job_once(stack):
    """Each job due runs once; a job due at every call (the outbox) never twice at the same time."""
    from portal.jobs.models import JobRun
    from portal.jobs.schedule import JOBS

    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"]
    runs = [subprocess.Popen(command, cwd=BASE_DIR, env=stack["env"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    app = stack["app"]
    with app.app_context():
        rows = db.session.execute(select(JobRun.job, JobRun.started_at, JobRun.finished_at, JobRun.host)
                                  .order_by(JobRun.started_at)).all()
        db.session.remove()
        db.engine.dispose()
    every_call = {job.name for job in JOBS if job.every == dt.timedelta(0)}
    counts = Counter(row.job for row in rows)
    assert {name: count for name, count in counts.items() if name not in every_call} == {
        job.name: 1 for job in JOBS if job.name not in every_call}, outputs
    for name in every_call:  # once per call, or once if the other call found it running ("busy")
        runs_of_job = [row for row in rows if row.job == name]
        assert len(runs_of_job) in (1, 2), outputs
        assert all(first.finished_at <= second.started_at for first, second in pairwise(runs_of_job))
