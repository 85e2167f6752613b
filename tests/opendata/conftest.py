"""The offer of the open data tests: what the files must hold and what they must leave out."""
from __future__ import annotations

from pathlib import Path

import pytest

from portal.accounts.services import create_user
from tests import factories as f
from tests.people import PASSWORD

# Sign-in addresses: in no file, ever (they are no operator's public contact).
SIGN_IN_ADDRESSES = ("secret-signin-4711@private.example", "coordinator-0815@private.example")

FIXED = f.course("op-a-fixed", site_ref="site-namur", title="=HYPERLINK(\"http://evil.example\")",
                 kind="alpha_nf", level_min="alpha", level_max="A1", entry_mode="fixed",
                 entries=[{"start": "2027-02-01", "end": "2027-06-25", "registration_deadline": "2027-01-25",
                           "status": "open"},
                          {"start": "2027-09-06", "status": "waiting_list"}],
                 days=["mon", "thu"], parts_of_day=["morning"], hours_per_week=9, cost_eur=0, childcare=True,
                 requires_valid_residence_permit=True, description="Ligne 1\n-2+3 en colonne",
                 confirmed_at="2026-11-01")
ROLLING = f.course("op-a-rolling", site_ref="site-liege", title="Conversation du soir", kind="fle",
                   level_min="A2", level_max="B1", parts_of_day=["evening"], days=["tue"], hours_per_week=4.5,
                   cost_eur=20, active_from="2026-09-01", confirmed_at="2026-05-01")  # stale, still visible


@pytest.fixture()
def open_data_dir(app, tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "open-data"
    monkeypatch.setitem(app.config, "OPEN_DATA_DIR", str(directory))
    return directory


@pytest.fixture()
def offer(app_context):
    """Operator A: two visible courses (Namur, Liège), a draft, an archived course and one confirmed too long ago
    (at a third site, Arlon, which then has no visible course); operator B: only a draft. Accounts
    of both operators and a coordinator with distinctive sign-in addresses."""
    f.load(f.document(
        f.operator("op-a", sites=[f.site("site-namur", "5000", "Namur", reception_languages=["fr", "ar"]),
                                  f.site("site-liege", "4000", "Liège", street="Rue Léopold 2"),
                                  f.site("site-arlon", "6700", "Arlon")],
                   courses=[FIXED, ROLLING,
                            f.course("op-a-draft", site_ref="site-namur", status="draft"),
                            f.course("op-a-archived", site_ref="site-namur", status="archived"),
                            f.course("op-a-expired", site_ref="site-arlon", confirmed_at="2025-10-01")]),
        f.operator("op-b", name="Opérateur B (test)", email="info@b.example.org",
                   sites=[f.site("site-b", "6000", "Charleroi")],
                   courses=[f.course("op-b-draft", site_ref="site-b", status="draft")]),
    ))
    create_user(SIGN_IN_ADDRESSES[0], PASSWORD, "operator", operator_ref="op-a")
    create_user("b-signin-1234@private.example", PASSWORD, "operator", operator_ref="op-b")
    create_user(SIGN_IN_ADDRESSES[1], PASSWORD, "coordinator", bassin="Namur")
