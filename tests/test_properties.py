"""Property tests (Hypothesis, issue 13, item 6) of the two parsers every hostile request and file
goes through: the search's filter parser and the exchange document's validator. Whatever they are
given, they answer with filters or with errors that name what is wrong — never another exception —
and a document the validator accepts imports and exports back to itself."""
from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from portal.geo.gazetteer import get_gazetteer
from portal.offer.checker import MAX_PROBLEMS
from portal.offer.validation import OfferDocumentError, validate_document
from portal.search.filters import PARAMETERS, CourseFilters, InvalidFilters, parse_filters
from tests import factories as f
from tests.conftest import TODAY

SETTINGS = settings(max_examples=300, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# Values people and robots send: codes, numbers, dates, places, scripts, controls, long strings.
TEXT = st.one_of(
    st.sampled_from(["", "fle", "A1", "alpha", "5000", "Namur", "Lüttich", "٥٠٠٠", "2026-12-01", "2026-02-30",
                     "1e309", "-1", "nan", "0", "20", "9" * 40, "true", "no", "mon", "evening", "distance",
                     " fle , ran ", "%00", "\u202e", "ǅ", "𝔉𝔏𝔈"]),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),
)
NAMES = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=12))


@SETTINGS
@given(pairs=st.lists(st.tuples(NAMES, TEXT), max_size=12))
def test_the_filter_parser_answers_filters_or_named_errors(pairs):
    args = MultiDict(pairs)
    try:
        filters = parse_filters(args, get_gazetteer(), TODAY)
    except InvalidFilters as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.parameter in args or error.parameter in PARAMETERS, error
            assert error.message.strip()
        return
    assert isinstance(filters, CourseFilters)
    assert 1 <= filters.page and 1 <= filters.per_page <= 100
    assert filters.radius_km is None or 0 < filters.radius_km <= 1000
    if filters.start_from and filters.start_until:
        assert filters.start_from <= filters.start_until


# -- the exchange document ------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**20, max_value=10**20) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25)


def valid_document() -> dict:
    return f.document(
        f.operator("op-a", sites=[f.site("site-namur", "5000", "Namur")],
                   courses=[f.course("c1", site_ref="site-namur", kind="fle", level_min="A1", level_max="B1",
                                     entry_mode="fixed", entries=[{"start": "2027-01-11",
                                                                   "registration_deadline": "2027-01-04"}]),
                            f.course("c2", site_ref="site-namur", kind="ran")]))


def paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


def _validate(document) -> None:
    try:
        validate_document(document, get_gazetteer())
    except OfferDocumentError as exc:
        assert exc.errors and len(exc.errors) <= MAX_PROBLEMS
        assert all(isinstance(error, str) and error.strip() for error in exc.errors)


@SETTINGS
@given(document=JSON_VALUES)
def test_the_validator_refuses_any_json_with_its_reasons(document):
    _validate(document)


@SETTINGS
@given(data=st.data())
def test_the_validator_refuses_a_broken_document_with_its_reasons(data):
    """A valid document with one value replaced anywhere (or removed) is validated or refused
    with its errors — never a crash."""
    document = valid_document()
    where = data.draw(st.sampled_from(list(paths(document))[1:]))
    broken = copy.deepcopy(document)
    parent = broken
    for key in where[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()):
        parent[where[-1]] = data.draw(JSON_VALUES)
    elif isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent.pop(where[-1])
    _validate(broken)


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=120), hours=st.floats(min_value=0.5, max_value=40),
       days=st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1, unique=True))
def test_an_accepted_document_exports_back_to_itself(app_context, title, hours, days):
    from portal.extensions import db
    from portal.offer.services import export_offer, import_offer

    document = valid_document()
    course = document["operators"][0]["courses"][0]
    course.update(title=title, hours_per_week=round(hours, 1), days=days)
    try:
        validate_document(copy.deepcopy(document), get_gazetteer())
    except OfferDocumentError:
        assume(False)  # a title of spaces only, say: refused with its reason, as above
    import_offer(copy.deepcopy(document), get_gazetteer(), today=TODAY)
    exported = export_offer()
    again = copy.deepcopy(exported)
    import_offer(again, get_gazetteer(), today=TODAY)
    assert json.dumps(export_offer(), sort_keys=True) == json.dumps(exported, sort_keys=True)
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
