"""The OpenAPI document says what the API does (issue 8, 2.17): each query parameter's schema
accepts exactly the values the API accepts, empty values and `lang` included; what a schema cannot
say (a parameter that needs another, a name looked up) is in its description."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.search.filters import LANGUAGE_CODES
from tests import factories as f

API = "/api/v1/courses"
JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
JSON_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")

# Values tried for each parameter alone (with near=5000 for radius_km); spaces only where the
# schema speaks of them (patterns), none at the end of a line ("$" differs between regex engines).
SAMPLES = {
    "kind": ["fle", "fle,ran", " fle , ran", "", ",,,", "FLE", "xx", "fle ran", "fle;ran", "fle,xx"],
    "level": ["A1", "a1", " B2 ", "alpha", "ALPHA", "", "B3", "A1,A2", "A"],
    "near": ["5000", "", "Namur", "50.46,4.86"],
    "radius_km": ["5", "0.5", "1000", "1e2", "", "0", "-1", "1001", "abc", "nan", "inf"],
    "start_from": ["2027-01-15", "", "2027-02-30", "15/01/2027", "2027-1-5", "99999-01-01", "2026-11-27"],
    "start_until": ["2027-01-15", "", "2026-11-27", "2027-02-30", "tomorrow"],
    "part_of_day": ["morning", "morning,evening", "", "night", "Morning"],
    "day": ["mon", "mon,,tue", "", "monday", "sat,sun"],
    "free": ["1", "0", "", "true", "TRUE", " yes ", "Off", "oui", "2"],
    "childcare": ["1", "", "maybe"],
    "job_oriented": ["1", "no", "x"],
    "sector": ["care", "", "xx", "CARE", " care "],
    "audience": ["women", "", "everyone", "all"],
    "bassin": ["Namur", "namur", "", "Liège", "Liege"],
    "q": ["francais", "", "a b c d e f g h i j", "a b c d e f g h i j k", "x" * 200, "x" * 201,
          "  deux   mots"],
    "sort": ["title", "next_entry", "", "foo", " title ", "Title"],
    "page": ["1", "100000", "100001", "0", "", "abc", "1.5", "-1"],
    "per_page": ["1", "100", "101", "0", ""],
    "lang": [*LANGUAGE_CODES, "", "xx", "FR", "fa-af", "fr-BE", "fa"],
}
# What the API refuses for a reason its schema cannot hold: (parameters, the parameter named,
# words of that parameter's description that say it).
DOCUMENTED_REFUSALS = [
    ({"near": "", "radius_km": "5"}, "radius_km", "non-empty `near`"),
    ({"radius_km": "5"}, "radius_km", "non-empty `near`"),
    ({"near": "", "sort": "distance"}, "sort", "non-empty `near`"),
    ({"start_until": "2026-11-26"}, "start_until", "today"),
    ({"start_from": "2027-03-01", "start_until": "2027-02-01"}, "start_until", "Before `start_from`"),
    ({"near": "Atlantide"}, "near", "400 `unknown_place`"),
    ({"bassin": "Atlantide"}, "bassin", "another name is a 400"),
]


def conforms(schema: dict, value: str) -> bool:
    """A query string value against the JSON Schema keywords the document uses."""
    if "anyOf" in schema:
        return any(conforms(option, value) for option in schema["anyOf"])
    kind = schema.get("type", "string")
    if kind in ("number", "integer"):
        if not (JSON_INTEGER if kind == "integer" else JSON_NUMBER).fullmatch(value):
            return False
        number = float(value)
        return (number >= schema.get("minimum", -float("inf")) and number <= schema.get("maximum", float("inf"))
                and number > schema.get("exclusiveMinimum", -float("inf")))
    assert kind == "string", schema
    if "enum" in schema and value not in schema["enum"]:
        return False
    if len(value) > schema.get("maxLength", len(value)):
        return False
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return False
    if schema.get("format") == "date":
        try:
            return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(dt.date.fromisoformat(value))
        except ValueError:
            return False
    return True


@pytest.fixture()
def document(client) -> dict:
    f.load_courses(f.course("c1"))
    return client.get("/api/v1/openapi.json").get_json()


def parameters_of(document: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}


@pytest.mark.parametrize("path", [API, "/api/v1/courses.geojson"])
def test_each_schema_accepts_exactly_what_the_api_accepts(client, document, path):
    parameters = parameters_of(document, path.removeprefix("/api/v1"))
    assert set(SAMPLES) == set(parameters)
    disagreements = []
    for name, values in SAMPLES.items():
        for value in values:
            query = {name: value, **({"near": "5000"} if name == "radius_km" else {})}
            response = client.get(path, query_string=query)
            assert response.status_code in (200, 400), (query, response.status_code)
            accepted = response.status_code == 200
            if not accepted:
                assert response.get_json()["error"]["parameter"] == name, (query, response.get_json())
            if conforms(parameters[name]["schema"], value) != accepted:
                disagreements.append((name, value, response.status_code))
    assert disagreements == []


@pytest.mark.parametrize(("query", "parameter", "said"), DOCUMENTED_REFUSALS)
def test_what_a_schema_cannot_say_is_in_the_description(client, document, query, parameter, said):
    parameters = parameters_of(document, "/courses")
    assert all(conforms(parameters[name]["schema"], value) for name, value in query.items())
    response = client.get(API, query_string=query)
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == parameter
    assert said in parameters[parameter]["description"]


def test_the_course_detail_takes_the_same_lang(client, document):
    detail = parameters_of(document, "/courses/{ref}")
    assert detail["lang"] == parameters_of(document, "/courses")["lang"]
    for value in SAMPLES["lang"]:
        response = client.get(f"{API}/c1", query_string={"lang": value})
        assert (response.status_code == 200) == conforms(detail["lang"]["schema"], value), value
        if response.status_code == 400:
            assert response.get_json()["error"]["parameter"] == "lang"


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_language_of_api_md_is_accepted_and_answers_in_that_language(client, lang):
    f.load_courses(f.course("c1"))
    assert client.get(API, query_string={"lang": lang}).status_code == 200
    message = client.get(API, query_string={"lang": lang, "level": "B3"}).get_json()["error"]["message"]
    french = client.get(API, query_string={"lang": "fr", "level": "B3"}).get_json()["error"]["message"]
    assert (message == french) == (lang == "fr") and "B3" in message
    # Even when the browser prefers English: the language asked for wins.
    response = client.get(API, query_string={"lang": lang, "level": "B3"}, headers={"Accept-Language": "en"})
    assert response.get_json()["error"]["message"] == message


def test_lang_given_twice_is_refused(client):
    response = client.get(f"{API}?lang=fr&lang=en")
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == "lang"


def test_the_document_lists_the_503(document):
    for path in ("/courses", "/courses.geojson", "/courses/{ref}"):
        answer = document["paths"][path]["get"]["responses"]["503"]
        assert "Retry-After" in answer["headers"]
    codes = document["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert {"invalid_parameter", "unknown_place", "not_found", "unavailable"} <= set(codes)


# The gap table's parameters (issue 12), each tried with kind=fle (kind alone).
GAP_SAMPLES = {
    "kind": ["fle", "fle,ran", " fle , ran", ",fle", "fle,,", "", ",,,", "FLE", "xx", "fle ran", "fle,xx"],
    "level": ["B1", "b1", " C1 ", "", "B3", "A1,A2"],
    "bassin": ["Namur", "namur", "", "Communauté germanophone", "communaute germanophone"],
    "min_km": ["0", "5", "20.5", "1e2", "", "-1", "-0.1", "abc", "nan", "inf", "10km", "1_0"],
    "lang": ["fr", "en", "", "xx", "FR"],
}


@pytest.mark.parametrize("path", ["/api/v1/cadastre/gaps", "/api/v1/cadastre/gaps.csv"])
def test_each_gap_schema_accepts_exactly_what_the_api_accepts(client, document, path):
    parameters = parameters_of(document, path.removeprefix("/api/v1"))
    assert set(GAP_SAMPLES) == set(parameters) and parameters["kind"]["required"]
    disagreements = []
    for name, values in GAP_SAMPLES.items():
        for value in values:
            query = {"kind": "fle", name: value}
            response = client.get(path, query_string=query)
            assert response.status_code in (200, 400), (query, response.status_code)
            accepted = response.status_code == 200
            if not accepted:
                assert response.get_json()["error"]["parameter"] == name, (query, response.get_json())
            if conforms(parameters[name]["schema"], value) != accepted:
                disagreements.append((name, value, response.status_code))
    assert disagreements == []


def test_the_gap_table_answers_as_its_schema_says(client, document):
    schema = document["components"]["schemas"]["GapTable"]
    body = client.get("/api/v1/cadastre/gaps", query_string={"kind": "fle", "min_km": "5"}).get_json()
    assert list(body) == schema["required"]
    assert list(body["communes"][0]) == schema["properties"]["communes"]["items"]["required"]
    response = client.get("/api/v1/cadastre/gaps", query_string={"kind": "fle", "min_km": "1e400"})
    assert response.get_json()["error"]["parameter"] == "min_km"
    assert "`1e400`" in parameters_of(document, "/cadastre/gaps")["min_km"]["description"]
    # A name the schema cannot check: said in the description.
    response = client.get("/api/v1/cadastre/gaps", query_string={"kind": "fle", "bassin": "Atlantide"})
    assert response.get_json()["error"]["parameter"] == "bassin"
    assert "another name is a 400" in parameters_of(document, "/cadastre/gaps")["bassin"]["description"]
