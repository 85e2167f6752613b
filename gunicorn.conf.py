"""Gunicorn settings (gunicorn reads ./gunicorn.conf.py by itself; scripts/serve runs from here).

Only a start-up check: several workers with rate limits counted in memory would each count on
their own (2 workers = twice the sign-in attempts), so that is refused."""
import os


def on_starting(server):
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        raise SystemExit(
            f"Passerelle: {server.cfg.workers} workers with RATELIMIT_STORAGE_URI={storage} would each count "
            "sign-in attempts on their own. Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a Redis that "
            "every worker and server reaches; ./scripts/serve starts one) or run one worker (WORKERS=1).")
