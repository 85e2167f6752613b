"""Building the open data files: once a day by the job ``open_data`` (or ``flask opendata build``),
and at the first request of a server that has none. One build at a time per directory (its lock);
whoever waited for the lock reads what the build wrote instead of building again."""
from __future__ import annotations

import datetime as dt
import time
from contextlib import ExitStack
from pathlib import Path

from portal.api.serializers import geojson_feature
from portal.db import utc_now
from portal.offer.exchange import course_dict
from portal.opendata.columns import Row
from portal.opendata.queries import VisibleOffer, courses_in_order, read_snapshot, visible_offer
from portal.opendata.store import (
    FILES,
    LICENCE,
    LICENCE_URL,
    PLACES_CREDIT,
    BuildBusy,
    Manifest,
    build_lock,
    read_manifest,
    remove_leftovers,
    replacing,
    write_manifest,
)
from portal.opendata.writers import CourseTableWriter, FeatureCollectionWriter, OfferDocumentWriter
from portal.search.queries import describe
from portal.urls import public_url_for

# How long a request waits for another's build before answering "try again" (a build of the demo
# offer takes a fraction of a second; of 100,000 courses, about a minute: see the README).
REQUEST_WAIT_SECONDS = 20.0


def ensure_files(directory: Path, today: dt.date, wait: float | None = None) -> Manifest:
    """The manifest of the files, built first when they are missing; raises BuildBusy when
    another build holds the lock longer than ``wait`` seconds (REQUEST_WAIT_SECONDS)."""
    manifest = read_manifest(directory)
    if manifest is not None:
        return manifest
    with build_lock(directory, REQUEST_WAIT_SECONDS if wait is None else wait):
        return read_manifest(directory) or build_files(directory, today)


def run_build(directory: Path, today: dt.date) -> str:
    """The job: build the files unless a build is running (it is then not started again)."""
    try:
        with build_lock(directory):
            return build_files(directory, today).summary()
    except BuildBusy:
        return "another build of the open data is running: not started again"


def build_files(directory: Path, today: dt.date) -> Manifest:
    """Write the three files for ``today`` beside their places, rename them over the old ones, then
    write the manifest. Call it holding the lock."""
    started = time.perf_counter()
    remove_leftovers(directory)
    with read_snapshot(), ExitStack() as stack:
        offer = visible_offer(today)
        paths = {file.key: stack.enter_context(replacing(directory / file.filename)) for file in FILES}
        courses = _write(offer, today, paths)
        sizes = {key: path.stat().st_size for key, path in paths.items()}
    manifest = Manifest(date=today.isoformat(), built_at=utc_now().isoformat(timespec="seconds") + "Z",
                        seconds=round(time.perf_counter() - started, 2), courses=courses,
                        operators=len(offer.operators), sites=offer.sites, sizes=sizes)
    write_manifest(directory, manifest)
    return manifest


def feature_collection_members(today: dt.date) -> dict[str, str]:
    """The GeoJSON's own members: what it is, its date, its licence and the credit it asks for."""
    return {"name": f"Passerelle: Alpha, FLE and RAN courses in Wallonia, {today.isoformat()}",
            "date": today.isoformat(), "licence": LICENCE, "licence_url": LICENCE_URL,
            "attribution": f"Passerelle, {today.isoformat()}. Places: {PLACES_CREDIT}",
            "source": public_url_for("opendata.page")}


def _write(offer: VisibleOffer, today: dt.date, paths: dict[str, Path]) -> int:
    """Write the three files; the number of courses written."""
    written = 0
    with ExitStack() as stack:
        opened = {key: stack.enter_context(path.open("w", encoding="utf-8", newline=""))
                  for key, path in paths.items()}
        document = OfferDocumentWriter(opened["json"])
        table = CourseTableWriter(opened["csv"])
        collection = FeatureCollectionWriter(opened["geojson"], feature_collection_members(today))
        operator_id = None
        for course in courses_in_order(offer):
            if course.operator_id != operator_id:
                operator_id = course.operator_id
                document.start_operator(offer.operators[operator_id], offer.sites_of[operator_id])
            exchange = course_dict(course)
            hit = describe(course, today)
            feature = geojson_feature(hit)
            document.course(exchange)
            collection.feature(feature)
            table.row(Row(hit, exchange, feature["properties"]["url"]))
            written += 1
        for writer in (document, table, collection):
            writer.close()
    return written
