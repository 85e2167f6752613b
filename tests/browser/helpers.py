"""Helpers of the browser suite: a watcher of JS errors and third-party requests, screenshots,
axe runs, and small map utilities."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

REPO_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_DIR / "test-artifacts" / "screenshots"
WIDTHS = (320, 1280)
HEIGHTS = {320: 720, 1280: 900}
LOCAL_HOST = "127.0.0.1"

_axe = Axe()


def is_local(url: str) -> bool:
    """Requests the page may make: the live server, and in-page data/blob URLs."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlsplit(url).hostname == LOCAL_HOST


@dataclass
class Watch:
    """Everything a page did wrong: JS exceptions, console errors, dialogs (alert() means an
    injected script ran), requests to any other host than the live server."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    # (url, status) of documents expected to answer with an error status: Chromium logs
    # "Failed to load resource: ... status of 404" for them, which is not a page bug.
    expected_error_documents: set[tuple[str, int]] = field(default_factory=set)

    def attach(self, context: BrowserContext) -> None:
        context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
        context.on("request", self._on_request)
        context.on("page", self.attach_page)

    def attach_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._on_console(page, message))
        page.on("dialog", self._on_dialog)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not is_local(request.url):
            self.external_requests.append(request.url)

    def _on_console(self, page: Page, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        for url, status in self.expected_error_documents:
            if location == url and message.text.startswith(
                    f"Failed to load resource: the server responded with a status of {status}"):
                return
        self.console_errors.append(f"{page.url}: {message.text} ({location})")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def requests_matching(self, pattern: str) -> list[str]:
        return [url for url in self.requests if re.search(pattern, url)]

    def assert_clean(self) -> None:
        problems = {
            "JS exceptions (pageerror)": self.page_errors,
            "console errors": self.console_errors,
            "requests to other hosts": self.external_requests,
            "dialogs (injected script ran?)": self.dialogs,
        }
        found = {name: items for name, items in problems.items() if items}
        assert not found, "\n".join(f"{name}:\n  " + "\n  ".join(items) for name, items in found.items())


def goto(page: Page, watch: Watch, url: str, status: int = 200) -> Response:
    if status >= 400:
        watch.expected_error_documents.add((url, status))
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
    return response


def screenshot(page: Page, name: str, width: int) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_maps(page: Page) -> None:
    """On wide screens the maps start at once: wait until they are drawn (a results map sets
    data-ready once its markers are in; a one-course map has its marker at once)."""
    if page.locator("[data-map-panel]:not([data-single])").count():
        page.wait_for_selector("[data-map-panel][data-ready=true]", state="attached")
    if page.locator("[data-map-panel][data-single]").count():
        page.wait_for_selector("[data-map-panel][data-single] .leaflet-marker-icon")


def axe_report(page: Page) -> tuple[int, str]:
    """Run axe-core (all default rules, best practices included) and format the violations."""
    results = _axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                lines.append(f"      * {check['message']}")
    return results.violations_count, "\n".join(lines)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def card_refs(page: Page) -> list[str]:
    return page.locator(".cards > .card").evaluate_all("cards => cards.map(c => c.dataset.ref)")


def publish_course(page: Page, title: str, *, day: str, start: str, kind: str = "fle") -> None:
    """Fill the open course form (levels A1–A2, one day, one start date), publish it, and check
    that it was saved."""
    page.fill("#title", title)
    page.select_option("#status", "published")
    page.select_option("#kind", kind)
    page.select_option("#level_min", "A1")
    page.select_option("#level_max", "A2")
    page.check(f"input[name=days][value={day}]")
    page.fill("#entries-0-start", start)
    with page.expect_navigation():
        page.click(".course-form button[type=submit]")
    assert "saved=1" in page.url
