"""Text made safe to show in a terminal or hand to a spreadsheet.

Archived text comes from arbitrary web pages. A C1 control (U+0080–U+009F,
e.g. U+009B is a terminal's CSI) or a C0 one such as ESC can drive the
reader's terminal; a bidi override (U+202A–U+202E, U+2066–U+2069) makes a
line read differently from what it contains. A CSV cell starting with `=`,
`+`, `-` or `@` is run as a formula by spreadsheets (OWASP "CSV injection").
"""

from __future__ import annotations

import json
from typing import Any

_C0 = [c for c in range(0x20) if chr(c) not in "\t\n\r"]
_UNSAFE = [*_C0, 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
#: For CSV cells: newlines and tabs are the cell's own text.
_STRIP = dict.fromkeys(_UNSAFE)
#: For a terminal: a carriage return would overwrite what the line showed.
_STRIP_TERMINAL = {**_STRIP, ord("\r"): None}
#: In JSON every one of them can be written as an escape instead: nothing is lost.
_ESCAPE = {c: f"\\u{c:04x}" for c in _UNSAFE if c >= 0x7F}

#: Cells a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FULL_WIDTH = str.maketrans("＝＋－＠", "=+-@")


def printable(text: Any) -> str:
    """`text` as a string without control characters (bar newline and tab) or bidi overrides."""
    return "" if text is None else str(text).translate(_STRIP_TERMINAL)


def json_line(obj: Any) -> str:
    """`obj` as one JSON line, controls and bidi overrides written as \\u escapes.

    json.dumps already escapes C0 controls; with ensure_ascii=False it would
    write the others raw.
    """
    return json.dumps(obj, ensure_ascii=False).translate(_ESCAPE)


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate gets a leading apostrophe. Leading
    spaces and full-width signs (＝＋－＠) are looked past, as some spreadsheets do."""
    if isinstance(value, str) and value.lstrip(" ").translate(FULL_WIDTH).startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A value for a CSV file read by people: controls and bidi overrides removed,
    formulas neutralised. Every CSV arsip writes goes through here (bar --raw)."""
    if isinstance(value, str):
        return neutralise(value.translate(_STRIP))
    return value
