"""Template context is registered once: the factory's register_templating for the whole site, one
context processor for the workspace; views pass what templates show (no counting, no queries in
Jinja)."""
from __future__ import annotations

import re
from pathlib import Path

from portal.config import BASE_DIR

PORTAL = BASE_DIR / "portal"
TEMPLATES = PORTAL / "templates"
REGISTRATIONS = re.compile(r"app_context_processor|app_template_filter|app_template_global|jinja_env\.globals"
                           r"|add_template_filter|add_template_global|\.context_processor\b")


def test_site_wide_template_helpers_come_from_the_factory(app):
    env = app.jinja_env
    assert {"get_locale", "codes", "rules"} <= set(env.globals)
    assert {"km", "number", "share"} <= set(env.filters)
    with app.test_request_context("/"):
        context = {}
        for processor in app.template_context_processors[None]:
            context.update(processor())
        assert {"tile_url", "tile_attribution", "site_name", "map_assets"} <= set(context)


def test_templating_is_registered_in_one_place_per_area():
    found = {}
    for path in PORTAL.rglob("*.py"):
        hits = REGISTRATIONS.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(PORTAL))] = len(hits)
    # The site's (templating.py) and the workspace's (its package's __init__).
    assert found == {"templating.py": 6, "workspace/__init__.py": 1}, found


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))


def test_templates_do_no_counting_and_run_no_query():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        # A namespace is how Jinja counts; the rows of a table come from the view, not from a call.
        for pattern in (r"namespace\(", r"\bsite_rows\(", r"\bdb\.", r"\.query\b", r"\bselect\("):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []
