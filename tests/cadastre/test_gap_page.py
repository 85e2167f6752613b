"""The gap page (/cadastre/ecarts) through HTTP: the sentence and the table agree with the gap API
on a small offer, each row names the nearest course and its next entry; errors sit beside their
field with what was typed kept, and answer 400; the map's script is served on its own, with
Leaflet from the site and no other host. "today" is 2026-11-27 (the test configuration)."""
from __future__ import annotations

import re

from tests import factories as f
from tests.html import parse

PAGE = "/cadastre/ecarts"
AT_NAMUR = f.site("site-namur", "5000", "Namur", lat=50.4669, lon=4.8675)
FLOREFFE, NAMUR = "92045", "92094"


def _offer() -> None:
    # FLE A2–B1 at Namur's point, a fixed entry on 7 December 2026; a RAN course does not count.
    f.load_courses(f.course("fle-b1", kind="fle", level_min="A2", level_max="B1", entry_mode="fixed",
                            entries=[{"start": "2026-12-07", "status": "open"}]),
                   f.course("ran-1", kind="ran"), sites=[AT_NAMUR])


def test_first_visit_shows_the_form_with_20_km(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    doc = parse(response.get_data(as_text=True))
    assert doc.one("input#km")["value"] == "20"
    assert doc.select("#table-gaps") == [] and doc.select("#map_gaps") == []


def test_sentence_and_table_agree_with_the_api(client):
    _offer()
    query = {"kind": "fle", "level": "B1", "area": "Namur", "km": "20"}
    response = client.get(PAGE, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    api = client.get("/api/v1/cadastre/gaps", query_string={"kind": "fle", "level": "B1", "bassin": "Namur",
                                                              "min_km": "20"}).get_json()
    assert api["communes"] and api["courses_considered"] == 1
    doc = parse(response.get_data(as_text=True))
    answer = doc.one("p.answer").text
    assert str(api["population"]) in re.sub(r"\s", "", answer)  # 130 903, the thousands spaced
    assert f"{len(api['communes'])} communes" in answer and "20 km" in answer and "FLE B1" in answer
    assert "2020" in doc.one("p.source").text and "Statbel" in doc.one("p.source").text
    rows = doc.select("#table-gaps tbody tr")
    assert [row.one("th").text for row in rows] == [c["name"] for c in api["communes"]]
    first = rows[0].select("td")
    assert first[1].text.startswith(str(api["communes"][0]["nearest_km"]).replace(".", ","))
    assert first[2].one("a")["href"] == "/cours/fle-b1"
    assert "7 décembre 2026" in first[3].text
    assert FLOREFFE not in {c["nis_code"] for c in api["communes"]}
    assert doc.one("#map_gaps")
    script = doc.select("script[src]")[-1]["src"]
    assert script.startswith("/cadastre/ecarts/carte.js?") and "km=" not in script


def test_map_script_is_local_javascript(client):
    _offer()
    response = client.get("/cadastre/ecarts/carte.js", query_string={"kind": "fle", "level": "B1", "area": "Namur"})
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    script = response.get_data(as_text=True)
    assert 'L.map(\n                "map_gaps"' in script or '"map_gaps"' in script
    # Nothing is loaded from another host: the tiles are the site's (TILE_URL), the only address
    # is the attribution's link to the map's copyright.
    assert '"/tiles-test/{z}/{x}/{y}.png"' in script
    assert re.findall(r"https?://[^\\\"]+", script) == ["https://www.openstreetmap.org/copyright"]
    assert "<script" not in script and "<style" not in script
    # Every commune of the bassin is drawn, Namur itself (0 km) in the nearest band.
    assert script.count('"nis":') == 38 or script.count('"nis": ') >= 30
    assert "#ffffcc" in script and "#253494" in script
    assert client.get("/cadastre/ecarts/carte.js?kind=nope").status_code == 400


def test_errors_beside_their_field_with_what_was_typed(client):
    response = client.get(PAGE, query_string={"kind": "", "level": "Z9", "area": "Atlantis", "km": "far"})
    assert response.status_code == 400
    doc = parse(response.get_data(as_text=True))
    for name in ("kind", "level", "area", "km"):
        field = doc.one(f"#{name}")
        assert field["aria-invalid"] == "true"
        assert f"{name}-error" in field["aria-describedby"]
        assert doc.one(f"#{name}-error").closest(".field") is field.closest(".field")
    assert doc.one("input#km")["value"] == "far"
    assert doc.one("#level option[selected]")["value"] == "Z9"
    assert doc.one("#area option[selected]")["value"] == "Atlantis"
    assert doc.select("#table-gaps") == []


def test_a_negative_distance_is_refused(client):
    response = client.get(PAGE, query_string={"kind": "fle", "km": "-3"})
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).one("#km-error")


def test_linked_from_the_cadastre(client):
    assert 'href="/cadastre/ecarts?area=wallonia"' in client.get("/cadastre").get_data(as_text=True)


def test_the_page_its_map_and_its_files_count_the_table_once(app, client, monkeypatch):
    from portal.cadastre import gaps, kept

    _offer()
    monkeypatch.setitem(app.config, "CADASTRE_CACHE_SECONDS", 300)
    monkeypatch.setattr(kept, "_KEPT", {})
    counted = []
    considered = gaps.considered_points
    monkeypatch.setattr(gaps, "considered_points", lambda *args: counted.append(args) or considered(*args))
    query = "kind=fle&level=B1&area=Namur"
    pages = [client.get(f"{PAGE}?{query}&km={km}") for km in ("20", "5")]
    script = client.get(f"/cadastre/ecarts/carte.js?{query}")
    files = client.get(f"/cadastre/ecarts/tableau.csv?{query}&km=20")
    assert [r.status_code for r in (*pages, script, files)] == [200] * 4
    assert len(counted) == 1  # every commune once; each distance narrows the kept table
    api = client.get("/api/v1/cadastre/gaps?kind=fle&level=B1&bassin=Namur&min_km=5").get_json()
    listed = [row.one("th").text for row in parse(pages[1].get_data(as_text=True)).select("#table-gaps tbody tr")]
    assert listed == [commune["name"] for commune in api["communes"]]  # narrowed as the API's min_km
    assert len(counted) == 2  # the API counts afresh
