"""Accounts: operator, coordinator and admin users; sign-in and sign-out."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from portal.accounts import views  # noqa: E402,F401
