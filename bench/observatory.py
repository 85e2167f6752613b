"""The MDN HTTP Observatory's score of the production setup (issue 13, item 7): the demo offer on
two gunicorn instances behind nginx rendered from deploy/nginx/passerelle.conf, with TLS (a
self-signed certificate made on the fly, trusted by the scanner through NODE_EXTRA_CA_CERTS) and
HSTS as in production; each address is scanned with the Observatory's own rules
(bench/observatory.mjs) and its grade, score and tests are printed.

The npm package @mdn/mdn-http-observatory is installed in instance/observatory when missing
(OBSERVATORY_DIR: another folder holding it). Its install script downloads the HSTS preload list
and the list of top-level domains: skipped (--ignore-scripts, no network needed); the scanner then
finds an empty preload list, which only decides a "preloaded" remark, never the score of a host
like localhost. Needs nginx, node and npm, and Redis (REDIS_URL) for the instances' counts."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.config import BASE_DIR  # noqa: E402
from tests.deploy.stack import demo_stack  # noqa: E402

PACKAGE = "@mdn/mdn-http-observatory@1.4.8"
PATHS = ("/", "/?near=5000&level=A1", "/cours/", "/embed", "/api/v1/courses", "/donnees-ouvertes",
         "/connexion", "/static/css/site.css")
HSTS_SECONDS = 63072000  # production's


def observatory_dir() -> Path:
    """The npm package's folder, installed when missing, with the two lists its install would fetch."""
    root = Path(os.environ.get("OBSERVATORY_DIR", BASE_DIR / "instance" / "observatory"))
    package = root / "node_modules" / "@mdn" / "mdn-http-observatory"
    if not package.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(root), "--ignore-scripts", "--no-audit", "--no-fund",
                        PACKAGE], check=True)
    for name, empty in (("hsts-preload.json", "{}"), ("tld-list.json", "[]")):
        if not (package / "conf" / name).exists():
            (package / "conf" / name).write_text(empty)
    return package


def first_course_path(port: int) -> str:
    from tests.deploy.stack import https_request

    _status, _headers, body = https_request(port, "GET", "/api/v1/courses?per_page=1")
    return f"/cours/{json.loads(body)['items'][0]['ref']}"


def main() -> None:
    package = observatory_dir()
    with tempfile.TemporaryDirectory(prefix="passerelle-observatory-") as folder:
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        with demo_stack(Path(folder), hsts_seconds=HSTS_SECONDS, redis_url=redis_url) as (_instances, nginx):
            env = dict(os.environ, NODE_EXTRA_CA_CERTS=str(nginx.certificate))
            print(f"{'address':<28} grade score  tests  failing tests")
            for path in PATHS:
                path = first_course_path(nginx.https_port) if path == "/cours/" else path
                scan = subprocess.run(["node", str(BASE_DIR / "bench" / "observatory.mjs"), str(package), "localhost",
                                       str(nginx.http_port), str(nginx.https_port), path],
                                      env=env, capture_output=True, text=True, timeout=120)
                result = json.loads(scan.stdout or json.dumps({"error": scan.stderr[-500:]}))
                if "error" in result:
                    print(f"{path:<28} error: {result['error']}")
                    continue
                failing = [f"{name}: {test['result']}" for name, test in result["tests"].items() if not test["pass"]]
                bonus = [f"{name} +{test['scoreModifier']}" for name, test in result["tests"].items()
                         if test["scoreModifier"] > 0]
                print(f"{path:<28} {result['grade']:<5} {result['score']:>5}  {result['testsPassed']}/"
                      f"{result['testsQuantity']}  {'; '.join(failing) or '-'}  (bonus: {', '.join(bonus) or '-'};"
                      f" certificate verified: {result['verified']})")


if __name__ == "__main__":
    main()
