"""The style sheets use logical properties only (ready for right-to-left languages), and the
public pages load no workspace styles."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = sorted((Path(__file__).resolve().parent.parent / "portal" / "static" / "css").glob("*.css"))
PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right|top|bottom)(?![\w-])|(?<![\w-])(left|right|top|bottom)\s*:"
    r"|(?<![\w-])(width|height|min-width|max-width|min-height|max-height)\s*:"
    r"|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)")


@pytest.mark.parametrize("path", CSS, ids=[path.name for path in CSS])
def test_only_logical_properties(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"@media[^{]*", "", text)  # media queries speak of the viewport's width
    found = [match.group(0) for match in PHYSICAL.finditer(text)]
    assert found == [], f"{path.name}: {found}"


def test_public_pages_do_not_load_the_workspace_styles(client):
    page = client.get("/").get_data(as_text=True)
    assert "css/site.css" in page and "css/workspace.css" not in page
    assert "css/workspace.css" in client.get("/connexion").get_data(as_text=True)
