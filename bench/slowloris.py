"""Slow clients against gunicorn alone, then through nginx (README, "Production: several app
servers behind nginx"): one instance with 2 sync workers on the demo offer; 2 connections each
send a request's first line, then one header line every 5 s; meanwhile /healthz is asked every
0.5 s with a 5 s timeout, straight from gunicorn, then through nginx (its own timeout: 10 s for the
headers). Prints each probe's latency or failure. Needs nginx and a Redis (REDIS_URL)."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.deploy.stack import SlowClients, demo_stack, http_request, https_request, probe  # noqa: E402

SECONDS = float(os.environ.get("SLOWLORIS_SECONDS", "20"))


def report(name: str, answers: list) -> None:
    latencies = [latency for latency, outcome in answers if outcome == 200]
    failed = [outcome for _latency, outcome in answers if outcome != 200]
    worst = max(latencies) if latencies else float("nan")
    median = statistics.median(latencies) if latencies else float("nan")
    print(f"{name:<26} {len(answers):>3} probes  {len(latencies):>3} answered  {len(failed):>3} failed  "
          f"median {median * 1000:7.1f} ms  worst {worst * 1000:7.1f} ms  {sorted(set(map(str, failed)))}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="passerelle-slowloris-") as folder:
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        with demo_stack(Path(folder), instances=1, workers=2, redis_url=redis_url) as (instances, nginx):
            direct, proxied = instances[0].port, nginx.https_port
            report("gunicorn, no slow client", probe(lambda limit: http_request(direct, "GET", "/healthz", limit),
                                                     3, every=0.5, limit=5))
            with SlowClients(direct, count=2, every=5, tls=False):
                report("gunicorn, 2 slow clients", probe(lambda limit: http_request(direct, "GET", "/healthz", limit),
                                                         SECONDS, every=0.5, limit=5))
            instances[0].stop()  # gunicorn's workers may be stuck or killed: start afresh
            instances[0].start()
            instances[0].wait()
            with SlowClients(proxied, count=2, every=5, tls=True):
                report("nginx, 2 slow clients", probe(lambda limit: https_request(proxied, "GET", "/healthz", limit),
                                                      SECONDS, every=0.5, limit=5))


if __name__ == "__main__":
    main()
