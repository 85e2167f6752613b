"""Servers a benchmark starts and stops: a free loopback port, and a process (in its own process
group) that runs until the block ends, once it answers."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """True when ``url`` answers 200."""
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status == 200
    return False


@contextlib.contextmanager
def serving(command: list, ready: Callable[[int, subprocess.Popen], bool], *, env: dict | None = None,
            log: Path | None = None, port: int | None = None,
            stop_seconds: float = 10) -> Iterator[tuple[int, subprocess.Popen]]:
    """Run ``command`` ("{port}" in it: ``port``, else a free one) until the block ends, once
    ``ready(port, process)`` says so (within 30 s); yields (port, process)."""
    port = port or free_port()
    command = [str(part).replace("{port}", str(port)) for part in command]
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} stopped (exit {process.returncode}); see {log}")
            if ready(port, process):
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"{command[0]} did not answer in 30 s; see {log}")
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()
