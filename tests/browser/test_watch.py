"""The suite's own alarm: the watcher must see JS errors, console errors, dialogs and requests to
other hosts, or every "clean" result of the other tests would mean nothing."""
from __future__ import annotations

import pytest

from tests.browser.helpers import goto


def test_watch_sees_what_it_must(open_page, live_server):
    page, watch = open_page(320)
    goto(page, watch, live_server("/"))
    page.evaluate("""() => {
        console.error("console boom");
        setTimeout(() => { throw new Error("uncaught boom"); }, 0);
        fetch("https://tile.openstreetmap.org/0/0/0.png").catch(() => {});
        alert("dialog boom");
    }""")
    page.wait_for_timeout(200)

    assert any("uncaught boom" in error for error in watch.page_errors)
    assert any("console boom" in error for error in watch.console_errors)
    # The pages' Content-Security-Policy refuses the fetch before it reaches the network.
    assert any("Refused to connect" in error for error in watch.console_errors)
    # Without that policy (a blank page), the request is seen, and aborted.
    blank = page.context.new_page()
    blank.evaluate("() => fetch('https://tile.openstreetmap.org/0/0/0.png').catch(() => {})")
    blank.wait_for_timeout(200)
    assert watch.external_requests == ["https://tile.openstreetmap.org/0/0/0.png"]
    assert watch.dialogs == ["alert: dialog boom"]
    with pytest.raises(AssertionError, match="requests to other hosts"):
        watch.assert_clean()
