"""Search on PostgreSQL answers as search on SQLite: the same articles for the
same queries (stemming, phrases, OR, -word, prefix*, filters), the best match
first, the same snippets, the same errors; `arsip search` and `export --query`
work on both. Real PostgreSQL server, a fresh database per test module."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from scraper import Archive
from scraper.fingerprint import content_hash, simhash
from scraper.items import Article
from tests.cli_helpers import arsip, assert_one_line_error

psycopg = pytest.importorskip("psycopg")

SERVER = os.environ.get("ARSIP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def make(n: int, title: str, body: str, **kw) -> Article:
    site = kw.pop("site", "warta")
    return Article(
        url=f"https://{site}.example/2025/05/tulisan-{n}/",
        site=site,
        title=title,
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        published_at=kw.pop("published_at", f"2025-05-{n:02d}T09:00:00+07:00"),
        **kw,
    )


ARTICLES = [
    make(1, "Penulis muda menulis novel digital", "Tulisan itu terbit di aplikasi baca."),
    make(2, "Operator memperluas jaringan serat optik", "Jaringan baru menjangkau desa."),
    make(3, "Harga ponsel lipat turun", "Ponsel lipat kini lebih murah di toko daring."),
    make(
        4,
        "Satelit orbit rendah untuk internet desa",
        "Layanan satelit menjangkau pulau terpencil; pengguna internet desa bertambah.",
        authors=["Dewi Lestari"],
    ),
    make(5, "Pembayaran digital tumbuh", "Dompet digital dan transaksi daring terus naik."),
    make(
        6,
        "Kamera ponsel makin tajam",
        "Pabrikan menghadirkan kamera dengan sensor besar untuk foto malam.",
        site="gawai",
        tags=["Kamera"],
    ),
    make(
        7, "Startup pendanaan seri A", "Investor menanam modal di startup logistik.", site="gawai"
    ),
    make(
        8,
        "Kebocoran data pengguna aplikasi",
        "Data pengguna bocor; peneliti keamanan menemukan server terbuka.",
        site="gawai",
        authors=["Dewi Lestari"],
    ),
    make(9, "Mobil listrik dan pengisian daya", "Stasiun pengisian daya dibangun di jalan tol."),
    make(10, "Regulasi kecerdasan buatan", "Kementerian menyusun aturan kecerdasan buatan."),
    make(11, "Konsol gim generasi baru", "Gim baru hadir di konsol dan komputer.", site="gawai"),
    make(12, "Sinyal operator di bandara", "Pengguna mengeluhkan sinyal lemah di bandara baru."),
]

QUERIES = [
    "tulis",  # stemming: finds menulis, tulisan, penulis
    "menulis",
    "ponsel",
    "ponsel lipat",  # AND
    '"serat optik"',  # phrase
    '"optik serat"',  # phrase in the wrong order: nothing
    "satelit OR konsol",
    "pengguna -bandara",
    "pengg*",  # prefix
    "sat*",
    "jaring*",
    "internet desa",
    "(kamera OR gim) baru",
    "digital",
    "tidakadasamasekali",
    "kamera';--",  # punctuation and SQL are plain words on both
]


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {SERVER}: {exc}")
    name = f"arsip_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    pg_url = f"{base}/{name}"
    sqlite_path = tmp_path_factory.mktemp("pgsearch") / "archive.db"
    try:
        with Archive(str(sqlite_path)) as lite, Archive(pg_url) as pg:
            lite.save_batch(ARTICLES[:6])
            pg.save_batch(ARTICLES[:6])
            lite.save_batch(ARTICLES[6:])
            pg.save_batch(ARTICLES[6:])
            yield lite, pg, str(sqlite_path), pg_url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.parametrize("query", QUERIES)
def test_postgresql_finds_what_sqlite_finds(archives, query):
    lite, pg, _, _ = archives
    on_sqlite = lite.search(query, limit=50)
    on_pg = pg.search(query, limit=50)
    assert {r["url"] for r in on_pg} == {r["url"] for r in on_sqlite}
    assert pg.count(query) == lite.count(query) == len(on_sqlite)
    scores = [r["score"] for r in on_sqlite]
    if scores and (len(scores) == 1 or scores[0] >= 1.5 * scores[1]):
        # One clearly best match (bm25 and ts_rank weigh lengths differently,
        # so near-ties may order differently): first on both.
        assert on_pg[0]["url"] == on_sqlite[0]["url"]
    if on_sqlite:
        snippets = {r["url"]: r["snippet"] for r in on_sqlite}
        assert all(r["snippet"] == snippets[r["url"]] for r in on_pg)


def test_a_word_finds_every_inflection_on_postgresql(archives):
    _, pg, _, _ = archives
    hit = pg.search("menulis")
    assert [r["title"] for r in hit] == ["Penulis muda menulis novel digital"]
    assert "[Tulisan]" in hit[0]["snippet"]
    assert pg.search('"optik serat"') == []


@pytest.mark.parametrize(
    "filters",
    [{"site": "gawai"}, {"author": "dewi lestari"}, {"since": "2025-05-06"}, {"tag": "kamera"}],
)
def test_filters_narrow_the_same_way(archives, filters):
    lite, pg, _, _ = archives
    query = "pengguna OR kamera OR digital OR gim"
    assert {r["url"] for r in pg.search(query, **filters)} == {
        r["url"] for r in lite.search(query, **filters)
    }
    assert pg.count(query, **filters) == lite.count(query, **filters) > 0


def test_the_index_follows_updates_on_postgresql(archives):
    lite, pg, _, _ = archives
    changed = make(10, "Regulasi kecerdasan buatan", "Kementerian menunda aturan robotik.")
    lite.save_batch([changed])  # both stay alike for the other tests
    pg.save_batch([changed])
    assert [r["title"] for r in pg.search("robotik")] == ["Regulasi kecerdasan buatan"]
    assert pg.search('"menyusun aturan"') == []
    assert pg.rebuild_index() == len(ARTICLES)
    assert pg.count("robotik") == 1


def test_cli_search_and_export_query_on_postgresql(archives):
    _, _, sqlite_path, pg_url = archives
    for db in (sqlite_path, pg_url):
        out = arsip("search", "menulis", "--json", "--db", db, check=True).stdout
        assert [json.loads(line)["title"] for line in out.splitlines()] == [
            "Penulis muda menulis novel digital"
        ]
        assert arsip("search", "ponsel", "--count", "--db", db, check=True).stdout.strip() == "2"
        exported = arsip("export", "--query", "satelit OR konsol", "--db", db, check=True).stdout
        assert len(exported.splitlines()) == 2


@pytest.mark.parametrize(
    "query", ['"kamera leica', "kamera OR", "-kamera", "(kamera", "-*", "NEAR(a b)"]
)
def test_malformed_queries_exit_2_on_postgresql(archives, query):
    _, _, _, pg_url = archives
    proc = arsip("search", "--db", pg_url, "--", query)
    assert_one_line_error(proc, code=2)
    assert "tsquery" not in proc.stderr and "SELECT" not in proc.stderr


def test_a_postgresql_archive_from_before_gets_its_index_on_the_next_write(archives):
    _, _, _, pg_url = archives
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP TABLE articles_tsv")  # as made before search worked there
        conn.execute("UPDATE arsip_meta SET value = '1' WHERE key = 'schema_version'")
    refused = arsip("search", "satelit", "--db", pg_url)
    assert_one_line_error(refused)  # a read command never migrates
    assert "arsip migrate" in refused.stderr
    with Archive(pg_url) as pg:  # a writing open upgrades
        assert pg.count("satelit") == 1
        assert [r["title"] for r in pg.search("menulis")] == ["Penulis muda menulis novel digital"]


def test_an_sqlite_snapshot_of_the_postgresql_archive_is_searchable(archives, tmp_path):
    _, pg, _, pg_url = archives
    snap = tmp_path / "snapshot.db"
    made = arsip("export", "--format", "sqlite", "-o", str(snap), "--db", pg_url)
    assert made.returncode == 0, made.stderr
    assert f"{len(ARTICLES)} articles written" in made.stderr
    with Archive(str(snap), readonly=True) as copy:
        for query in ("menulis", '"serat optik"', "sat*", "pengguna -bandara"):
            assert [r["url"] for r in copy.search(query)] != []
            assert {r["url"] for r in copy.search(query)} == {r["url"] for r in pg.search(query)}
        assert copy.get(ARTICLES[0].url)["title"] == ARTICLES[0].title
        assert copy.stats() == pg.stats()
    # Datasette reads it like any crawled archive: the views are there.
    assert arsip("search", "menulis", "--count", "--db", str(snap)).stdout.strip() == "1"
    again = arsip("export", "--format", "sqlite", "-o", str(snap), "--db", pg_url)
    assert again.returncode == 0, again.stderr  # replaced whole, not appended to
    assert arsip("search", "menulis", "--count", "--db", str(snap)).stdout.strip() == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snapshot.db"]  # no leftovers


def test_a_snapshot_refuses_filters_and_its_own_archive(archives, tmp_path):
    _, _, sqlite_path, pg_url = archives
    filtered = arsip(
        "export", "--format", "sqlite", "-o", str(tmp_path / "s.db"), "--site", "x", "--db", pg_url
    )
    assert_one_line_error(filtered)
    itself = arsip("export", "--format", "sqlite", "-o", sqlite_path, "--db", sqlite_path)
    assert_one_line_error(itself)
    assert Archive(sqlite_path, readonly=True).count("menulis") == 1  # untouched
