#!/usr/bin/env python3
"""Import benchmark: ``flask offer import FILE`` of a generated regional offer (bench/search.py's
synthetic_offer: 40 courses per operator, 4 sites each, real Walloon places), run as the admin
runs it — a separate process — on a fresh database, timed, with the process's peak memory (its
maximum resident set size, from GNU time: Debian's `time` package). Three imports in a row: into
an empty database (every course created), the same file again (every course unchanged), then a
file where every title changed (every course updated). SQLite and PostgreSQL. Prints figures; asserts nothing.

    .venv/bin/python bench/import_offer.py                        # 100k on sqlite + postgresql
    .venv/bin/python bench/import_offer.py --sizes 10000 --backends sqlite
Generated files are kept in bench/results/ (gitignored) for the next run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search import bench_app, database_urls, synthetic_offer  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def offer_files(size: int) -> tuple[Path, Path]:
    """The generated offer and the same offer with every title changed (made once, then kept)."""
    RESULTS.mkdir(exist_ok=True)
    new, changed = RESULTS / f"offer-{size}.json", RESULTS / f"offer-{size}-changed.json"
    if not (new.exists() and changed.exists()):
        with bench_app("sqlite://").app_context():
            document = synthetic_offer(size)
        new.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        for operator in document["operators"]:
            for course in operator["courses"]:
                course["title"] += " (2)"
        changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return new, changed


def flask(url: str, *args: str) -> tuple[float, float, int, str]:
    """Run ``flask --app wsgi ARGS`` against ``url``: (seconds, CPU seconds, peak RSS in MB, stdout).
    Through GNU time: Linux counts in a child's peak the memory of the process that forked it (this
    one, which may hold a generated offer), and time(1) is small."""
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi", SECRET_KEY="bench")
    with tempfile.NamedTemporaryFile("r") as measures:
        started = time.perf_counter()
        process = subprocess.run(["/usr/bin/time", "-o", measures.name, "-f", "%U %S %M",
                                  str(ROOT / ".venv" / "bin" / "flask"), *args],
                                 cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed ({process.returncode}): {process.stderr[-2000:]}")
        user, system, peak_kb = measures.read().split()[-3:]
    return seconds, float(user) + float(system), int(peak_kb) // 1024, process.stdout


def reset(backend: str, url: str) -> None:
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine, text
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    flask(url, "db", "upgrade")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--imports", default="new,unchanged,changed", help="which of the three imports to run")
    args = parser.parse_args()
    print(f"{'database':10} {'courses':>8} {'import':10} {'s':>6} {'CPU s':>6} {'courses/s':>9} {'peak MB':>8}")
    for backend, url in database_urls(args.backends.split(",")):
        for size in (int(s) for s in args.sizes.split(",")):
            new, changed = offer_files(size)
            reset(backend, url)
            for label, path in (("new", new), ("unchanged", new), ("changed", changed)):
                if label not in args.imports.split(","):
                    continue
                seconds, cpu, peak, out = flask(url, "offer", "import", str(path))
                assert f"courses: {size if label == 'new' else 0} created" in out, out
                print(f"{backend:10} {size:8,} {label:10} {seconds:6.1f} {cpu:6.1f} {size / seconds:9,.0f} {peak:8}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
