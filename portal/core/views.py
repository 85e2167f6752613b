from __future__ import annotations

import time

from flask import jsonify
from sqlalchemy import text

from portal.core import bp
from portal.extensions import db


@bp.get("/healthz")
def healthz():
    """For load balancers (and the benchmark's floor): one trivial query."""
    started = time.perf_counter()
    db.session.execute(text("SELECT 1")).scalar_one()
    return jsonify({"status": "ok", "database_ms": round((time.perf_counter() - started) * 1000, 2)})
