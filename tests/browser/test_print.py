"""The print view of a course fits one A4 page (what a social worker hands to a learner)."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import screenshot

# The longest courses of the demo (most entries, notes and conditions).
REFS = ["demo-forem-charleroi-ran-test-entree-journee", "demo-lee-verviers-lire-ecrire-matin",
        "demo-lee-liege-alpha-emploi-apres-midi"]


@pytest.mark.parametrize("ref", REFS)
def test_print_view_fits_one_a4_page(open_page, live_server, ref):
    page, watch = open_page(1280)
    response = page.goto(live_server(f"/cours/{ref}/imprimer"))
    assert response.status == 200
    assert page.locator("h1").inner_text()
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the print view takes {pages} A4 pages"
    screenshot(page, f"print-{ref}", 1280)
    watch.assert_clean()
