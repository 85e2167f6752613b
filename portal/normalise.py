"""Text as the portal compares and stores it: accent- and case-free (the gazetteer, the free-text
search, sort keys), slugs of refs, refs, blank fields, e-mail addresses, line ends."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# An e-mail address as forms and files may hold it: something@something.something, no space.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "ʼ": "'"})


# Arabic-Indic (٠–٩) and Persian (۰–۹) digits, as phones in those languages type them.
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)}})


def western_digits(text: str) -> str:
    """Digits typed in Arabic-Indic or Persian form as 0–9 (a postal code typed "٥٠٠٠" → "5000")."""
    return text.translate(_DIGITS)


def _combining_marks() -> re.Pattern[str]:
    """The combining marks of the Basic Multilingual Plane as one character class (built once, in
    a few milliseconds): removing them by regex is ~3× faster than testing each character."""
    ranges: list[list[int]] = []
    for point in range(0x10000):
        if unicodedata.combining(chr(point)):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    return re.compile("[" + "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "")
                                    for low, high in ranges) + "]+")


_COMBINING = _combining_marks()


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced form of ``text`` ("Liège " → "liege")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    if decomposed.isascii():
        stripped = decomposed
    elif max(decomposed) <= "\uffff":
        stripped = _COMBINING.sub("", decomposed)
    else:  # beyond the BMP (rare scripts, emoji): character by character
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def _geez_rows(pairs: tuple[tuple[int, int], ...]) -> dict[int, int]:
    """Each syllable of a Ge'ez row (8 orders) written like the same order of another row."""
    return {source + order: target + order for source, target in pairs for order in range(8)}


# Letters that people writing a place name use for one another (Tigrinya and Amharic write the
# same sound with several rows; Arabic, Dari and Pashto keyboards give different forms of a letter;
# Ukrainian and Russian spell the same name with є/е, і/и, э/е). ё/е, й/и, ї/і and the hamza forms of
# alef already fold with the accents (NFKD).
_SCRIPT_VARIANTS = str.maketrans({
    # Arabic letters: alef forms, ya and kaf forms, ta marbuta, Persian p and Arabic v as written in
    # Arabic (ب, ف); tatweel and zero-width non-joiner are not letters.
    "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ک": "ك", "ګ": "گ", "ة": "ه", "ە": "ه",
    "پ": "ب", "ڤ": "ف", "ـ": None, "\u200c": None,
    # Cyrillic: Ukrainian and Russian spellings of the same name.
    "є": "е", "э": "е", "і": "и", "ґ": "г", "ъ": None,
    **_geez_rows(((0x1210, 0x1200), (0x1280, 0x1200), (0x1220, 0x1230), (0x12D0, 0x12A0), (0x1340, 0x1338))),
    # Ge'ez: Tigrinya writes a vowel-initial name with ኣ where Amharic uses አ (or ዐ).
    0x12A0: 0x12A3, 0x12D0: 0x12A3,
})


def fold_name(text: str | None) -> str:
    """``fold`` that also treats hyphens and apostrophes as spaces ("la-louviere" = "La Louvière"),
    and folds the spelling variants of Arabic, Cyrillic and Ge'ez letters (``_SCRIPT_VARIANTS``)."""
    folded = fold(text).translate(_SCRIPT_VARIANTS)
    return _SPACES.sub(" ", re.sub(r"[-'_.]", " ", folded)).strip()


def ref_key(ref: str) -> str:
    """A ref as stored and compared: without surrounding spaces, in lower case (" Lee-Namur " →
    "lee-namur"; the exchange format's rule)."""
    return ref.strip().lower()


def line_ends(text: str) -> str:
    """``text`` with every line end as "\\n" (Windows "\\r\\n" and old Mac "\\r" alike), so that a
    text reads the same whether it came from a form, a CSV, a workbook or the command line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blank_to_none(text: str | None) -> str | None:
    """A text without its surrounding spaces; None when nothing is left (what the exchange format
    stores for an empty field)."""
    return (text or "").strip() or None


def slug(text: str | None, limit: int = 60) -> str:
    """The words of ``text`` as a piece of a ref or a file name ("Alpha du soir" → "alpha-du-soir")."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:limit]
