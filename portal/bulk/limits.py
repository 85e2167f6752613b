"""What keeps one import from hurting everyone else: every uploaded file is read in a child process
with a memory and CPU limit (a 60 KB workbook can unpack into gigabytes of cells), one import runs
at a time on a machine, and each account may import so many files an hour."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context, render_template
from flask_babel import format_datetime, format_time
from flask_babel import gettext as _
from flask_login import current_user

from portal.config import Config

READER = Path(__file__).with_name("reader.py")
TOO_COMPLEX = {"refused": "too_complex"}


def _setting(name: str) -> Any:
    return current_app.config.get(name, getattr(Config, name)) if has_app_context() else getattr(Config, name)


def read_in_child(kind: str, data: bytes, limits: dict[str, int]) -> dict[str, Any]:
    """``reader.read(kind, data, limits)``, computed by a child process limited to
    IMPORT_PARSE_MEMORY_MB of memory, IMPORT_PARSE_CPU_SECONDS of processor time and
    IMPORT_PARSE_TIMEOUT_SECONDS in all; a child that exceeds them (or fails) answers TOO_COMPLEX.
    The child is a fresh interpreter (never a fork of this worker and its database connections)."""
    memory = int(_setting("IMPORT_PARSE_MEMORY_MB")) * 1024 * 1024
    # The answer holds at most the file's text, escaped: far less than the child's memory.
    max_answer = memory // 4
    settings = dict(limits, memory_bytes=memory, cpu_seconds=int(_setting("IMPORT_PARSE_CPU_SECONDS")),
                    max_answer_bytes=max_answer)
    command = [sys.executable, "-I", str(READER), kind, json.dumps(settings)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            finished = subprocess.run(command, input=data, stdout=out, stderr=err, check=False,
                                      timeout=float(_setting("IMPORT_PARSE_TIMEOUT_SECONDS")))
        except subprocess.TimeoutExpired:  # run() has killed it
            _log("took longer than IMPORT_PARSE_TIMEOUT_SECONDS")
            return TOO_COMPLEX
        size = out.seek(0, 2)
        if finished.returncode != 0 or size > max_answer:
            err.seek(max(0, err.seek(0, 2) - 2000))
            _log(f"stopped (exit code {finished.returncode}, {size} bytes): "
                 f"{err.read().decode('utf-8', 'replace').strip()[-500:]}")
            return TOO_COMPLEX
        out.seek(0)
        try:
            return json.loads(out.read())
        except (ValueError, RecursionError):
            _log("answered something that is not JSON")
            return TOO_COMPLEX


def _log(message: str) -> None:
    if has_app_context():
        current_app.logger.warning("Import: reading the file in a child process %s", message)


class ImportBusy(Exception):
    """Another import is running on this machine."""


@contextmanager
def import_slot() -> Iterator[None]:
    """Hold the machine's one import slot (a lock on IMPORT_LOCK_FILE, shared by the web workers
    of the machine) for the time of an import; raises ImportBusy at once when it is taken."""
    path = Path(current_app.config["IMPORT_LOCK_FILE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:  # "a": created when missing, never emptied
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportBusy() from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- imports per account ----------------------------------------------------------------------
def import_rate_limit() -> str:
    """IMPORT_RATE_LIMIT, e.g. "10 per hour"."""
    return current_app.config["IMPORT_RATE_LIMIT"]


def importer() -> str:
    """Imports are counted per account, wherever they come from."""
    return f"imports:{current_user.id}"


def anonymous() -> bool:
    """Anonymous requests are sent to the sign-in page, not counted."""
    return not current_user.is_authenticated


def counted(response: Any) -> bool:
    """An import refused because another one was running is not counted."""
    return response.status_code != 503


def too_many_imports(limit: Any):
    """The page of an account that has imported too many files lately: when it may import again."""
    again = dt.datetime.fromtimestamp(limit.reset_at, dt.UTC)
    today = dt.datetime.now(dt.UTC)
    when = format_time(again, "short") if format_datetime(again, "yyyyMMdd") == format_datetime(
        today, "yyyyMMdd") else format_datetime(again, "short")
    response = current_app.make_response((render_template(
        "errors/error.html", heading=_("Too many imports for now"),
        message=_("This account has imported %(num)s files in a short time, the most it may. Nothing was "
                  "imported from this one. You can import again at %(time)s.", num=limit.limit.amount, time=when)),
        429))
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - today.timestamp())))
    return response
