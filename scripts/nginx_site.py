"""Write Passerelle's nginx site from deploy/nginx/passerelle.conf: the values a deployer changes
(server name, public address, gunicorn instances, checkout, TLS certificate) and the headers of the
site's assets, taken from portal/security.py so that nginx serves /static/ with exactly the headers
the application gives its assets (and nginx adds none to what the application answers).

    .venv/bin/python scripts/nginx_site.py --server-name passerelle.example.org \\
        --public-url https://passerelle.example.org --upstream 127.0.0.1:5001 --upstream 127.0.0.1:5002 \\
        --app-dir /srv/passerelle --certificate /etc/ssl/passerelle.pem --certificate-key /etc/ssl/passerelle.key \\
        > /etc/nginx/sites-available/passerelle

``--standalone DIR`` writes a whole nginx.conf instead, for an nginx run by any user with its pid,
logs and temporary files in DIR (scripts/serve-multi, tests/deploy, bench/observatory.sh):
``nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'``."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = BASE_DIR / "deploy" / "nginx" / "passerelle.conf"
PRODUCTION_HSTS_SECONDS = 63072000


def asset_headers(hsts_seconds: int) -> dict[str, str]:
    """The security headers the application sends with its assets (a style sheet stands for all)."""
    sys.path.insert(0, str(BASE_DIR))
    from flask import Flask

    from portal.security import security_headers

    app = Flask("nginx_site")
    app.config.update(HSTS_SECONDS=hsts_seconds, TILE_URL="")
    with app.app_context():
        return security_headers("asset", "text/css")


def render_site(values: dict[str, str], upstreams: list[str], hsts_seconds: int) -> str:
    """The site's configuration: the template with every @NAME@ filled."""
    values = dict(values, UPSTREAM_SERVERS="\n".join(
        f"    server {address} max_fails=1 fail_timeout=3s;" for address in upstreams))
    values["ASSET_HEADERS"] = "\n".join(f'        add_header {name} "{value}" always;'
                                        for name, value in asset_headers(hsts_seconds).items())
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    missing = sorted(set(re.findall(r"@([A-Z_]+)@", text)))
    if missing:
        raise SystemExit(f"nginx_site: no value for {', '.join(missing)}")
    return text


def standalone(site: str, prefix: Path) -> str:
    """A whole nginx.conf around ``site`` with every file nginx writes under ``prefix``."""
    # Run as root (CI), the workers would otherwise become "nobody" and could not write in prefix.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "\n".join(f"    {kind}_temp_path {prefix / (kind + '_temp')};"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
            f"events {{\n    worker_connections 1024;\n}}\nhttp {{\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n    sendfile on;\n"
            f"{temps}\n{site}}}\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="host name(s) of the site, as nginx's server_name")
    parser.add_argument("--public-url", required=True, help="PUBLIC_URL: where plain HTTP redirects to")
    parser.add_argument("--upstream", action="append", required=True, help="HOST:PORT of a gunicorn instance")
    parser.add_argument("--app-dir", default=str(BASE_DIR), help="the checkout (its portal/static is served)")
    parser.add_argument("--certificate", required=True, help="TLS certificate (full chain), PEM")
    parser.add_argument("--certificate-key", required=True, help="its private key, PEM")
    parser.add_argument("--http-listen", default="80", help="nginx's listen for plain HTTP (redirect only)")
    parser.add_argument("--https-listen", default="443", help="nginx's listen for HTTPS")
    parser.add_argument("--hsts-seconds", type=int,
                        default=int(os.environ.get("HSTS_SECONDS", PRODUCTION_HSTS_SECONDS)),
                        help="the application's HSTS_SECONDS (default: the environment's, else 2 years)")
    parser.add_argument("--access-log", default="/var/log/nginx/passerelle-access.log",
                        help="the site's access log (no addresses, no query strings)")
    parser.add_argument("--standalone", metavar="DIR", help="write a whole nginx.conf with its files in DIR "
                        "(its access log: DIR/access.log)")
    options = parser.parse_args(argv)
    access_log = Path(options.standalone).resolve() / "access.log" if options.standalone else options.access_log
    site = render_site({"SERVER_NAME": options.server_name, "PUBLIC_URL": options.public_url.rstrip("/"),
                        "APP_DIR": str(Path(options.app_dir).resolve()), "TLS_CERTIFICATE": options.certificate,
                        "TLS_CERTIFICATE_KEY": options.certificate_key, "HTTP_LISTEN": options.http_listen,
                        "HTTPS_LISTEN": options.https_listen, "ACCESS_LOG": str(access_log)},
                       options.upstream, options.hsts_seconds)
    sys.stdout.write(standalone(site, Path(options.standalone).resolve()) if options.standalone else site)


if __name__ == "__main__":
    main()
