"""The `agency` field end to end: an archive made before it gains the column on upgrade,
keeps its records, and `arsip show --json` / export carry who the page credited."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from scraper.archive import Archive
from tests.cli_helpers import arsip, build_archive_db, make_article


def _as_schema_one(path: Path) -> None:
    """Turn a fresh archive into one made before `agency` existed (schema 1)."""
    conn = sqlite3.connect(path)
    try:
        # Views read every column; SQLite refuses to drop one a view uses.
        views = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='view'")]
        for view in views:
            conn.execute(f'DROP VIEW "{view}"')
        conn.execute("ALTER TABLE articles DROP COLUMN agency")
        conn.execute("UPDATE arsip_meta SET value='1' WHERE key='schema_version'")
        conn.commit()
    finally:
        conn.close()


def test_an_archive_from_before_agency_is_upgraded_and_keeps_its_records(tmp_path):
    path = build_archive_db(tmp_path / "archive.db")
    _as_schema_one(path)

    migrated = arsip("migrate", db=path)
    assert migrated.returncode == 0, migrated.stderr

    wire = make_article(4, "teknokita", "Pasar Saham Asia Menguat", "Indeks di Tokyo naik.")
    wire.authors, wire.agency = [], ["Antara"]
    with Archive(str(path)) as archive:
        archive.save_batch([wire])
        assert archive.count() == 4

    shown = arsip("show", wire.url, "--json", db=path, check=True)
    record = json.loads(shown.stdout)
    assert (record["authors"], record["agency"]) == ([], ["Antara"])
    older = json.loads(arsip("show", "1", "--json", db=path, check=True).stdout)
    assert older["title"] == "Xiaomi dan Leica Perpanjang Kemitraan" and older["agency"] == []

    out = tmp_path / "out.jsonl"
    arsip("export", "-o", str(out), "--format", "jsonl", db=path, check=True)
    exported = {r["url"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert exported[wire.url]["agency"] == ["Antara"]
