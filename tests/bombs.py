"""Hostile workbooks of the shapes an attack used: small on the wire, under the unpacked-size cap,
and still very expensive to read — one row of millions of empty cells, a million styles, millions
of shared strings. Used by the tests and by ``bench/bulk.py``."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator

from portal.bulk.files import COLUMNS, MAX_UNPACKED_BYTES

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Each repeated piece is a few bytes: the file compresses about a thousandfold.
_EMPTY_CELL = b"<c/>"
_STYLE = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
_SHARED_STRING = b"<si><t>x</t></si>"
# Stay under the cap by a margin: the bomb must reach the reader, not the size check.
_BUDGET = MAX_UNPACKED_BYTES - 2 * 1024 * 1024


def _header_cells() -> bytes:
    return b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in COLUMNS)


def _repeat(piece: bytes, count: int) -> Iterator[bytes]:
    chunk = piece * 10_000
    for _ in range(count // 10_000):
        yield chunk
    yield piece * (count % 10_000)


def _workbook(sheet: Iterable[bytes], styles: Iterable[bytes], shared: Iterable[bytes]) -> bytes:
    parts = {
        "[Content_Types].xml": [(
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_TYPES}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_SHEET_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEET_TYPE}.sharedStrings+xml"/>'
            "</Types>").encode()],
        "_rels/.rels": [(
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>").encode()],
        "xl/workbook.xml": [(
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheets><sheet name="cours" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()],
        "xl/_rels/workbook.xml.rels": [(
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>").encode()],
        "xl/worksheets/sheet1.xml": sheet,
        "xl/styles.xml": styles,
        "xl/sharedStrings.xml": shared,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, pieces in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    part.write(piece)
    return out.getvalue()


def _sheet(second_row: Iterable[bytes] = ()) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    yield b'<row r="1">' + _header_cells() + b"</row><row r=\"2\">"
    yield from second_row
    yield b"</row></sheetData></worksheet>"


def _styles(xfs: Iterable[bytes] = (_STYLE,), count: int = 1) -> Iterator[bytes]:
    yield (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}">'
           '<fonts count="1"><font><name val="Calibri"/><sz val="11"/></font></fonts>'
           '<fills count="1"><fill><patternFill/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           f'<cellStyleXfs count="1">{_STYLE.decode()}</cellStyleXfs><cellXfs count="{count}">').encode()
    yield from xfs
    yield b'</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'


def _shared(strings: Iterable[bytes] = (), count: int = 0) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    yield from strings
    yield b"</sst>"


def wide_row(cells: int = _BUDGET // len(_EMPTY_CELL)) -> bytes:
    """A sheet whose second row holds ``cells`` empty cells (14.5 M by default)."""
    return _workbook(_sheet(_repeat(_EMPTY_CELL, cells)), _styles(), _shared())


def many_styles(styles: int = _BUDGET // len(_STYLE)) -> bytes:
    """A workbook with ``styles`` cell styles (about 1 M by default)."""
    return _workbook(_sheet(), _styles(_repeat(_STYLE, styles), styles), _shared())


def many_shared_strings(strings: int = _BUDGET // len(_SHARED_STRING)) -> bytes:
    """A workbook with ``strings`` shared strings (3.4 M by default)."""
    return _workbook(_sheet(), _styles(), _shared(_repeat(_SHARED_STRING, strings), strings))


BOMBS: dict[str, Callable[[], bytes]] = {
    "wide row": wide_row, "many styles": many_styles, "many shared strings": many_shared_strings,
}
