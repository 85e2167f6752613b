"""Real-browser tests of the public pages: a live server on a SQLite file with the demo offer,
and headless Debian Chromium driven by Playwright (no downloaded browser, no network)."""
from __future__ import annotations

import base64
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, Response
from werkzeug.serving import WSGIRequestHandler, make_server

from portal.demo import demo_document
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.services import import_offer
from tests import factories
from tests.browser.helpers import HEIGHTS, Watch
from tests.conftest import TODAY, make_app

CHROMIUM = "/usr/bin/chromium"
BROWSER_DIR = Path(__file__).resolve().parent
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mPk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
# A title that would run a script if any page or popup treated operator text as HTML.
XSS_TITLE = 'Quokka <img src=x onerror=alert("xss")> `${1+1}` & fin'


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests; skip them all when Debian's chromium is not installed."""
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium); "
                                   "the browser suite never downloads a browser")
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
    }


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def _closing(wsgi_app):
    """Read each response whole and close it before sending it: when the browser drops a
    connection (a page closed while its favicon loads), the development server could leave a
    static file open, and an unclosed file is an error in these tests."""
    def app(environ, start_response):
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
    return app


@dataclass
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def _tile(z: int, x: int, y: int) -> Response:
    return Response(TILE_PNG, mimetype="image/png", headers={"Cache-Control": "max-age=3600"})


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    handle, path = tempfile.mkstemp(suffix=".db", prefix="passerelle-browser-")
    os.close(handle)
    app = make_app(f"sqlite:///{path}", SERVER_NAME=None, TILE_URL="/tiles-test/{z}/{x}/{y}.png")
    app.add_url_rule("/tiles-test/<int:z>/<int:x>/<int:y>.png", "tiles_test", _tile)
    with app.app_context():
        db.create_all()
        import_offer(demo_document(TODAY), get_gazetteer(), TODAY)
        db.session.remove()
    server = make_server("127.0.0.1", 0, _closing(app.wsgi_app), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()
        os.unlink(path)


@pytest.fixture(scope="session")
def xss_course(live_server) -> dict:
    """A separate operator whose course title is an HTML injection attempt (in Bouillon)."""
    doc = factories.document(factories.operator(
        ref="op-browser-xss", name="Opérateur XSS (test)",
        sites=[factories.site(ref="site-browser-xss", postal_code="6830", locality="Bouillon")],
        courses=[factories.course(ref="course-browser-xss", site_ref="site-browser-xss", title=XSS_TITLE)],
    ))
    with live_server.app.app_context():
        summary = import_offer(doc, get_gazetteer(), TODAY)
        db.session.remove()
    assert summary.courses.created == 1
    return {"ref": "course-browser-xss", "title": XSS_TITLE, "search": "/?q=quokka"}


@pytest.fixture()
def open_page(browser) -> Iterator[Callable]:
    """``open_page(width, javascript=True)`` → (page, watch) in a fresh context (French UI, as in Belgium)."""
    contexts = []

    def _open(width: int, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": HEIGHTS.get(width, 740)}, locale="fr-BE",
            java_script_enabled=javascript, service_workers="block",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        watch = Watch()
        watch.attach(context)
        page = context.new_page()
        return page, watch

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def accounts(live_server) -> dict[str, str]:
    """A demo operator's user and a Namur coordinator (with its second factor)."""
    from portal.accounts.services import create_user
    from tests.people import PASSWORD, with_second_factor

    with live_server.app.app_context():
        create_user("lee-namur@example.org", PASSWORD, "operator", operator_ref="demo-lee-namur")
        with_second_factor(create_user("coord-namur@example.org", PASSWORD, "coordinator", bassin="Namur"))
        db.session.remove()
    return {"operator": "lee-namur@example.org", "coordinator": "coord-namur@example.org"}
