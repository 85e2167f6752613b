"""Translations are code: every catalogue complete and compiled, every page renders in each locale."""
from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from portal.config import BASE_DIR
from portal.translations import TRANSLATIONS_DIR

CATALOGUES = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))


def test_there_is_a_french_catalogue():
    assert [path.parts[-3] for path in CATALOGUES] == ["fr"]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_complete_and_not_fuzzy(po_path):
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    missing = [message.id for message in catalog if message.id and (
        not all(message.string) if isinstance(message.string, tuple) else not message.string)]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert missing == [], f"untranslated: {missing}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_compiled(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime


def test_catalogue_has_every_string_of_the_code(tmp_path):
    """Extracting the code again finds no string that the French catalogue lacks."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."], cwd=BASE_DIR, check=True,
                   capture_output=True)
    with open(pot, "rb") as handle:
        wanted = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in read_po(handle) if message.id}
    with open(TRANSLATIONS_DIR / "fr/LC_MESSAGES/messages.po", "rb") as handle:
        have = {message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle) if message.id}
    assert sorted(wanted - have) == []


@pytest.mark.parametrize(("lang", "expected"), [("fr", "Trouver un cours de français"),
                                                ("en", "Find a French course")])
def test_search_page_renders_in_each_locale(client, lang, expected):
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert expected in page


def test_french_is_the_default_and_accept_language_is_honoured(client):
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en"' in page


def test_api_errors_follow_the_language(client):
    french = client.get("/api/v1/courses?level=B3").get_json()["error"]["message"]
    english = client.get("/api/v1/courses?level=B3&lang=en").get_json()["error"]["message"]
    assert "niveau" in french and "level" in english
