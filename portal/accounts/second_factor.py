"""The second factor: time-based one-time codes (TOTP, RFC 6238) from an authenticator app."""
from __future__ import annotations

import time

import pyotp
import segno

ISSUER = "Passerelle"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """The otpauth:// address that authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The QR code of ``uri`` as inline SVG markup (no image file, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#1b1f24", light="#ffffff",
                                                 title=title, svgclass="qr-code")


def accepted_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step of ``code`` if it is valid now (±30 s for clocks that drift) and newer than
    ``last_step`` (a code is never accepted twice); else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    step = int(now // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if (last_step is None or candidate > last_step) and pyotp.utils.strings_equal(
                totp.generate_otp(candidate), code):
            return candidate
    return None
