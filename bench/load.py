#!/usr/bin/env python3
"""Load and soak on loopback (issue 13, part 5): a steady rate, a ramp, a long run at a low rate.

The offer: bench/search.py's synthetic_offer (10,000 courses by default) written to a file and
imported as an admin does (``flask offer import FILE``, a separate process, after ``flask db
upgrade``), then ``flask jobs run`` once (today's next starts, the open data files…), today fixed
at bench/search.py's TODAY. SQLite (a fresh copy of the built file for every run) or PostgreSQL
(BENCH_DATABASE_URL's server, database passerelle_bench_load_<size>). Built once, then reused
while the generator, the migrations and the size are the same (bench/results/load/, ignored by git).

The server: as ./scripts/serve serves it — gunicorn reading gunicorn.conf.py, sync workers
(``--workers``, default 2 like scripts/serve), access log on (to a file), rate limits counted in
Redis (``RATELIMIT_STORAGE_URI``, default redis://127.0.0.1:6379/5; a local Redis is started with
scripts/_redis.sh when none answers). The limits stay on: no public GET of the portal is limited
(portal/extensions.py: no default limit; only the account pages and a few POSTs are), so the
generator, one address, is never counted as one abusive visitor; a 429 would count as an error.

The generator: open loop. Request i is sent at start + i / rate whatever the answers before it
(asyncio, one new connection per request, ``Connection: close``, as gunicorn's sync workers close
anyway); a slow server does not lower the offered rate. Latency is counted from the scheduled
moment to the last byte of the answer (a request the generator sent late counts its lateness);
"late" = sent more than 100 ms after its moment. Errors: a status other than 2xx/3xx, a timeout
(``--timeout``), a refused or cut connection, a body shorter than its Content-Length. The mix
(``MIX``): search pages (HTML) and API searches of bench/datasette_twin.py's SearchMaker
(bench/search.py's search_mix, each kind varied so that searches do not repeat), course pages, the
home page, the map's GeoJSON (per_page=100, as map.js asks), static assets, the API's course.

Measured per phase: offered and achieved rates, errors, late requests, p50/p95/p99/max latency,
the generator's own CPU (getrusage of this process: user + sys, and % of one core), the server's
CPU (gunicorn's master and workers, /proc/<pid>/stat, reaped workers included) and its workers' RSS
(sum over the workers, /proc, sampled every 10 s), and how busy the whole machine was (/proc/stat);
the latencies by kind of request and the p95 of each 10 s (soak: 60 s) window, to tell a slow
stretch from a slow kind. Prints tables (and writes them as JSON in bench/results/load/); asserts
nothing.

    .venv/bin/python bench/load.py --steady 50 --minutes 10        # 10 minutes at 50 req/s
    .venv/bin/python bench/load.py --ramp                           # 60 s steps: 50, 75, 100, …
    .venv/bin/python bench/load.py --soak 5 --minutes 30 --warm-up-rate 50   # 1 min at 50, then 30 min at 5
    .venv/bin/python bench/load.py --database postgresql --steady 50 --minutes 3
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import inspect
import json
import os
import random
import re
import resource
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import servers  # noqa: E402
from bench.datasette_twin import KINDS_OF_SEARCH, SearchMaker  # noqa: E402
from bench.search import TODAY, bench_app, percentile, synthetic_offer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load"
FLASK = ROOT / ".venv" / "bin" / "flask"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
REDIS_URL = "redis://127.0.0.1:6379/5"
LATE_S = 0.1  # a request sent more than this after its scheduled moment is "late"
MAX_OPEN = 1000  # connections open at once at most (the rest wait their turn, the wait counted)
SAMPLE_EVERY_S = 10.0
HOLD_P95_MS = 500.0  # the ramp's limit

# What public visitors ask, in shares of the requests.
MIX = (
    ("search page", 0.30),   # / with a search (HTML, the list of cards)
    ("API search", 0.25),    # /api/v1/courses?… (partners, the page's live count)
    ("course page", 0.20),   # /cours/<ref>
    ("home page", 0.08),     # / without a search
    ("map GeoJSON", 0.07),   # /api/v1/courses.geojson?…&per_page=100&page=1
    ("static asset", 0.07),  # /static/…, /vendor/… (served by gunicorn here; by nginx in production)
    ("API course", 0.03),    # /api/v1/courses/<ref>
)


# -- the offer ----------------------------------------------------------------------------------
def build_env() -> dict:
    """The settings of every process of the bench (commands and server)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FLASK_APP": "wsgi", "SECRET_KEY": "bench", "PASSERELLE_TODAY": TODAY.isoformat(),
           "OPEN_DATA_DIR": str(RESULTS / "open-data"), "BACKUP_DIR": str(RESULTS / "backups"),
           "IMPORT_LOCK_FILE": str(RESULTS / "import.lock")}
    env.pop("PUBLIC_URL", None)
    return env


def offer_key(size: int) -> str:
    """Changes when the built offer would: the generator, today, the migrations, the size."""
    digest = hashlib.sha256()
    migrations = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    for part in (inspect.getsource(synthetic_offer), TODAY.isoformat(), *migrations, str(size)):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def offer_file(size: int) -> Path:
    path = RESULTS / f"offer-{size}.json"
    if not cached(path, offer_key(size)):
        with bench_app("sqlite://").app_context():
            document = synthetic_offer(size)
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        path.with_suffix(".key").write_text(offer_key(size))
    return path


def cached(path: Path, key: str) -> bool:
    marker = path.with_suffix(".key")
    return path.exists() and marker.exists() and marker.read_text() == key


def flask(env: dict, *args: str, check: bool = True) -> str:
    started = time.perf_counter()
    process = subprocess.run([str(FLASK), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    print(f"  flask {' '.join(args[:2])}: {time.perf_counter() - started:.1f} s (exit {process.returncode})",
          flush=True)
    if process.returncode != 0 and check:
        raise SystemExit(f"flask {' '.join(args)} failed: {process.stderr[-2000:]}")
    return process.stdout + process.stderr


def load_offer(env: dict, url: str, size: int) -> None:
    """What an admin does on a new server: migrate, import the offer, run the jobs once."""
    env = {**env, "DATABASE_URL": url}
    flask(env, "db", "upgrade")
    out = flask(env, "offer", "import", str(offer_file(size)))
    if f"courses: {size} created" not in out:
        raise SystemExit(f"the import did not create {size} courses:\n{out[-2000:]}")
    out = flask(env, "jobs", "run", check=False)
    if "next start of" not in out:
        raise SystemExit(f"flask jobs run did not compute the next starts:\n{out[-2000:]}")
    for line in out.splitlines():
        if "failed" in line.lower():
            print(f"  jobs run: {line.strip()}")


def sqlite_offer(env: dict, size: int) -> str:
    """A fresh copy of the built SQLite offer (built when missing or stale); its URL."""
    built = RESULTS / f"offer-{size}.sqlite3"
    if not cached(built, offer_key(size)):
        print(f"building the SQLite offer of {size:,} courses…", flush=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{built}{suffix}").unlink(missing_ok=True)
        load_offer(env, f"sqlite:///{built}", size)
        built.with_suffix(".key").write_text(offer_key(size))
    serve = RESULTS / "serve.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{serve}{suffix}").unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(built)) as src, contextlib.closing(sqlite3.connect(serve)) as dst:
        src.backup(dst)
    return f"sqlite:///{serve}"


def postgresql_offer(env: dict, size: int) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal.config import _normalise_database_url

    base = make_url(_normalise_database_url(os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/passerelle_bench")))
    url = base.set(database=f"passerelle_bench_load_{size}")
    rendered = url.render_as_string(hide_password=False)
    marker = RESULTS / f"postgresql-{size}.key"
    if marker.exists() and marker.read_text() == offer_key(size):
        return rendered
    print(f"building the PostgreSQL offer of {size:,} courses…", flush=True)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}"'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    load_offer(env, rendered, size)
    # What autovacuum does on a live server after the import and the daily job.
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    marker.write_text(offer_key(size))
    return rendered


# -- the server ---------------------------------------------------------------------------------
def redis_answers(url: str) -> bool:
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def serving(env: dict, url: str, workers: int, redis: str) -> Iterator[tuple[int, int]]:
    """gunicorn as scripts/serve starts it; yields (port, master pid)."""
    if workers > 1 and redis.startswith("redis://127.0.0.1") and not redis_answers(redis):
        subprocess.run(["bash", "-c", "source scripts/_redis.sh && ensure_redis"], cwd=ROOT, check=True)
    port = servers.free_port()
    env = {**env, "DATABASE_URL": url, "RATELIMIT_STORAGE_URI": redis, "PUBLIC_URL": f"http://127.0.0.1:{port}"}

    def ready(port: int, process: subprocess.Popen) -> bool:
        return servers.answers(f"http://127.0.0.1:{port}/healthz") and len(worker_pids(process.pid)) == workers

    # As scripts/serve: gunicorn reads gunicorn.conf.py from the repository's folder.
    command = [str(GUNICORN), "--workers", str(workers), "--bind", "127.0.0.1:{port}",
               "--access-logfile", str(RESULTS / "access.log"), "wsgi:app"]
    with servers.serving(command, ready, env=env, log=RESULTS / "gunicorn.log", port=port,
                         stop_seconds=20) as (_, process):
        yield port, process.pid


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rpartition(")")[2].split()


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if int(_stat(int(entry))[1]) == master:
                    pids.append(int(entry))
    return pids


TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def server_cpu_s(master: int) -> float:
    """User + system seconds of the master, its live workers and the workers it has reaped."""
    fields = _stat(master)
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    for pid in worker_pids(master):
        with contextlib.suppress(OSError):
            ticks += sum(int(v) for v in _stat(pid)[11:13])
    return ticks / TICK


def workers_rss_mb(master: int) -> float:
    total = 0
    for pid in worker_pids(master):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/statm") as f:
            total += int(f.read().split()[1]) * PAGE
    return total / 2**20


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)


def own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the requests -------------------------------------------------------------------------------
class Traffic:
    """Draws the public requests of the mix, searches as distinct as SearchMaker can make them."""

    def __init__(self, seed: int, refs: list[str], assets: list[str]) -> None:
        self.rng = random.Random(seed)
        self.maker = SearchMaker(seed)
        self.refs, self.assets = refs, assets
        self.seen: set[str] = set()
        self.searches = self.repeated = 0
        self.kinds, self.weights = zip(*MIX, strict=True)

    def _search(self) -> str:
        """A search's query string (without per_page), kinds in turn; one not asked yet if possible."""
        kind = KINDS_OF_SEARCH[self.searches % len(KINDS_OF_SEARCH)]
        self.searches += 1
        for _ in range(50):
            query = "&".join(part for part in self.maker._one(kind).query.split("&")
                             if not part.startswith("per_page="))
            if query not in self.seen:
                break
        else:
            self.repeated += 1
        self.seen.add(query)
        return query

    def draw(self) -> tuple[str, str]:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        if kind == "search page":
            return kind, f"/?{self._search()}"
        if kind == "API search":
            return kind, f"/api/v1/courses?{self._search()}&per_page=20"
        if kind == "map GeoJSON":
            query = "&".join(p for p in self._search().split("&") if not p.startswith("page="))
            return kind, f"/api/v1/courses.geojson?{query}{'&' if query else ''}per_page=100&page=1"
        if kind == "course page":
            return kind, f"/cours/{self.rng.choice(self.refs)}"
        if kind == "API course":
            return kind, f"/api/v1/courses/{self.rng.choice(self.refs)}"
        if kind == "static asset":
            return kind, self.rng.choice(self.assets)
        return kind, "/"


def discover(port: int) -> tuple[list[str], list[str]]:
    """Visible course refs (the API's pages) and the assets the public pages link to."""
    base = f"http://127.0.0.1:{port}"
    refs: list[str] = []
    for page in range(1, 31):
        with urllib.request.urlopen(f"{base}/api/v1/courses?per_page=100&page={page}", timeout=30) as answer:
            items = json.loads(answer.read())["items"]
        refs += [item["ref"] for item in items]
        if not items:
            break
    assets: set[str] = set()
    for path in ("/", "/?near=5000&radius_km=15", f"/cours/{refs[0]}"):
        with urllib.request.urlopen(base + path, timeout=30) as answer:
            html = answer.read().decode()
        assets |= set(re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"?#]+)', html))
    return refs, sorted(assets)


# -- the generator ------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    rate: float
    seconds: float
    sent: int = 0
    ok: int = 0
    late: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # ms, scheduled moment -> last byte, answered
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    moments: list[float] = field(default_factory=list)  # s since the start, scheduled, of each latency
    elapsed: float = 0.0  # first scheduled moment -> last answer
    generator_cpu: float = 0.0
    server_cpu: float = 0.0
    machine_busy: float = 0.0  # % of all cores
    rss: list[tuple[float, float]] = field(default_factory=list)  # (s since start, MB)
    repeated_searches: int = 0
    searches: int = 0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def p(self, q: float, values: list[float] | None = None) -> float:
        values = self.latencies if values is None else values
        return percentile(values, q) if values else float("nan")


async def fetch(port: int, path: str, timeout: float) -> str | None:
    """GET path; None when the answer is a 2xx/3xx, else what went wrong."""
    async def exchange() -> str | None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: passerelle-bench-load\r\n"
                          "Accept: */*\r\nAccept-Language: fr-BE,fr;q=0.9\r\nConnection: close\r\n\r\n").encode())
            data = await reader.read()
        finally:
            writer.close()
        head, _, body = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 "):
            return "no answer"
        status = int(head[9:12])
        if not 200 <= status < 400:
            return f"status {status}"
        length = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.IGNORECASE)
        if length and len(body) < int(length.group(1)):
            return "short body"
        return None

    try:
        return await asyncio.wait_for(exchange(), timeout)
    except TimeoutError:  # before OSError, of which it is one
        return "timeout"
    except OSError as exc:
        return f"connection: {exc.__class__.__name__}"


async def run_phase(phase: Phase, port: int, master: int, traffic: Traffic, timeout: float,
                    record: bool = True) -> Phase:
    loop = asyncio.get_running_loop()
    count = int(phase.rate * phase.seconds)
    plan = [traffic.draw() for _ in range(count)]  # drawn before the clock starts
    searches, repeated = traffic.searches, traffic.repeated
    opened = asyncio.Semaphore(MAX_OPEN)

    async def one(when: float, kind: str, path: str) -> None:
        nonlocal last_answer
        async with opened:
            if loop.time() - when > LATE_S:
                phase.late += 1
            problem = await fetch(port, path, timeout)
        now = loop.time()
        last_answer = max(last_answer, now)
        if problem is None:
            phase.ok += 1
            ms = (now - when) * 1000
            phase.latencies.append(ms)
            phase.moments.append(when - start)
            phase.by_kind.setdefault(kind, []).append(ms)
        else:
            phase.errors[problem] = phase.errors.get(problem, 0) + 1
            if len(phase.error_examples) < 5:
                phase.error_examples.append(f"{problem}: {path}")

    async def sample_memory(start: float) -> None:
        while True:
            phase.rss.append((loop.time() - start, workers_rss_mb(master)))
            await asyncio.sleep(SAMPLE_EVERY_S)

    cpu0, server0, machine0 = own_cpu_s(), server_cpu_s(master), machine_ticks()
    start = last_answer = loop.time() + 0.2
    sampler = asyncio.create_task(sample_memory(start)) if record else None
    tasks = set()
    for number, (kind, path) in enumerate(plan):
        when = start + number / phase.rate
        delay = when - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(when, kind, path))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        phase.sent += 1
    while tasks:
        await asyncio.gather(*tasks)
    if sampler:
        phase.rss.append((loop.time() - start, workers_rss_mb(master)))
        sampler.cancel()
    phase.elapsed = max(last_answer - start, 1e-9)
    phase.generator_cpu = own_cpu_s() - cpu0
    phase.server_cpu = server_cpu_s(master) - server0
    machine1 = machine_ticks()
    phase.machine_busy = 100 * (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
    phase.searches, phase.repeated_searches = traffic.searches - searches, traffic.repeated - repeated
    return phase


# -- the report ---------------------------------------------------------------------------------
def report(phases: list[Phase], title: str) -> None:
    cores = os.cpu_count() or 1
    print(f"\n{title}")
    print(f"  {'phase':22} {'offered':>7} {'achieved':>8} {'answers':>7} {'errors':>6} {'late':>5} "
          f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}  {'generator CPU':>15}  {'server CPU':>15} "
          f"{'workers RSS MB':>20} {'machine':>7}")
    for ph in phases:
        rss = [mb for _, mb in ph.rss]
        rss_text = f"{rss[0]:.0f} → {rss[-1]:.0f} (max {max(rss):.0f})" if rss else "-"
        print(f"  {ph.name:22} {ph.rate:7.1f} {ph.ok / ph.elapsed:8.1f} {ph.ok:7d} {ph.error_count:6d} {ph.late:5d} "
              f"{ph.p(0.50):6.1f} {ph.p(0.95):6.1f} {ph.p(0.99):6.1f} {max(ph.latencies or [0]):6.0f}  "
              f"{ph.generator_cpu:6.1f} s {100 * ph.generator_cpu / ph.elapsed:5.1f} %  "
              f"{ph.server_cpu:6.1f} s {100 * ph.server_cpu / ph.elapsed:5.0f} % "
              f"{rss_text:>20} {ph.machine_busy:6.0f} %")
    print(f"  (rates in requests/s; latency in ms from the scheduled moment to the last byte; CPU: seconds and % "
          f"of one core; machine: busy share of all {cores} cores, other users included)")
    for ph in phases:
        for problem, count in ph.errors.items():
            print(f"  {ph.name}: {count} × {problem}")
        for example in ph.error_examples:
            print(f"    e.g. {example}")
        if ph.repeated_searches:
            print(f"  {ph.name}: {ph.repeated_searches} of {ph.searches} searches repeat an earlier one")
    sys.stdout.flush()


def report_kinds(phase: Phase) -> None:
    print(f"\n  {phase.name}, by kind of request: {'n':>6} {'p50':>6} {'p95':>6} {'p99':>6}")
    for kind, _ in MIX:
        values = phase.by_kind.get(kind, [])
        if values:
            print(f"    {kind:30} {len(values):6d} {statistics.median(values):6.1f} {percentile(values, 0.95):6.1f} "
                  f"{percentile(values, 0.99):6.1f}")


def report_windows(phase: Phase, seconds: float = 10) -> None:
    """Slow stretches: the p95 of each window of ``seconds`` (by scheduled moment)."""
    windows: dict[int, list[float]] = {}
    for moment, ms in zip(phase.moments, phase.latencies, strict=True):
        windows.setdefault(int(moment // seconds), []).append(ms)
    p95s = sorted((percentile(values, 0.95), number) for number, values in windows.items())
    slow = [(p95, number) for p95, number in p95s if p95 >= HOLD_P95_MS]
    worst = ", ".join(f"{number * seconds:.0f} s: {p95:.0f}" for p95, number in sorted(slow, key=lambda w: w[1])[:20])
    print(f"  {phase.name}: {len(slow)} of {len(windows)} windows of {seconds:.0f} s with p95 ≥ {HOLD_P95_MS:.0f} ms"
          + (f" (start of window: p95 ms) {worst}" if slow else "")
          + f"; median window p95 {statistics.median(p for p, _ in p95s):.0f} ms")


def report_memory(phase: Phase, warm_up: float) -> None:
    rss = [mb for _, mb in phase.rss]
    if not rss:
        return
    start, end, peak = rss[0], rss[-1], max(rss)
    print(f"\n  {phase.name}: workers' RSS after the {warm_up:.0f} s warm-up {start:.1f} MB, after "
          f"{phase.elapsed / 60:.1f} min {end:.1f} MB: growth {100 * (end - start) / start:+.1f} %; "
          f"max {peak:.1f} MB ({100 * (peak - start) / start:+.1f} %); samples every {SAMPLE_EVERY_S:.0f} s:")
    print("    " + " ".join(f"{mb:.0f}" for mb in rss))


def save(phases: list[Phase], args: argparse.Namespace) -> None:
    path = RESULTS / f"load-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps({"args": vars(args), "phases": [{
        "name": ph.name, "rate": ph.rate, "seconds": ph.seconds, "sent": ph.sent, "ok": ph.ok,
        "achieved": ph.ok / ph.elapsed, "late": ph.late, "errors": ph.errors,
        "p50": ph.p(0.5), "p95": ph.p(0.95), "p99": ph.p(0.99), "max": max(ph.latencies or [0]),
        "by_kind": {k: {"n": len(v), "p50": statistics.median(v), "p95": percentile(v, 0.95)}
                    for k, v in ph.by_kind.items()},
        "generator_cpu_s": ph.generator_cpu, "server_cpu_s": ph.server_cpu, "elapsed_s": ph.elapsed,
        "machine_busy_pct": ph.machine_busy, "rss_mb": ph.rss} for ph in phases]}, indent=1))
    print(f"\n  saved {path.relative_to(ROOT)}")


# -- main ---------------------------------------------------------------------------------------
async def bench(args: argparse.Namespace, port: int, master: int, traffic: Traffic) -> list[Phase]:
    phases: list[Phase] = []
    if args.steady:
        first = args.steady
    elif args.soak:
        first = args.soak
    else:
        first = args.ramp_start
    warm_up = args.warm_up if args.warm_up is not None else (60 if args.soak else 30)
    if warm_up:
        warm_rate = args.warm_up_rate or first
        print(f"warm-up: {warm_up:.0f} s at {warm_rate:g} req/s (not counted)…", flush=True)
        done = await run_phase(Phase("warm-up", warm_rate, warm_up), port, master, traffic, args.timeout,
                               record=False)
        if done.errors:
            report([done], "warm-up")
    if args.steady:
        print(f"steady: {args.minutes:g} min at {args.steady:g} req/s…", flush=True)
        phase = await run_phase(Phase(f"steady {args.steady:g}/s", args.steady, args.minutes * 60),
                                port, master, traffic, args.timeout)
        phases.append(phase)
        report_kinds(phase)
        report_windows(phase)
        report_memory(phase, warm_up)
    if args.ramp:
        rate = args.ramp_start
        held = None
        while rate <= args.ramp_max:
            print(f"ramp: {args.step_seconds:g} s at {rate:g} req/s…", flush=True)
            phase = await run_phase(Phase(f"ramp {rate:g}/s", rate, args.step_seconds), port, master, traffic,
                                    args.timeout)
            phases.append(phase)
            print(f"  p95 {phase.p(0.95):.1f} ms, {phase.error_count} errors, {phase.late} late, achieved "
                  f"{phase.ok / phase.elapsed:.1f}/s", flush=True)
            if phase.error_count or not phase.p(0.95) < HOLD_P95_MS:
                break
            held = rate
            rate += args.ramp_step
            await asyncio.sleep(args.pause)
        print(f"\n  ramp: highest rate held with p95 < {HOLD_P95_MS:.0f} ms and no error: "
              f"{f'{held:g} req/s' if held else 'none'}")
        for phase in phases:
            if phase.name.startswith("ramp"):
                report_kinds(phase)
                report_windows(phase)
    if args.soak:
        print(f"soak: {args.minutes:g} min at {args.soak:g} req/s…", flush=True)
        phase = await run_phase(Phase(f"soak {args.soak:g}/s", args.soak, args.minutes * 60),
                                port, master, traffic, args.timeout)
        phases.append(phase)
        report_kinds(phase)
        report_windows(phase, 60)
        report_memory(phase, warm_up)
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--steady", type=float, metavar="RATE", help="requests/s for --minutes")
    what.add_argument("--ramp", action="store_true", help="steps of --step-seconds from --ramp-start")
    what.add_argument("--soak", type=float, metavar="RATE", help="requests/s for --minutes, memory followed")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--ramp-start", type=float, default=50)
    parser.add_argument("--ramp-step", type=float, default=25)
    parser.add_argument("--ramp-max", type=float, default=1000)
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument("--pause", type=float, default=5, help="seconds between two steps of the ramp")
    parser.add_argument("--warm-up", type=float, help="seconds at the first rate, not counted (30; soak: 60)")
    parser.add_argument("--warm-up-rate", type=float,
                        help="req/s of the warm-up instead of the first rate (a soak measured from a server "
                             "that has served as many requests as after a minute of real traffic)")
    parser.add_argument("--size", type=int, default=10000, help="courses of the synthetic offer")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (scripts/serve: 2)")
    parser.add_argument("--redis", default=REDIS_URL, help="RATELIMIT_STORAGE_URI of the server")
    parser.add_argument("--timeout", type=float, default=10, help="seconds before a request counts as failed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # Stopped by a signal (SIGINT is ignored in background jobs): stop the server on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = build_env()
    url = sqlite_offer(env, args.size) if args.database == "sqlite" else postgresql_offer(env, args.size)
    with serving(env, url, args.workers, args.redis) as (port, master):
        refs, assets = discover(port)
        print(f"Passerelle load — {os.cpu_count()} cores, {args.database}, {args.size:,} courses, gunicorn "
              f"{args.workers} sync workers, rate limits in {args.redis}, today fixed at {TODAY}; "
              f"{len(refs):,} visible refs drawn from, {len(assets)} assets; load average "
              f"{os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
        traffic = Traffic(args.seed, refs, assets)
        phases = asyncio.run(bench(args, port, master, traffic))
    report(phases, f"{args.database}, {args.size:,} courses, {args.workers} workers — "
                   f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    save(phases, args)


if __name__ == "__main__":
    main()
