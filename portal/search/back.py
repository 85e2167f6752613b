""""Back to the search": a course opened from a list carries the list's search in its ``back``
parameter (the search's query string), and its page links back to exactly that search.

Only the query travels, never a path or a host: the link is always this site's search page with
the search parameters found in it (anything else dropped), so it can never be an open redirect.
Without a usable ``back``, the link goes to the plain search page."""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from flask import url_for

from portal.search.filters import PARAMETERS

# A search's query is a few hundred characters; anything much longer is not one of ours.
MAX_BACK_LENGTH = 2000
MAX_BACK_ITEMS = 60
# The back link lands on the list, not on the form above it.
RESULTS_ANCHOR = "#results"


def _search_items(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The search parameters among these, empty ones dropped. The language is not one: the page
    that links back gives its own."""
    return [(key, value) for key, value in items if key in PARAMETERS and value.strip() != ""]


def back_value(args: Iterable[tuple[str, str]]) -> str | None:
    """The ``back`` parameter of a search page's links to courses: this search's query, or None
    when it has no parameter (the plain search page is where the link goes anyway)."""
    return urlencode(_search_items(args)) or None


def checked_back(value: str | None) -> str | None:
    """``value`` rebuilt as the query of a search (search parameters only), or None."""
    if not value or len(value) > MAX_BACK_LENGTH:
        return None
    items = _search_items(parse_qsl(value, keep_blank_values=True))
    if not items or len(items) > MAX_BACK_ITEMS:
        return None
    return urlencode(items)


def back_link(back: str | None) -> str:
    """Where "Back to the search" leads: the search of ``back`` in the page's language, on its
    list; without one, the search page."""
    home = url_for("search.index")  # "/", or "/?lang=ar" in another language than French
    if back is None:
        return home
    return home + ("&" if "?" in home else "?") + back + RESULTS_ANCHOR
