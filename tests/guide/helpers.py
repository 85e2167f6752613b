"""Going through the guided route as a browser without JavaScript does: GET forms, one button."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.html import Node, fill, form_fields, parse

# The answers of a whole route, in the order of the questions.
ROUTE = (("speak", "none"), ("read", "yes"), ("goal", "daily"), ("near", "5000"), ("time", "evening"),
         ("childcare", "yes"))


def get(client, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.headers.get("Location"))
    return parse(response.get_data(as_text=True))


def answer_url(doc: Node, name: str, value: str) -> str:
    """The URL a browser opens when this screen is answered: the button of that value pressed, or
    the place typed and "Next" pressed."""
    form = doc.one("form.guide-form")
    if name == "near":
        fill(form, "near", value)
        submitter = form.one("button[type=submit]")
    else:
        [submitter] = [b for b in form.select(f"button[name={name}]") if b.get("value") == value]
    return form["action"] + "?" + urlencode(form_fields(form, submitter=submitter))


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def path(url: str) -> str:
    return urlsplit(url).path
