"""Reading an uploaded file (CSV, XLSX or JSON) into plain rows or a plain document, in a child
process with a memory and CPU limit (``limits.read_in_child`` starts it): a hostile file can
exhaust the child, never the web worker.

Run as a script, ``python -I reader.py FORMAT LIMITS``: the file on stdin, one JSON answer on
stdout. It imports nothing of the portal (no database, no Flask), only the standard library and
openpyxl, and it only turns bytes into text: what the rows mean is decided by the parent. ``read``
is the same work in-process (tests).

Answers: ``{"rows": [[number, [cell text, …]], …]}`` (non-blank rows, numbered as the file
numbers them), ``{"document": …}``, or ``{"refused": CODE, …details}``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import zipfile
from collections.abc import Iterable
from typing import Any


def cell_text(value: Any) -> str:
    """A cell as text: dates as ISO, whole numbers without ".0", empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Refused(Exception):
    """The file cannot be read: ``code`` and details for the parent's message."""

    def __init__(self, code: str, **details: Any):
        super().__init__(code)
        self.answer = {"refused": code, **details}


def read(kind: str, data: bytes, limits: dict[str, int]) -> dict[str, Any]:
    """The answer for ``data`` read as ``kind`` (csv, xlsx, json) within ``limits`` (max_rows,
    max_lines, max_columns, max_unpacked_bytes)."""
    try:
        if kind == "json":
            return {"document": _json(data, limits)}
        rows = _csv(data, limits) if kind == "csv" else _xlsx(data, limits)
        return {"rows": rows}
    except Refused as refused:
        return refused.answer


def _json(data: bytes, limits: dict[str, int]) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("not_utf8") from None
    if "\x00" in text or "\\u0000" in text:
        raise Refused("json_nul")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refused("json_syntax", line=exc.lineno, column=exc.colno, error=exc.msg) from None
    except (ValueError, RecursionError):  # e.g. a number of more than 4,300 digits; deep nesting
        raise Refused("json_invalid") from None
    _count(document, limits["max_rows"])
    return document


def _count(document: Any, most: int) -> None:
    """No real offer has more operators, sites or courses than a file may hold rows."""
    operators = document.get("operators") if isinstance(document, dict) else None
    if not isinstance(operators, list):
        return
    counts = {"operators": len(operators), "sites": 0, "courses": 0}
    for operator in operators:
        for key in ("sites", "courses"):
            items = operator.get(key) if isinstance(operator, dict) else None
            counts[key] += len(items) if isinstance(items, list) else 0
    for what, count in counts.items():
        if count > most:
            raise Refused("too_many", what=what, max=most)


def _csv(data: bytes, limits: dict[str, int]) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what Excel writes for "CSV (séparateur: point-virgule)"
        except UnicodeDecodeError:
            raise Refused("csv_not_text") from None
    if "\x00" in text:
        raise Refused("csv_binary")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Any]] = []
    try:
        _collect(rows, reader, limits)
    except csv.Error as exc:
        raise Refused("csv_row", row=reader.line_num, error=str(exc)) from None
    return rows


def _xlsx(data: bytes, limits: dict[str, int]) -> list[list[Any]]:
    try:
        # A workbook is a zip: refuse one that would unpack to far more than any real course list.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise Refused("xlsx_damaged") from None
    if unpacked > limits["max_unpacked_bytes"]:
        raise Refused("xlsx_too_large", max=limits["max_unpacked_bytes"])
    import warnings

    import openpyxl  # only here: reading a CSV or JSON file does not pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and extensions it does not know: irrelevant here
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception:  # a damaged or foreign file can fail in many ways inside openpyxl
        raise Refused("xlsx_damaged") from None
    rows: list[list[Any]] = []
    try:
        if not workbook.worksheets:
            raise Refused("xlsx_no_sheet")
        # One column more than may be read: it tells a sheet that is too wide.
        _collect(rows, workbook.worksheets[0].iter_rows(
            values_only=True, max_col=limits["max_columns"] + 1, max_row=limits["max_lines"] + 1), limits)
    except (Refused, MemoryError):
        raise
    except Exception:  # damaged worksheet XML
        raise Refused("xlsx_damaged") from None
    finally:
        workbook.close()
    return rows


def _collect(rows: list[list[Any]], records: Iterable[Iterable[Any]], limits: dict[str, int]) -> None:
    """Number the non-blank rows into ``rows`` as texts (trailing blanks dropped); stop one row
    past the limit (header + max_rows), and refuse a file whose blank lines alone would take long
    to read, or with a value past the last column that may be read."""
    for number, record in enumerate(records, start=1):
        if number > limits["max_lines"]:
            raise Refused("too_many_rows", max=limits["max_rows"])
        cells = [cell_text(value) for value in record]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(cells) > limits["max_columns"]:
            raise Refused("too_many_columns", max=limits["max_columns"], row=number)
        rows.append([number, cells])
        if len(rows) > limits["max_rows"] + 1:
            return


def main() -> None:
    """The child: limit itself first, then read stdin and answer on stdout."""
    import resource

    kind, limits = sys.argv[1], json.loads(sys.argv[2])
    memory = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["max_answer_bytes"], limits["max_answer_bytes"]))
    try:
        answer = read(kind, sys.stdin.buffer.read(), limits)
        try:
            out = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate ("\\ud800") in a JSON string: no text holds one
            out = b'{"refused":"json_invalid"}'
    except MemoryError:
        out = b'{"refused":"too_complex"}'
    sys.stdout.buffer.write(out)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
