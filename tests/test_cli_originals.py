"""`arsip search` and `arsip export` show originals only unless asked for copies with --all."""

from __future__ import annotations

import csv
import io
import json

import pytest

from scraper.archive import Archive
from tests.cli_helpers import arsip, make_article

BODY = "Operator seluler menaikkan tarif paket data mulai bulan depan."


@pytest.fixture(scope="module")
def copied_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("copies") / "archive.db"
    original = make_article(1, "teknokita", "Tarif Paket Data Naik", BODY)
    copy = make_article(
        2,
        "gawaiku",
        "Tarif Paket Data Naik Bulan Depan",
        BODY,
        duplicate_of=original.canonical_url,
    )
    with Archive(str(db)) as archive:
        archive.save_batch([original])
        archive.save_batch([copy])
        assert archive.get(copy.url)["duplicate_of"] == original.canonical_url
    return db


def test_search_shows_originals_unless_all(copied_db):
    plain = arsip("search", "tarif", "--json", db=copied_db)
    assert [json.loads(line)["site"] for line in plain.stdout.splitlines()] == ["teknokita"]
    everything = arsip("search", "tarif", "--json", "--all", db=copied_db)
    assert sorted(json.loads(line)["site"] for line in everything.stdout.splitlines()) == [
        "gawaiku",
        "teknokita",
    ]
    assert arsip("search", "tarif", "--count", db=copied_db).stdout.strip() == "1"
    assert arsip("search", "tarif", "--count", "--all", db=copied_db).stdout.strip() == "2"


def test_export_shows_originals_unless_all(copied_db):
    plain = arsip("export", "--format", "csv", "--fields", "site", db=copied_db)
    assert list(csv.reader(io.StringIO(plain.stdout))) == [["site"], ["teknokita"]]
    assert "1 rows" in plain.stderr
    everything = arsip("export", "--fields", "site,duplicate_of", "--all", db=copied_db)
    rows = [json.loads(line) for line in everything.stdout.splitlines()]
    assert [r["site"] for r in rows] == ["teknokita", "gawaiku"]
    assert rows[1]["duplicate_of"] == "https://teknokita.example/berita/1/"
