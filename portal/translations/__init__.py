"""Translation catalogues. ``.po`` files are the source; ``.mo`` files are compiled from them by
``./scripts/*``, ``flask translate compile``, or at start-up when missing or older."""
from __future__ import annotations

from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent


def compile_if_needed() -> None:
    """Compile each catalogue whose .mo is missing or older than its .po (a few ms)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with open(po_path, "rb") as po_file:
                catalog = read_po(po_file)
            with open(mo_path, "wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError:  # read-only install: the deploy step compiles instead
            continue
