"""Signed, time-limited tokens for the links we e-mail (invitations, password resets).

itsdangerous signs with SECRET_KEY and a salt per purpose, so a token made for one purpose is
worthless for another; the timestamp inside limits its life."""
from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVITATION = "passerelle-invitation"
PASSWORD_RESET = "passerelle-password-reset"


class TokenError(ValueError):
    """The link is broken (``expired`` False) or too old (``expired`` True)."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(purpose: str, payload: Any) -> str:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age_seconds: int) -> Any:
    """The payload of a valid token; raises TokenError."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)
    try:
        return serializer.loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except BadSignature as exc:
        raise TokenError(expired=False) from exc
