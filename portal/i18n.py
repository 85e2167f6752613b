"""The languages of the portal, and which one a request speaks.

Eleven languages on the public side (the codes of api.md's ``lang``), four in the workspace
(French, Dutch, German, English). The language is always in the URL (``?lang=ar``), never in a
cookie: a URL without one is French. Every link built with ``url_for`` keeps it (``keep_language``);
the switcher offers the same page in every language it exists in; the visitor's browser language
(``Accept-Language``) is only offered, in one line, never imposed. Workspace pages speak the
account's language (chosen on the account page), or the URL's when it is a workspace language.
Each catalogue has a review status (``translations/status.toml``): a draft shows a short
"provisional translation" line."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.translations import TRANSLATIONS_DIR


@dataclass(frozen=True)
class Language:
    code: str  # in URLs and the API (BCP 47): "fa-AF"
    locale: str  # Babel's name: "fa_AF"
    name: str  # in itself, as the switcher shows it
    direction: str = "ltr"
    workspace: bool = False  # the workspace and the account pages speak it too

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


LANGUAGES: tuple[Language, ...] = (
    Language("fr", "fr", "Français", workspace=True),
    Language("nl", "nl", "Nederlands", workspace=True),
    Language("de", "de", "Deutsch", workspace=True),
    Language("en", "en", "English", workspace=True),
    Language("ar", "ar", "العربية", "rtl"),
    Language("fa-AF", "fa_AF", "دری", "rtl"),
    Language("ps", "ps", "پښتو", "rtl"),
    Language("ti", "ti", "ትግርኛ"),
    Language("uk", "uk", "Українська"),
    Language("ru", "ru", "Русский"),
    Language("tr", "tr", "Türkçe"),
)
BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}
BY_LOCALE: dict[str, Language] = {language.locale: language for language in LANGUAGES}
DEFAULT = BY_CODE["fr"]
CODES: tuple[str, ...] = tuple(BY_CODE)
WORKSPACE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES if language.workspace)
SOURCE_LOCALE = "en"  # the language of the msgids: it needs no catalogue

# The blueprints whose pages exist in every language; the others (accounts, workspace, bulk, and the
# cadastre's public page, written for coordinators, partners and the press) in the workspace
# languages only. A page outside any blueprint (a 404) is public.
PUBLIC_BLUEPRINTS = frozenset({"search", "core", "api", "guide", "selection", "alerts", None})
# Endpoints whose URLs never carry a language (files).
NO_LANGUAGE = frozenset({"static", "core.vendor", "core.favicon", "opendata.download"})


def review_status() -> dict[str, str]:
    """Each locale's review status: "reviewed" (a native speaker read it) or "draft"."""
    with open(TRANSLATIONS_DIR / "status.toml", "rb") as handle:
        return {locale: entry["status"] for locale, entry in tomllib.load(handle).items() if "status" in entry}


def is_draft(language: Language) -> bool:
    return review_status().get(language.locale, "draft") == "draft"


def _public_page() -> bool:
    return request.blueprint in PUBLIC_BLUEPRINTS


def asked_language() -> Language | None:
    """The language of the URL's ``lang``, when it is one of ours."""
    return BY_CODE.get(request.args.get("lang", "")) if has_request_context() else None


def available_here() -> tuple[Language, ...]:
    """The languages the current page exists in."""
    if not has_request_context() or _public_page():
        return LANGUAGES
    return tuple(language for language in LANGUAGES if language.workspace)


def page_language() -> Language:
    """The language this request speaks (see the module's docstring)."""
    if not has_request_context():
        return DEFAULT
    asked = asked_language()
    if asked is not None and asked in available_here():
        return asked
    user = _loaded_user()
    if not _public_page() and user is not None:
        return BY_CODE.get(getattr(user, "language", None) or "", DEFAULT)
    return DEFAULT


def _loaded_user() -> Any:
    """The signed-in user when the request has loaded it already; never a query of its own (an
    error page rendered while the database is down must not reach for it)."""
    user = g.get("_login_user")
    return user if user is not None and user.is_authenticated else None


def select_locale() -> str:
    return page_language().locale


def keep_language(endpoint: str, values: dict[str, Any]) -> None:
    """``url_for`` keeps the URL's language in every link to a page (not to files)."""
    if "lang" in values or endpoint in NO_LANGUAGE or not has_request_context():
        return
    asked = asked_language()
    if asked is not None and asked is not DEFAULT:
        values["lang"] = asked.code


def _this_page_in(language: Language) -> str:
    """The current URL with its language replaced (French: none)."""
    args = {key: values for key, values in request.args.lists() if key != "lang"}
    code = None if language is DEFAULT else language.code
    return url_for(request.endpoint, **{**(request.view_args or {}), **args, "lang": code})


def _linkable() -> bool:
    """A page one can link to in another language: a GET of a known route."""
    return request.endpoint is not None and request.method == "GET"


def switcher_links() -> list[dict[str, Any]]:
    """The current page in each language it exists in (the language's name in itself)."""
    if not _linkable():
        return []
    here = page_language()
    return [{"language": language, "url": _this_page_in(language), "current": language is here}
            for language in available_here()]


def _preferred_by_browser() -> Language | None:
    """The browser's preferred language among ours, when this page exists in it and is not French."""
    best = BY_CODE.get(request.accept_languages.best_match(CODES) or "")
    return best if best is not None and best is not DEFAULT and best in available_here() else None


def browser_offer() -> dict[str, str] | None:
    """When the URL has no language and the browser prefers another one this page exists in: one
    line, in that language, offering it (signed-in users chose theirs on the account page)."""
    if asked_language() is not None or not _linkable():
        return None
    if not _public_page() and _loaded_user() is not None:
        return None
    language = _preferred_by_browser()
    if language is None:
        return None
    with force_locale(language.locale):
        text = _("Read this page in %(language)s", language=language.name)
    return {"text": text, "url": _this_page_in(language), "code": language.code, "direction": language.direction}


def language_context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    here = page_language()
    return {"page_language": here, "draft_translation": is_draft(here) and here.locale not in ("fr",)}


def register_languages(app: Flask) -> None:
    """Links keep the language (the templates' part is in portal.templating)."""
    app.url_defaults(keep_language)
