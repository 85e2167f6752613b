"""What each catalogue must hold, and how far it is: the rules that the tests enforce and that
``flask translate coverage`` and ``flask translate export`` show.

The strings of the public pages (told by the files that use them, kept in the template as
``#: file`` lines) are wanted in every language; the others (workspace, accounts, bulk, e-mails to
operators) in the workspace languages only. A wanted string is translated, not fuzzy, keeps the
placeholders of its source, differs from its source unless the locale lists it as the same
(``status.toml``: names such as "Forem", words spelled alike such as Dutch "Status"), and the
catalogue is written mostly in its own script."""
from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from portal.translations import TRANSLATIONS_DIR

TEMPLATE = TRANSLATIONS_DIR / "messages.pot"
# Files of the public side: their strings are wanted in every language.
PUBLIC_FILES = ("portal/templates/base.html", "portal/templates/_language_switcher.html",
                "portal/templates/search/", "portal/templates/components/", "portal/templates/errors/",
                "portal/templates/guide/", "portal/search/", "portal/api/",
                "portal/labels.py", "portal/core/", "portal/templating.py", "portal/geo/", "portal/guide/",
                "portal/i18n.py", "portal/__init__.py", "portal/security.py",
                # What the person is handed or subscribes to: the selection and its sheet, the
                # alerts (their pages, e-mails and feed).
                "portal/templates/selection/", "portal/selection/", "portal/templates/alerts/", "portal/alerts/",
                # The gap table's API messages (the API speaks every public language).
                "portal/cadastre/gap_parameters.py")
# The script most of a catalogue's letters are in.
SCRIPTS = {"ar": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
           "fa_AF": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
           "ps": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
           "ti": "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f", "uk": "\u0400-\u04ff", "ru": "\u0400-\u04ff"}
LATIN = "A-Za-z\u00c0-\u024f"
MOSTLY = 0.8  # share of a catalogue's letters in its script
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _strings(value: str | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def load(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def catalogue_path(locale: str) -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"


def settings() -> dict[str, dict]:
    with open(TRANSLATIONS_DIR / "status.toml", "rb") as handle:
        return tomllib.load(handle)


def public_ids(template: Catalog | None = None) -> set[str]:
    """The strings the public pages use."""
    template = template or load(TEMPLATE)
    return {_key(message) for message in template if message.id
            and any(location.startswith(PUBLIC_FILES) for location, _line in message.locations)}


def wanted_ids(locale: str, template: Catalog | None = None) -> set[str]:
    from portal.i18n import BY_LOCALE

    template = template or load(TEMPLATE)
    language = BY_LOCALE[locale]
    if language.workspace:
        return {_key(message) for message in template if message.id}
    return public_ids(template)


@dataclass
class Coverage:
    locale: str
    wanted: int = 0
    translated: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.wanted if self.wanted else 100.0


def _placeholders(texts: list[str]) -> set[str]:
    return {found for text in texts for found in PLACEHOLDER.findall(text)}


def _check_message(message: Message, same: set[str], report: Coverage) -> None:
    sources, translations = _strings(message.id), _strings(message.string)
    key = _key(message)
    if not translations or not all(translations):
        report.problems.append(f"untranslated: {key!r}")
        return
    report.translated += 1
    if message.fuzzy:
        report.problems.append(f"fuzzy: {key!r}")
    if translations[0] == sources[0] and key not in same:
        report.problems.append(f"same as its source: {key!r}")
    allowed = _placeholders(sources)
    for text in translations:
        found = _placeholders([text])
        if not found <= allowed or (len(sources) == 1 and found != allowed):
            report.problems.append(f"placeholders differ: {key!r} → {text!r}")


def coverage(locale: str, template: Catalog | None = None) -> Coverage:
    """How far the catalogue of ``locale`` is, and what is wrong with it."""
    template = template or load(TEMPLATE)
    wanted = wanted_ids(locale, template)
    report = Coverage(locale, wanted=len(wanted))
    path = catalogue_path(locale)
    if not path.exists():
        report.problems.append(f"no catalogue at {path}")
        return report
    catalogue = load(path, locale)
    same = {*settings()["all"]["same_as_source"], *settings().get(locale, {}).get("same_as_source", [])}
    have = {_key(message): message for message in catalogue if message.id}
    letters = own = 0
    script = f"[{SCRIPTS.get(locale, LATIN)}]"
    for key in sorted(wanted):
        message = have.get(key)
        if message is None:
            report.problems.append(f"missing: {key!r}")
            continue
        _check_message(message, same, report)
        text = PLACEHOLDER.sub("", " ".join(_strings(message.string)))
        alphabetic = [char for char in text if char.isalpha()]
        letters += len(alphabetic)
        own += sum(1 for char in alphabetic if re.match(script, char))
    if letters and own / letters < MOSTLY:
        report.problems.append(f"only {own / letters:.0%} of the letters are in the locale's script")
    return report


def export_for_review(locale: str) -> str:
    """The catalogue as a CSV sheet for a reviewer: each wanted string with its English source,
    the French page's words (the reference), the translation, and the files that use it."""
    template = load(TEMPLATE)
    wanted = wanted_ids(locale, template)
    french = {_key(message): message for message in load(catalogue_path("fr"), "fr") if message.id}
    translated = {_key(message): message for message in load(catalogue_path(locale), locale) if message.id}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["english", "english_plural", "french", locale, "files", "correction"])
    for message in template:
        key = _key(message) if message.id else None
        if key not in wanted:
            continue
        sources = _strings(message.id)
        writer.writerow([sources[0], sources[1] if len(sources) > 1 else "",
                         " | ".join(_strings(french[key].string)) if key in french else "",
                         " | ".join(_strings(translated[key].string)) if key in translated else "",
                         " ".join(sorted({location for location, _line in message.locations})), ""])
    return out.getvalue()
