"""Reading the cadastre's tables as a visitor would: each row's header and its cells."""
from __future__ import annotations

from tests.html import Node, parse


def figures(html: str, table_id: str) -> dict[str, list[str]]:
    """The rows of a table (thead, tbody, tfoot): the row's first header's text → its cells' texts."""
    table = parse(html).by_id(table_id)
    assert table is not None, f"no table #{table_id}"
    return {row.select("th")[0].text: [cell.text for cell in row.select("td")] for row in table.select("tr")}


def numbers(html: str, table_id: str) -> dict[str, list[int]]:
    """The counts of a table (English page: "1,234"), by row header; the header rows left out."""
    return {header: [int(cell.replace(",", "")) for cell in cells if not cell.endswith("%") and cell != "—"]
            for header, cells in figures(html, table_id).items() if cells}


def column_headers(html: str, table_id: str) -> list[str]:
    return [cell.text for cell in parse(html).by_id(table_id).select("thead th")]


def caption(html: str, table_id: str) -> Node:
    return parse(html).by_id(table_id).one("caption")
