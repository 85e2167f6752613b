"""The offer core knows none of its faces: nothing in portal/offer imports the search, the API, the
workspace, the accounts, the permissions or the cadastre (they all build on the offer, never the
reverse)."""
from __future__ import annotations

import ast

import pytest

from portal.config import BASE_DIR

OFFER = BASE_DIR / "portal" / "offer"
FACES = ("portal.search", "portal.api", "portal.workspace", "portal.accounts", "portal.permissions",
         "portal.jobs", "portal.mail", "portal.cadastre")


def imported_modules(tree: ast.AST) -> list[str]:
    """Every module an ``import`` or ``from … import`` names, at any depth (imports inside
    functions count: they are the usual way round a cycle)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("path", sorted(OFFER.glob("*.py")), ids=lambda p: p.name)
def test_offer_imports_none_of_its_faces(path):
    modules = imported_modules(ast.parse(path.read_text(encoding="utf-8")))
    faces = sorted({m for m in modules if any(m == face or m.startswith(face + ".") for face in FACES)})
    assert faces == []


def test_the_check_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from portal.search.words import match_words\nimport portal.api.views\n")
    assert "portal.search.words.match_words" in imported_modules(tree)
    assert "portal.api.views" in imported_modules(tree)
