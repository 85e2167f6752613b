#!/usr/bin/env python3
"""The portal's search next to Datasette's, over HTTP, on the same offer (issue 13, part 1).

bench/search.py's synthetic offer (plus registration deadlines, so that the rule is exercised) is
imported through the portal's real import into SQLite (and PostgreSQL for the portal-on-PostgreSQL
runs), the daily next-start job is run, then:
- the portal is served as scripts/serve serves it (gunicorn, gunicorn.conf.py, sync workers),
- Datasette (pinned, in its own virtualenv bench/.venv-datasette, never in requirements*.txt)
  serves a copy of the SQLite offer, immutable, with one canned query per kind of search
  (bench/datasette_twin.py: the same rules in SQL, bounding box + exact haversine),
and one client sends distinct searches as ``/api/v1/courses?…&per_page=20`` (no revalidation
headers), each followed or preceded by its Datasette twin (the order alternates), one keep-alive
connection per server. Each twin answer is checked equal to the portal's: the same refs on the
page in the same order, the same total. Free text has no twin: it is timed on the portal alone.

Prints p50/p95 per kind of search and run, the median over runs and the ratio portal ÷ Datasette,
then each server's trivial page and the floor: the same gunicorn serving bench/floor_app.py, which
only sends a full page of the portal's answer (what the server and the client cost around any
answer). Asserts nothing but the equality of the answers (exit code 1 when any differs).

    .venv/bin/python bench/datasette.py --sizes 1000 --backends sqlite --runs 3 --requests 300
The databases are kept in bench/results/datasette/ (by size) and reused while the generator and
the models are unchanged; PostgreSQL: BENCH_DATABASE_URL's server, database passerelle_bench_dt_<size>.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import inspect
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import datasette_twin, servers  # noqa: E402
from bench.datasette_twin import KINDS_OF_SEARCH, TEXT, Search, SearchMaker  # noqa: E402
from bench.search import TODAY, analyse, bench_app, offer_size, percentile, synthetic_offer  # noqa: E402
from portal.config import _normalise_database_url  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.derived import refresh_next_starts  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402

DATASETTE_VERSION = "0.65.1"
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"
RESULTS = ROOT / "bench" / "results" / "datasette"
TWIN_DATABASE = "offer"  # Datasette names a database after its file
WARM_UP = 36  # untimed searches per server before the runs (6 of each kind)


# -- the offer ----------------------------------------------------------------------------------
def with_deadlines(document: dict, seed: int = 13) -> dict:
    """About a third of the fixed entries get a registration deadline 0–45 days before their
    start: some already past on TODAY (registrations closed), some to come."""
    rng = random.Random(seed)
    for operator in document["operators"]:
        for course in operator["courses"]:
            for entry in course.get("entries", []):
                if rng.random() < 0.35:
                    start = dt.date.fromisoformat(entry["start"])
                    entry["registration_deadline"] = (start - dt.timedelta(days=rng.randint(0, 45))).isoformat()
    return document


def offer_key(size: int) -> str:
    """Changes when the offer or the schema would: the generator, the deadlines, today, the models."""
    digest = hashlib.sha256()
    for part in (inspect.getsource(synthetic_offer), inspect.getsource(with_deadlines), TODAY.isoformat(),
                 (ROOT / "portal" / "offer" / "models.py").read_text(), str(size)):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def load_offer(url: str, backend: str, size: int) -> float:
    """Import the offer into an empty database at ``url`` as an admin would, run the daily job of
    next starts, gather statistics. Returns the import's seconds."""
    app = bench_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        document = with_deadlines(synthetic_offer(size))
        started = time.perf_counter()
        import_offer(document, get_gazetteer(), TODAY)
        seconds = time.perf_counter() - started
        refresh_next_starts(TODAY)
        analyse(backend)
        db.session.remove()
        db.engine.dispose()
    return seconds


def cached(path: Path, key: str) -> bool:
    marker = path.with_suffix(".key")
    return marker.exists() and marker.read_text() == key


def sqlite_offer(size: int) -> Path:
    """The SQLite offer of ``size`` courses (built once, then reused)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"offer-{size}.sqlite3"
    key = offer_key(size)
    if not (path.exists() and cached(path, key)):
        path.unlink(missing_ok=True)
        print(f"  building the SQLite offer of {size:,} courses (import through the portal)…", flush=True)
        seconds = load_offer(f"sqlite:///{path}", "sqlite", size)
        print(f"  imported in {seconds:.0f} s", flush=True)
        path.with_suffix(".key").write_text(key)
    return path


def postgresql_offer(size: int) -> str | None:
    """The PostgreSQL database holding the offer of ``size`` courses (built once, then reused)."""
    base = make_url(_normalise_database_url(os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/passerelle_bench")))
    url = base.set(database=f"passerelle_bench_dt_{size}")
    try:
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                      {"n": url.database}).scalar():
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - report and skip
        print(f"PostgreSQL skipped: {exc}")
        return None
    rendered = url.render_as_string(hide_password=False)
    marker = RESULTS / f"postgresql-{size}.key"
    key = offer_key(size)
    app = bench_app(rendered)
    with app.app_context():
        ready = marker.exists() and marker.read_text() == key and offer_size() == size
        db.engine.dispose()
    if not ready:
        print(f"  building the PostgreSQL offer of {size:,} courses (import through the portal)…", flush=True)
        seconds = load_offer(rendered, "postgresql", size)
        print(f"  imported in {seconds:.0f} s", flush=True)
        marker.write_text(key)
    return rendered


def fresh_copy(source: Path, target: Path) -> Path:
    """A consistent copy (SQLite's backup API), in rollback-journal mode so that one file is all."""
    target.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    return target


# -- the servers --------------------------------------------------------------------------------
def ensure_datasette() -> Path:
    """bench/.venv-datasette with Datasette DATASETTE_VERSION (created when missing)."""
    executable = DATASETTE_VENV / "bin" / "datasette"
    if executable.exists():
        version = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout
        if DATASETTE_VERSION in version:
            return executable
    python = shutil.which("python3") or sys.executable
    print(f"  creating {DATASETTE_VENV.relative_to(ROOT)} with datasette=={DATASETTE_VERSION}…", flush=True)
    subprocess.run([python, "-m", "venv", "--clear", DATASETTE_VENV], check=True)
    subprocess.run([DATASETTE_VENV / "bin" / "pip", "install", "--quiet", f"datasette=={DATASETTE_VERSION}"],
                   check=True)
    return executable


@contextlib.contextmanager
def serving(command: list, ready_path: str, env: dict | None = None, log: Path | None = None) -> Iterator[str]:
    """Run a server until the block ends; yields its base URL."""
    with servers.serving(command, lambda port, _: servers.answers(f"http://127.0.0.1:{port}{ready_path}"),
                         env=env, log=log) as (port, _):
        yield f"http://127.0.0.1:{port}"


def portal_command(workers: int) -> list:
    # As scripts/serve: gunicorn reads gunicorn.conf.py from the repository's folder.
    return [Path(sys.executable).parent / "gunicorn", "--workers", workers, "--bind", "127.0.0.1:{port}",
            "--access-logfile", RESULTS / "portal-access.log", "wsgi:app"]


def portal_env(url: str, workers: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "PASSERELLE_TODAY": TODAY.isoformat(), "SECRET_KEY": "bench"}
    env.pop("PUBLIC_URL", None)
    if workers > 1:  # as scripts/serve: several workers count sign-in attempts in Redis
        env.setdefault("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    return env


def datasette_command(database: Path, metadata: Path) -> list:
    return [ensure_datasette(), "serve", "-i", database, "--metadata", metadata, "--host", "127.0.0.1",
            "--port", "{port}", "--setting", "sql_time_limit_ms", "20000"]


# -- timing -------------------------------------------------------------------------------------
class Client:
    """One keep-alive connection (requests.Session) per server; times each GET in ms."""

    def __init__(self, base: str) -> None:
        self.base, self.session = base, requests.Session()

    def get(self, path: str) -> tuple[float, dict | list]:
        started = time.perf_counter()
        response = self.session.get(self.base + path, timeout=60)
        body = response.content
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} from {self.base}{path}: {body[:500]!r}")
        return elapsed, json.loads(body)


class Differences:
    def __init__(self) -> None:
        self.count, self.checked, self.example = 0, 0, ""

    def check(self, search: Search, portal: dict, twin: list) -> None:
        self.checked += 1
        portal_refs = [item["ref"] for item in portal["items"]]
        twin_refs = [row["ref"] for row in twin]
        same = portal_refs == twin_refs and (not twin or twin[0]["total"] == portal["total"])
        if not same:
            self.count += 1
            if not self.example:
                self.example = (f"{search.portal_path}\n    portal total {portal['total']}: {portal_refs}\n"
                                f"    twin {search.twin[0]} total {twin[0]['total'] if twin else '-'}: {twin_refs}")


def run_once(searches: list[Search], portal: Client, twin: Client,
             differences: Differences) -> dict[str, dict[str, list[float]]]:
    """Times every search on both servers, interleaved; {kind: {"portal": [...], "datasette": [...]}}."""
    times: dict[str, dict[str, list[float]]] = {}
    for number, search in enumerate(searches):
        by_server = times.setdefault(search.kind, {"portal": [], "datasette": []})
        twin_path = search.twin_path(TWIN_DATABASE)
        order = ("portal", "datasette") if number % 2 == 0 else ("datasette", "portal")
        answers = {}
        for server in order:
            if server == "portal":
                elapsed, answers["portal"] = portal.get(search.portal_path)
            elif twin_path is not None:
                elapsed, answers["datasette"] = twin.get(twin_path)
            else:
                continue
            by_server[server].append(elapsed)
        if twin_path is not None:
            differences.check(search, answers["portal"], answers["datasette"])
    return times


def report(title: str, runs: list[dict[str, dict[str, list[float]]]]) -> None:
    print(f"\n{title}")
    print(f"  {'search (n per run)':36} {'portal p50':>10} {'p95':>7}  {'Datasette p50':>13} {'p95':>7}"
          f"  {'ratio p50':>9} {'p95':>5}")
    rows = [(kind, [run[kind] for run in runs]) for kind in KINDS_OF_SEARCH if kind in runs[0]]
    twinned = [kind for kind, _ in rows if kind != TEXT]
    overall = [{"portal": [t for kind in twinned for t in run[kind]["portal"]],
                "datasette": [t for kind in twinned for t in run[kind]["datasette"]]} for run in runs]
    rows.append(("ALL WITH A TWIN (text apart)", overall))
    details = []
    for kind, per_run in rows:
        figures = {}
        for server in ("portal", "datasette"):
            p50s = [statistics.median(run[server]) for run in per_run if run[server]]
            p95s = [percentile(run[server], 0.95) for run in per_run if run[server]]
            figures[server] = (statistics.median(p50s), statistics.median(p95s)) if p50s else None
            if p50s:
                details.append(f"  {kind:36} {server:9} p50 " + " ".join(f"{v:6.1f}" for v in p50s)
                               + "  p95 " + " ".join(f"{v:6.1f}" for v in p95s))
        p50, p95 = figures["portal"]
        label = f"{kind} ({len(per_run[0]['portal'])})"
        line = f"  {label:36} {p50:10.1f} {p95:7.1f}"
        if figures["datasette"]:
            d50, d95 = figures["datasette"]
            line += f"  {d50:13.1f} {d95:7.1f}  {p50 / d50:9.2f} {p95 / d95:5.2f}"
        else:
            line += f"  {'no twin':>13}"
        print(line)
    print("  (medians over the runs of each run's p50 and p95, ms; each run's figures:)")
    print("\n".join(details))
    sys.stdout.flush()


def bench(backend: str, size: int, args: argparse.Namespace, differences: Differences) -> None:
    offer = sqlite_offer(size)
    url = postgresql_offer(size) if backend == "postgresql" else None
    if backend == "postgresql" and url is None:
        return
    if backend == "sqlite":
        url = f"sqlite:///{fresh_copy(offer, RESULTS / 'portal.sqlite3')}"
    twin_database = fresh_copy(offer, RESULTS / f"{TWIN_DATABASE}.db")
    metadata = RESULTS / "metadata.json"
    metadata.write_text(json.dumps(datasette_twin.metadata(TWIN_DATABASE), indent=1))
    maker = SearchMaker(seed=size)
    with serving(portal_command(args.workers), "/healthz", portal_env(url, args.workers),
                 RESULTS / "portal.log") as portal_base, \
         serving(datasette_command(twin_database, metadata), "/-/versions.json",
                 log=RESULTS / "datasette.log") as twin_base:
        portal, twin = Client(portal_base), Client(twin_base)
        run_once(maker.searches(WARM_UP), portal, twin, differences)
        runs = [run_once(maker.searches(args.requests), portal, twin, differences) for _ in range(args.runs)]
        trivial = {"portal": [portal.get("/healthz")[0] for _ in range(50)],
                   "datasette": [twin.get("/-/versions.json")[0] for _ in range(50)]}
        body = portal.session.get(portal_base + "/api/v1/courses?per_page=20", timeout=60).content  # a full page
    floor = floor_times(body, args.workers, portal_env(url, args.workers))
    report(f"{backend} — {size:,} courses — portal: gunicorn, {args.workers} sync worker(s); Datasette "
           f"{DATASETTE_VERSION}: 1 process, SQLite — {args.runs} runs of {args.requests} searches", runs)
    print(f"  trivial endpoints (50 after the runs): portal /healthz p50 {statistics.median(trivial['portal']):.1f} "
          f"p95 {percentile(trivial['portal'], 0.95):.1f}; Datasette /-/versions.json p50 "
          f"{statistics.median(trivial['datasette']):.1f} p95 {percentile(trivial['datasette'], 0.95):.1f}")
    print(f"  floor: the same gunicorn serving a WSGI app that only sends a portal answer ({len(body):,} bytes), "
          f"300 requests: p50 {statistics.median(floor):.1f} p95 {percentile(floor, 0.95):.1f}")


def floor_times(body: bytes, workers: int, env: dict) -> list[float]:
    """What gunicorn (as the portal is served) and the client cost around an answer: bench/floor_app.py."""
    (RESULTS / "floor-body.json").write_bytes(body)
    command = portal_command(workers)
    command[command.index("wsgi:app")] = "bench.floor_app:app"
    env = dict(env, FLOOR_BODY=str(RESULTS / "floor-body.json"))
    with serving(command, "/", env, RESULTS / "floor.log") as base:
        floor = Client(base)
        for _ in range(WARM_UP):
            floor.get("/api/v1/courses")
        return [floor.get(f"/api/v1/courses?n={number}")[0] for number in range(300)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="timed searches per run (each kind in turn)")
    parser.add_argument("--workers", type=int, default=1,
                        help="gunicorn workers of the portal (Datasette is one process; one client)")
    args = parser.parse_args()
    # Stopped by a signal (SIGINT is ignored in background jobs): stop the servers on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_datasette()
    print(f"Portal ÷ Datasette — {os.cpu_count()} cores, today fixed at {TODAY}, one client, "
          f"load average {os.getloadavg()[0]:.1f}")
    differences = Differences()
    for size in (int(s) for s in args.sizes.split(",")):
        for backend in args.backends.split(","):
            bench(backend, size, args, differences)
    print(f"\nAnswers compared: {differences.checked}; different: {differences.count}")
    if differences.count:
        print(f"  first difference: {differences.example}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
