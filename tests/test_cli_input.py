"""Read commands given odd input: a query that starts with -word works; every other
odd input is one sentence on stderr and exit 2, never a traceback or "No matches."."""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import arsip, assert_one_line_error


def test_a_query_may_start_with_an_excluded_word(archive_db):
    proc = arsip("search", "-samsung leica", "--json", db=archive_db)
    assert proc.returncode == 0, proc.stderr
    titles = [json.loads(line)["title"] for line in proc.stdout.splitlines()]
    assert titles == ["Xiaomi dan Leica Perpanjang Kemitraan"]
    # Excluding the word of the only match leaves nothing.
    assert arsip("search", "-xiaomi leica", "--count", db=archive_db).stdout.strip() == "0"
    # An unknown --option is still an error, not a search.
    assert_one_line_error_or_usage(arsip("search", "--bogus", "leica", db=archive_db))


def assert_one_line_error_or_usage(proc):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "No such option" in proc.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["search", "", "--count"], "empty"),
        (["search", "title:xiaomi"], "field filter"),
        (["search", "NEAR(xiaomi leica)"], "NEAR"),
        (["search", "(" * 330 + "leica" + ")" * 330], "deep"),
        (["search", "leica", "--since", "0001-01-01"], "--since"),
        (["search", "leica", "--until", "9999-12-31"], "--until"),
        (["export", "--since", "0001-01-01"], "--since"),
        (["show", "http://teknokita.example:99999/berita/1/"], "Port"),
        (["stats", "--tz", "Mars/Olympus_Mons"], "time zone"),
    ],
)
def test_odd_input_is_one_sentence_and_exit_2(archive_db, args, says):
    proc = arsip(*args, db=archive_db)
    assert_one_line_error(proc)
    assert says in proc.stderr
    assert proc.stdout == ""


def test_an_overflowing_regex_in_the_sites_file_is_one_sentence(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[sites.contoh]\nname = "Contoh"\nstart_urls = ["https://contoh.example/"]\n'
        'article_patterns = ["/berita/a{99999999999}"]\n'
    )
    proc = arsip("sites", "--sites", str(sites), db=tmp_path / "a.db")
    assert_one_line_error(proc)
    assert "article_patterns" in proc.stderr


def test_sites_lists_archived_sites_missing_from_the_sites_file(archive_db, tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[sites.gawaiku]\nname = "Gawaiku"\nstart_urls = ["https://gawaiku.example/"]\n'
    )
    proc = arsip("sites", "--sites", str(sites), db=archive_db)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()[2:]}
    assert set(rows) == {"gawaiku", "teknokita"}
    assert "not in the sites file" in rows["teknokita"]
    assert rows["teknokita"].split()[-2] == "2"  # its two archived articles
