"""Fixtures of the bulk tests: the people of the role × route matrix with their offer, signed in."""
from __future__ import annotations

import pytest

from tests.bulk.helpers import make_bulk_people
from tests.people import signed_in_client


@pytest.fixture()
def people(app_context):
    return make_bulk_people()


@pytest.fixture()
def operator_a(app, people):
    return signed_in_client(app, people["operator A"])


@pytest.fixture()
def coordinator(app, people):
    return signed_in_client(app, people["coordinator"])
