"""Alerts run on a fixed clock (``services.clock``) and a fixed "today" (the app's); the outbox
is the captured mail."""
from __future__ import annotations

import datetime as dt

import pytest

from portal.alerts import services
from tests import factories as f

NOW = dt.datetime(2026, 11, 27, 8, 0)  # UTC, as the database stores it; today is 2026-11-27
SEARCH = "near=5000&radius_km=15&level=A2"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    fixed = Clock(NOW)
    monkeypatch.setattr(services, "clock", fixed)
    return fixed


def namur_offer(**changes) -> dict:
    """op-a in Namur: a course open to registration (a session on 11 January), a course whose only
    session is full, a course of another level; op-l in Liège (out of a 15 km radius)."""
    courses = {
        "open-namur": f.course("open-namur", title="Français oral A2", entry_mode="fixed",
                               entries=[{"start": "2027-01-11", "registration_deadline": "2027-01-04"}]),
        "full-namur": f.course("full-namur", title="Français écrit A2", entry_mode="fixed",
                               entries=[{"start": "2027-02-01", "status": "full"}]),
        "b2-namur": f.course("b2-namur", title="Français B2", level_min="B2", level_max="C1"),
    }
    liege = {"liege": f.course("liege", "site-liege", title="Français à Liège")}
    for ref, course in changes.items():
        (liege if ref.startswith("liege") else courses)[ref] = course
    return f.document(
        f.operator("op-a", courses=[course for course in courses.values() if course is not None]),
        f.operator("op-l", name="Opérateur L (test)", sites=[f.site("site-liege", "4000", "Liège")],
                   courses=[course for course in liege.values() if course is not None]),
    )


@pytest.fixture()
def smtp(app, monkeypatch):
    """A mail server answered by the outbox tests' FakeSMTP, which keeps what it is sent."""
    import smtplib

    from tests.mail.test_outbox import FakeSMTP

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "down", False)
    monkeypatch.setattr(FakeSMTP, "refuse", set())
    monkeypatch.setattr(FakeSMTP, "sent", [])
    return FakeSMTP


@pytest.fixture()
def offer(app_context):
    f.load(namur_offer())
