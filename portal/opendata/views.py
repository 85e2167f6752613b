"""``/donnees-ouvertes``: the page that says what the files are, their licence and how to credit
them; ``/donnees-ouvertes/<file>``: the files themselves, as static files (ETag, Last-Modified,
ranges, an hour in caches). A server without files builds them at its first request (once)."""
from __future__ import annotations

from babel.units import format_unit
from flask import abort, render_template, send_from_directory
from flask_babel import get_locale
from werkzeug.exceptions import ServiceUnavailable

from portal.i18n import page_language
from portal.offer import rules
from portal.opendata import bp
from portal.opendata.build import ensure_files
from portal.opendata.columns import COLUMNS
from portal.opendata.store import BY_FILENAME, FILES, LICENCE_URL, PLACES_CREDIT, BuildBusy, Manifest, open_data_dir
from portal.permissions import public

# The files change once a day: caches keep them an hour, then ask again (ETag, Last-Modified).
MAX_AGE = 3600
RETRY_AFTER = 60


def _files() -> Manifest:
    try:
        return ensure_files(open_data_dir(), rules.today())
    except BuildBusy:
        raise ServiceUnavailable(retry_after=RETRY_AFTER) from None


def file_size(size: int) -> str:
    """A file's size as the page's language writes it: "850 ko", "12,4 Mo"."""
    if size < 1_000_000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=get_locale())
    return format_unit(size / 1_000_000, "digital-megabyte", length="short", locale=get_locale(), format="#,##0.#")


def licence_deed() -> str:
    """The licence's summary (deed) in the page's language."""
    return f"{LICENCE_URL}deed.{page_language().code}"


@bp.get("/donnees-ouvertes")
@public
def page():
    manifest = _files()
    return render_template("opendata/page.html", manifest=manifest, files={file.key: file for file in FILES},
                           columns=COLUMNS, licence_deed=licence_deed(), places_credit=PLACES_CREDIT,
                           file_size=file_size)


@bp.get("/donnees-ouvertes/<filename>")
@public
def download(filename: str):
    file = BY_FILENAME.get(filename)
    if file is None:
        abort(404)
    manifest = _files()
    response = send_from_directory(open_data_dir(), file.filename, mimetype=file.mimetype, as_attachment=True,
                                   download_name=file.download_name(manifest.day), max_age=MAX_AGE)
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    # Open data: other sites' pages and tools may fetch it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
