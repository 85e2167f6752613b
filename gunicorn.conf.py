"""gunicorn settings of ``scripts/serve`` (gunicorn also reads this file by itself when started
from this directory). HOST, PORT and WORKERS come from the environment, as in the README."""
import os

import gunicorn.http.wsgi

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WORKERS", "2"))
accesslog = "-"

# gunicorn 27 has no setting for its "Server" response header: every response is built from this
# module-level name (HTTP/1 and HTTP/2 alike). Naming the server software only helps whoever scans
# for a vulnerable version.
gunicorn.http.wsgi.SERVER = "Passerelle"
