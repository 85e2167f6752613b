"""The spreadsheet columns about a row's place rather than its course: the languages its reception
desk speaks (``reception_languages``, "fr ar en"). A place has many rows (one per course): they must
all say the same. A place whose languages change goes into the imported document with its other
fields as stored, so that the exchange format's import writes it like any other change."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from portal.bulk.files import Problem, cell_text
from portal.offer.codes import MAX_RECEPTION_LANGUAGES, split_language_codes
from portal.offer.exchange import site_dict
from portal.offer.models import Site

COLUMN = "reception_languages"


def read_languages(text: str) -> tuple[list[str], list[str]]:
    """The language codes of a cell ("fr ar en", "FR, ar"), each once, and what is wrong with it."""
    found, unknown = split_language_codes(text)
    problems = [_("“%(code)s” is not a language code: write two-letter codes (ISO 639-1) separated by spaces, "
                  "for example “fr ar en” (“fa” for Dari).", code=word[:20]) for word in unknown]
    if len(found) > MAX_RECEPTION_LANGUAGES:
        problems.append(_("At most %(max)s languages.", max=MAX_RECEPTION_LANGUAGES))
    return found, problems


def sites_of_rows(site_cells: list[tuple[int, str | None, dict[str, Any]]],
                  stored: Mapping[str, Site]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The operator's places (``stored``, by ref) whose languages the rows change, in exchange form,
    and the cells' problems: a bad code, or a row saying other languages than an earlier row of the
    same place (in any order, the same codes are the same)."""
    chosen: dict[str, tuple[int, list[str]]] = {}
    problems = []
    for number, site_ref, cells in site_cells:
        languages, messages = read_languages(cell_text(cells.get(COLUMN)))
        problems += [Problem(message, row=number, column=COLUMN) for message in messages]
        if messages or not site_ref:
            continue
        first = chosen.setdefault(site_ref, (number, languages))
        if set(first[1]) != set(languages):
            problems.append(Problem(_("Row %(row)s gives other languages for the place “%(site)s” (%(languages)s): "
                                      "every row of a place gives the same ones.", row=first[0], site=site_ref,
                                      languages=" ".join(first[1]) or _("none")), row=number, column=COLUMN))
    return [_changed(stored[ref], languages) for ref, (_number, languages) in chosen.items()
            if ref in stored and stored[ref].reception_languages != languages], problems


def _changed(site: Site, languages: list[str]) -> dict[str, Any]:
    """``site`` in exchange form with these languages (a position the gazetteer chose stays its)."""
    data = dict(site_dict(site), reception_languages=languages)
    if not site.coordinates_given:
        data["lat"] = data["lon"] = None
    return data
