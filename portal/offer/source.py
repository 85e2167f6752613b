"""Where the import reads a ``passerelle-offer/1`` document from: a document already in memory (a
form, a bulk file, the demo) or a JSON file streamed operator by operator (the command line: a
regional offer of 100,000 courses is ~70 MB of JSON and ~300 MB once parsed whole, so it is never
parsed whole).

The import reads a source twice: its ``outline`` first (the top level without its operators, the
refs it names and how many courses it holds: what the database must be asked before validating),
then its ``operators`` one at a time."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import ijson

from portal.normalise import ref_key
from portal.offer.exchange import listed
from portal.offer.validation import OfferDocumentError

NOT_A_LIST = object()  # a streamed value that is an object or a list where a scalar or a list belongs


@dataclass
class Outline:
    """The top level of a document without its operators, and what its operators name."""

    # The top-level object with "operators" as [] when it is a list (else as it is, or NOT_A_LIST
    # when a streamed file holds an object there), or the document itself when it is no object.
    root: Any
    operator_refs: list[str] = field(default_factory=list)
    site_refs: list[str] = field(default_factory=list)
    course_refs: list[str] = field(default_factory=list)
    courses: int = 0  # course objects, for the progress report

    def set_refs(self, found: dict[str, list[Any]]) -> None:
        """The refs found, by kind ("operator_refs", …), normalised."""
        self.operator_refs, self.site_refs, self.course_refs = (
            _refs(found["operator_refs"]), _refs(found["site_refs"]), _refs(found["course_refs"]))


class OfferSource(Protocol):
    def outline(self) -> Outline: ...

    def operators(self) -> Iterator[Any]: ...


def as_source(document: Any) -> OfferSource:
    """A source for a document in memory (any JSON value, a string included), the Path of a JSON
    file, or a source already."""
    if isinstance(document, Path):
        return FileSource(Path(document))
    if hasattr(document, "outline") and hasattr(document, "operators"):
        return document
    return DocumentSource(document)


def _refs(values: list[Any]) -> list[str]:
    """Refs normalised as the format compares them (refs of other types are left to validation)."""
    return [ref_key(value) for value in values if isinstance(value, str)]


def _refs_of(items: Any) -> list[Any]:
    """The ``ref`` of each object of a list (None where it has none)."""
    return [item.get("ref") for item in listed(items) if isinstance(item, dict)]


class DocumentSource:
    """A document already parsed (any JSON value: validation says what is wrong with it)."""

    def __init__(self, document: Any) -> None:
        self.document = document

    def outline(self) -> Outline:
        if not isinstance(self.document, dict):
            return Outline(self.document)
        root = {key: value for key, value in self.document.items() if key != "operators"}
        operators = self.document.get("operators")
        if "operators" in self.document:
            root["operators"] = [] if isinstance(operators, list) else operators
        outline = Outline(root)
        found: dict[str, list[Any]] = {"operator_refs": [], "site_refs": [], "course_refs": []}
        for operator in listed(operators):
            if isinstance(operator, dict):
                found["operator_refs"].append(operator.get("ref"))
                found["site_refs"].extend(_refs_of(operator.get("sites")))
                courses = _refs_of(operator.get("courses"))
                found["course_refs"].extend(courses)
                outline.courses += len(courses)
        outline.set_refs(found)
        return outline

    def operators(self) -> Iterator[Any]:
        operators = self.document.get("operators") if isinstance(self.document, dict) else None
        yield from listed(operators)


# Where the refs of a streamed document are (ijson's prefixes).
_REF_PREFIXES = {
    "operators.item.ref": "operator_refs",
    "operators.item.sites.item.ref": "site_refs",
    "operators.item.courses.item.ref": "course_refs",
}
_INSIDE = frozenset(("map_key", "end_map", "end_array"))


def _top_level(root: dict[str, Any], prefix: str, event: str, value: Any) -> None:
    """Note a top-level key, and the value of "format" and "operators" as validation sees them."""
    if prefix == "" and event == "map_key":
        root[value] = None
    elif prefix in ("operators", "format") and event not in _INSIDE:
        root[prefix] = _shown_as(event, value)


def _shown_as(event: str, value: Any) -> Any:
    """A top-level value as validation needs to see it: a list as [] (its items are streamed), an
    object as NOT_A_LIST, a scalar as itself."""
    if event == "start_array":
        return []
    return NOT_A_LIST if event == "start_map" else value


class FileSource:
    """A JSON file read as a stream (ijson's C parser): memory stays that of one operator."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def outline(self) -> Outline:
        with self._open() as handle:
            return self._guarded(lambda: self._outline(handle))

    def _outline(self, handle: BinaryIO) -> Outline:
        events = ijson.parse(handle, use_float=True)
        _, event, value = next(events)
        if event != "start_map":
            for _ in events:  # the rest must still be JSON
                pass
            return Outline([] if event == "start_array" else value)
        outline = Outline({})
        found: dict[str, list[Any]] = {"operator_refs": [], "site_refs": [], "course_refs": []}
        for prefix, event, value in events:
            if prefix in _REF_PREFIXES:
                if event == "string":
                    found[_REF_PREFIXES[prefix]].append(value)
            elif prefix == "operators.item.courses.item":
                outline.courses += event == "start_map"
            else:
                _top_level(outline.root, prefix, event, value)
        outline.set_refs(found)
        return outline

    def operators(self) -> Iterator[Any]:
        with self._open() as handle:
            items = ijson.items(handle, "operators.item", use_float=True)
            while True:
                operator = self._guarded(lambda: next(items, _END))
                if operator is _END:
                    return
                yield operator

    def _open(self) -> BinaryIO:
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise OfferDocumentError([f"$: cannot be read ({exc.strerror})"]) from exc

    def _guarded(self, read: Callable[[], Any]) -> Any:
        """Run ``read``, turning what the parser says of a broken file into the format's error."""
        try:
            return read()
        except StopIteration as exc:  # no JSON value at all
            raise OfferDocumentError(["$: not valid JSON (the file is empty)"]) from exc
        except (ijson.JSONError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise OfferDocumentError([f"$: {self._explained(exc)}"]) from exc

    def _explained(self, exc: Exception) -> str:
        """Where the file is broken: the streaming parser cannot say which line, so a file small
        enough to read whole is read again by the standard parser, which can."""
        if self.path.stat().st_size <= EXPLAIN_BYTES:
            try:
                json.loads(self.path.read_bytes().decode("utf-8"))
            except json.JSONDecodeError as detail:
                return f"not valid JSON (line {detail.lineno}, column {detail.colno}: {detail.msg})"
            except UnicodeDecodeError:
                return "not UTF-8 text"
            except (ValueError, RecursionError):  # a number of more than 4,300 digits, deep nesting
                pass
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        return f"not valid JSON ({text})"


_END = object()
# Broken files up to this size are read again to say where they break.
EXPLAIN_BYTES = 32 * 1024 * 1024
