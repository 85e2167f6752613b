"""gunicorn settings: gunicorn reads ./gunicorn.conf.py by itself when started from this folder,
as scripts/serve does."""
import gunicorn.http.wsgi

# gunicorn 27 has no setting for its "Server" response header: every response takes it from this
# module-level name (HTTP/1 and HTTP/2 alike). Naming the server software only helps whoever scans
# for a vulnerable version.
gunicorn.http.wsgi.SERVER = "Passerelle"
