"""The cadastre counts what the public API shows, on the demo offer (225 courses, every entry case):
each area's courses per entries_state and next entry's status are the API's items counted, and
every count of the kind × level table is the total of the API's search for that cell."""
from __future__ import annotations

from collections import Counter

import pytest

from portal.demo import demo_document
from portal.geo.gazetteer import get_gazetteer
from portal.offer.services import import_offer
from tests.cadastre.helpers import figures
from tests.conftest import TODAY
from tests.html import parse

STATE_ROWS = {"joinable": "Open for registration", "registration_closed": "Registrations closed", "full": "Full",
              "none": "No start date known yet"}
NEXT_ROWS = {"open": "of which, next session: places open", "waiting_list": "of which, next session: waiting list"}


@pytest.fixture()
def demo(app_context):
    import_offer(demo_document(TODAY), get_gazetteer(), TODAY)


def _api_items(client, bassin: str | None) -> list[dict]:
    items, page = [], 1
    while True:
        query = f"per_page=100&page={page}" + (f"&bassin={bassin}" if bassin else "")
        found = client.get(f"/api/v1/courses?{query}").get_json()
        items += found["items"]
        if len(items) >= found["total"]:
            return items
        page += 1


@pytest.mark.parametrize("area", ["wallonia", "Namur", "Liège", "Communauté germanophone"])
def test_states_are_the_api_entries_states_counted(client, demo, area):
    bassin = None if area == "wallonia" else area
    items = _api_items(client, bassin)
    assert items, "the demo has courses in every area"
    states = Counter(item["entries_state"] for item in items)
    following = Counter(item["next_entry_status"] for item in items if item["entries_state"] == "joinable")
    table = figures(client.get(f"/cadastre?lang=en&area={area}").get_data(as_text=True), "table-states")
    assert {state: int(table[row][0]) for state, row in STATE_ROWS.items()} == {
        state: states[state] for state in STATE_ROWS}
    assert {status: int(table[row][0]) for status, row in NEXT_ROWS.items()} == {
        status: following[status] for status in NEXT_ROWS}
    assert int(table["All courses"][0]) == len(items)
    # The demo has every case somewhere.
    if area == "wallonia":
        assert all(states[state] for state in STATE_ROWS) and all(following[status] for status in NEXT_ROWS)


def test_every_cell_of_wallonia_is_the_total_of_its_search(client, demo):
    doc = parse(client.get("/cadastre?lang=en").get_data(as_text=True))
    cells = [link for link in doc.by_id("table-courses").select("td a")]
    assert len(cells) > 20
    for link in cells:
        query = link["href"].split("?", 1)[1] if "?" in link["href"] else ""
        found = client.get(f"/api/v1/courses?per_page=1&{query}").get_json()
        assert found["total"] == int(link.text), link["href"]
