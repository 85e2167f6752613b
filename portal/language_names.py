"""The names of languages (ISO 639-1 codes, as a site's ``reception_languages`` holds them) in the
language of the page: Babel's data (CLDR), so that every code has a name in every locale of the
portal without a catalogue of ours. The few rare languages CLDR does not name in Pashto or
Tigrinya get their English name."""
from __future__ import annotations

from babel import Locale
from babel.lists import format_list
from flask_babel import get_locale

FALLBACK = Locale("en")
# The portal offers Dari; ISO 639-1 has one code, fa, for Persian and Dari.
_DARI = "fa_AF"


def _locale(locale: Locale | str | None) -> Locale:
    if locale is None:
        return get_locale() or FALLBACK
    return Locale.parse(locale) if isinstance(locale, str) else locale


def language_name(code: str, locale: Locale | str | None = None) -> str:
    """The name of ``code`` in ``locale`` (the page's language by default): "arabe" in French.
    ``fa`` is "persan (dari)", and "دری" for a reader of Dari."""
    locale = _locale(locale)
    names = locale.languages
    if code == "fa" and names.get(_DARI):
        if str(locale) == _DARI:
            return names[_DARI]
        if names.get("fa"):
            return f"{names['fa']} ({names[_DARI]})"
    return names.get(code) or FALLBACK.languages.get(code) or code


def language_list(codes: list[str], locale: Locale | str | None = None) -> str:
    """Several languages as a sentence says them: "arabe, anglais et ukrainien"."""
    locale = _locale(locale)
    return format_list([language_name(code, locale) for code in codes], locale=locale)


def language_choices(codes: tuple[str, ...] | list[str], locale: Locale | str | None = None) -> list[tuple[str, str]]:
    """(code, name) for checkboxes: each name starts with a capital, as a label does."""
    locale = _locale(locale)
    return [(code, _capitalised(language_name(code, locale))) for code in codes]


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]
