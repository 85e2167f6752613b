#!/usr/bin/env python3
"""Page weight of the public search: the HTML of a page as first loaded plus every style,
script and image it references, in French, Arabic and Tigrinya, and the map's files fetched on
demand. Prints figures (tests/search/test_phone.py holds the budget).

    .venv/bin/python bench/page_weight.py
Uses a temporary SQLite database with the demo offer; today fixed at the demo's reference date.
"""
from __future__ import annotations

import json
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.demo import REFERENCE_DATE, demo_document  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402

PAGES = {
    "search, first visit": "/",
    "results (Namur, 15 km, A2)": "/?near=Namur&radius_km=15&level=A2",
    "results (all of Wallonia, 20 cards)": "/?sort=title",
}
# Latin, Arabic (right to left) and Ge'ez letters: UTF-8 takes two or three bytes a letter.
LANGUAGES = ("fr", "ar", "ti")
BUDGET = "≤ 150 KB and ≤ 15 requests"


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.map_assets: dict = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") in ("stylesheet", "icon"):
            self.urls.append(attributes["href"])
        elif tag in ("script", "img") and attributes.get("src"):
            self.urls.append(attributes["src"])
        if attributes.get("data-assets"):
            self.map_assets = json.loads(attributes["data-assets"])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        class WeightConfig(Config):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/weight.db"
            PASSERELLE_TODAY = REFERENCE_DATE.isoformat()
            SECRET_KEY = "weight"

        app = create_app(WeightConfig)
        with app.app_context():
            db.create_all()
            import_offer(demo_document(REFERENCE_DATE), get_gazetteer(), REFERENCE_DATE)
        client = app.test_client()
        print(f"{'page':40} {'lang':>4} {'requests':>8} {'bytes':>9}  (HTML + referenced CSS/JS/images; "
              f"first load {BUDGET})")
        map_assets: dict = {}
        for name, path in PAGES.items():
            for lang in LANGUAGES:
                separator = "&" if "?" in path else "?"
                response = client.get(path + (f"{separator}lang={lang}" if lang != "fr" else ""))
                parser = References()
                parser.feed(response.get_data(as_text=True))
                urls = list(dict.fromkeys(parser.urls))
                sizes = [len(response.data)] + [len(client.get(url).data) for url in urls]
                map_assets = parser.map_assets or map_assets
                print(f"{name:40} {lang:>4} {len(sizes):8d} {sum(sizes):9,d}")
        if map_assets:
            urls = map_assets["css"] + map_assets["js"]
            size = sum(len(client.get(url).data) for url in urls)
            print(f"{'map, when shown (without tiles, data)':40} {'':>4} {len(urls):8d} {size:9,d}")


if __name__ == "__main__":
    main()
