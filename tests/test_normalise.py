"""fold() removes combining marks by one regex over the Basic Multilingual Plane: it must give
what testing each character with unicodedata gives, for every character."""
import unicodedata

import pytest

from portal.normalise import _LIGATURES, _SPACES, fold


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def test_every_character_folds_as_testing_each_character_does():
    # Each character of every plane, in runs of 64 between letters that take accents.
    points = [p for p in range(0x110000) if not 0xD800 <= p <= 0xDFFF]
    different = []
    for start in range(0, len(points), 64):
        text = "e" + "a".join(chr(p) for p in points[start:start + 64]) + "É"
        if fold(text) != reference_fold(text):
            different.append(hex(points[start]))
    assert different == []


@pytest.mark.parametrize("text, folded", [
    ("  Liège   Œuvre ", "liege oeuvre"),
    ("Français écrit", "francais ecrit"),
    ("ṩ̃ 𝔄 mot", reference_fold("ṩ̃ 𝔄 mot")),  # beyond the BMP: the slow road
    ("", ""),
    (None, ""),
])
def test_fold(text, folded):
    assert fold(text) == folded
