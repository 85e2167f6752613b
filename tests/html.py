"""A small HTML tree for tests, on the standard library's ``html.parser`` (no new dependency).

``parse(text)`` gives the document node; ``node.select("form.search-form input[name=near]")``
understands tag, ``#id``, ``.class`` and ``[attr]`` / ``[attr=value]`` / ``[attr~=word]``
compounds joined by descendant spaces, which is all these tests need. ``form_fields`` lists what a
browser without JavaScript would submit for a form.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Raw-text elements: their content is text, never markup.
RAW = {"script", "style"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    # -- reading -------------------------------------------------------------------------
    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def has(self, name: str) -> bool:
        return name in self.attrs

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def raw_text(self) -> str:
        """The text exactly as written (for ``<script>``)."""
        return "".join(child if isinstance(child, str) else child.raw_text for child in self.children)

    @property
    def text(self) -> str:
        """The text content with whitespace collapsed."""
        return " ".join(self.raw_text.split())

    def iter(self) -> Iterator[Node]:
        """This node's descendants, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, selector: str) -> Node | None:
        compound = _compound(selector)
        return next((node for node in (self, *self.ancestors()) if _matches(node, compound)), None)

    def contains(self, other: Node) -> bool:
        return other is self or self in other.ancestors()

    # -- selecting -----------------------------------------------------------------------
    def select(self, selector: str) -> list[Node]:
        parts = [_compound(part) for part in selector.split()]
        found = []
        for node in self.iter():
            if _matches(node, parts[-1]) and _ancestors_match(node, parts[:-1]):
                found.append(node)
        return found

    def select_one(self, selector: str) -> Node | None:
        found = self.select(selector)
        return found[0] if found else None

    def one(self, selector: str) -> Node:
        """Exactly one match, else an AssertionError naming the selector."""
        found = self.select(selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        return found[0]

    def by_id(self, element_id: str) -> Node | None:
        return next((node for node in self.iter() if node.get("id") == element_id), None)

    def __repr__(self) -> str:
        attrs = " ".join(f'{k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag} {attrs}>" if attrs else f"<{self.tag}>"


_TOKEN = re.compile(r"""([a-zA-Z][\w-]*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:([~]?=)"?([^\]"]*)"?)?\]""")


def _compound(text: str) -> list[tuple[str, str, str | None, str | None]]:
    """"input.a#b[name=x]" → [("tag", "input", ...), ("class", "a"), ("id", "b"), ("attr", "name", "=", "x")]."""
    tests: list[tuple[str, str, str | None, str | None]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"unsupported selector {text!r}")
        tag, element_id, cls, attr, operator, value = match.groups()
        if tag:
            tests.append(("tag", tag.lower(), None, None))
        elif element_id:
            tests.append(("id", element_id, None, None))
        elif cls:
            tests.append(("class", cls, None, None))
        else:
            tests.append(("attr", attr, operator, value))
        position = match.end()
    return tests


def _matches(node: Node, compound: list[tuple[str, str, str | None, str | None]]) -> bool:
    for kind, name, operator, value in compound:
        if kind == "tag" and node.tag != name:
            return False
        if kind == "id" and node.get("id") != name:
            return False
        if kind == "class" and name not in node.classes:
            return False
        if kind == "attr":
            if name not in node.attrs:
                return False
            actual = node.attrs[name] or ""
            if operator == "=" and actual != value:
                return False
            if operator == "~=" and value not in actual.split():
                return False
    return True


def _ancestors_match(node: Node, parts: list) -> bool:
    if not parts:
        return True
    for ancestor in node.ancestors():
        if _matches(ancestor, parts[-1]) and _ancestors_match(ancestor, parts[:-1]):
            return True
    return False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: ("" if value is None else value) for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: ("" if value is None else value) for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        # A stray end tag: ignored, as browsers do.

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    root = builder.root
    root.attrs["doctype"] = builder.doctype or ""
    return root


def form_fields(form: Node, *, submitter: Node | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for ``form``, in document order (HTML's
    "constructing the entry list"): enabled named controls; checked checkboxes and radios
    ("on" without a value); each select's selected options, or its first option."""
    pairs: list[tuple[str, str]] = []
    for node in form.iter():
        name = node.get("name")
        if not name or node.has("disabled"):
            continue
        if node.tag == "input":
            kind = (node.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if node.has("checked"):
                    pairs.append((name, node.get("value", "on")))
            elif kind in ("submit", "image", "button", "reset"):
                if node is submitter:
                    pairs.append((name, node.get("value", "")))
            elif kind != "file":
                pairs.append((name, node.get("value", "")))
        elif node.tag == "select":
            options = node.select("option")
            chosen = [option for option in options if option.has("selected")]
            if not chosen and options and not node.has("multiple"):
                chosen = options[:1]
            pairs += [(name, option.get("value", option.text)) for option in chosen]
        elif node.tag == "textarea":
            pairs.append((name, node.raw_text))
        elif node.tag == "button" and node is submitter:
            pairs.append((name, node.get("value", "")))
    return pairs


def fill(form: Node, name: str, value: str) -> None:
    """Type ``value`` into the text-like inputs named ``name`` or pick that option of select ``name``."""
    for node in form.iter():
        if node.get("name") != name:
            continue
        if node.tag == "input" and (node.get("type") or "text") not in ("radio", "checkbox"):
            node.attrs["value"] = value
        elif node.tag == "select":
            for option in node.select("option"):
                option.attrs.pop("selected", None)
                if option.get("value", option.text) == value:
                    option.attrs["selected"] = ""


def check(form: Node, name: str, value: str, checked: bool = True) -> None:
    """Tick (or untick) the radio or checkbox ``name`` of that value; ticking a radio unticks the
    others of its group."""
    for node in form.iter():
        if node.tag != "input" or node.get("name") != name or node.get("type") not in ("radio", "checkbox"):
            continue
        if node.get("value", "on") == value:
            if checked:
                node.attrs["checked"] = ""
            else:
                node.attrs.pop("checked", None)
        elif checked and node.get("type") == "radio":
            node.attrs.pop("checked", None)
