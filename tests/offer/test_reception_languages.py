"""A site's ``reception_languages`` in the exchange format: ISO 639-1 codes, validated with their
JSON path, de-duplicated, at most 20, stored, exported as given, round-trip equal."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.offer import codes
from portal.offer.models import Site
from portal.offer.services import export_offer
from tests import factories as f
from tests.offer.test_exchange import errors_of, exported_site, only_error, row_counts, summary, wipe


def site_doc(languages, **overrides):
    return f.document(f.operator(sites=[f.site("s1", reception_languages=languages, **overrides)], courses=[]))


def test_languages_are_stored_and_exported_in_the_given_order(app_context):
    f.load(site_doc(["ar", "fr", "en"]))
    assert exported_site("s1")["reception_languages"] == ["ar", "fr", "en"]
    assert db_site("s1").reception_languages_text == "ar,fr,en"


def test_a_site_without_languages_exports_an_empty_list(app_context):
    f.load(f.document(f.operator(sites=[f.site("s1")], courses=[])))
    assert exported_site("s1")["reception_languages"] == []


def test_duplicates_are_dropped_and_case_and_spaces_ignored(app_context):
    f.load(site_doc(["ar", " AR ", "Uk", "ar", "uk"]))
    assert exported_site("s1")["reception_languages"] == ["ar", "uk"]


@pytest.mark.parametrize("value", ["fa-AF", "fa_AF", "ara", "xx", "", "a", 12, None, ["ar"]])
def test_a_code_outside_iso_639_1_is_an_error_with_its_path(app_context, value):
    error = only_error(site_doc(["fr", value]))
    assert error.startswith("operators[0].sites[0].reception_languages[1]: ")
    assert "is not an ISO 639-1 language code" in error
    assert row_counts()["Site"] == 0


def test_every_bad_code_is_listed(app_context):
    errors = errors_of(site_doc(["zz", "fr", "dari", "fa"]))
    assert [e.split(": ")[0] for e in errors] == ["operators[0].sites[0].reception_languages[0]",
                                                  "operators[0].sites[0].reception_languages[2]"]


def test_not_a_list_is_an_error(app_context):
    assert only_error(site_doc("fr ar")) == "operators[0].sites[0].reception_languages: must be a list"


def test_at_most_twenty_languages(app_context):
    twenty = sorted(codes.ISO_639_1)[:20]
    f.load(site_doc(twenty + twenty[:5]))  # duplicates do not count
    assert exported_site("s1")["reception_languages"] == twenty
    error = only_error(site_doc(sorted(codes.ISO_639_1)[:21]))
    assert error == "operators[0].sites[0].reception_languages: has more than 20 languages"


def test_changing_the_languages_updates_the_site_and_nothing_else(app_context):
    doc = site_doc(["fr", "ar"])
    f.load(doc)
    assert f.load(copy.deepcopy(doc)).as_dict() == summary(operators=(0, 0, 1), sites=(0, 0, 1))
    doc["operators"][0]["sites"][0]["reception_languages"] = ["fr", "ar", "ti"]
    assert f.load(doc).as_dict() == summary(operators=(0, 0, 1), sites=(0, 1, 0))
    assert exported_site("s1")["reception_languages"] == ["fr", "ar", "ti"]
    doc["operators"][0]["sites"][0]["reception_languages"] = []
    f.load(doc)
    assert exported_site("s1")["reception_languages"] == []


def test_a_document_without_the_key_empties_the_list(app_context):
    """The format's lists default to empty: an import is the site as the document says."""
    f.load(site_doc(["ar"]))
    f.load(f.document(f.operator(sites=[f.site("s1")], courses=[])))
    assert exported_site("s1")["reception_languages"] == []


def test_round_trip(app_context):
    f.load(f.document(f.operator(
        sites=[f.site("s1", reception_languages=["fr", "ar", "fa", "ps"]),
               f.site("s2", postal_code="6700", locality="Arlon", reception_languages=["de", "lb"])],
        courses=[f.course(ref="c1", site_ref="s1")])))
    first = export_offer()
    wipe()
    f.load(copy.deepcopy(first))
    assert export_offer() == first
    assert [s["reception_languages"] for s in first["operators"][0]["sites"]] == [["fr", "ar", "fa", "ps"],
                                                                                  ["de", "lb"]]


def test_the_portal_languages_are_iso_codes():
    assert set(codes.PORTAL_LANGUAGES) <= codes.ISO_639_1
    assert len(codes.ISO_639_1) == 183
    assert all(len(code) == 2 and code.isascii() and code.islower() for code in codes.ISO_639_1)
    assert not {"bh", "mo", "sh", "iw", "in", "ji"} & codes.ISO_639_1  # withdrawn


def db_site(ref: str) -> Site:
    return db.session.scalars(select(Site).where(Site.ref == ref)).one()
