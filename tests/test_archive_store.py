"""The archive's write side: opening, upserts, versions, URL variants, duplicates, raw pages, runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from scraper import Archive
from scraper.exceptions import ArchiveError
from scraper.fingerprint import content_hash, simhash
from scraper.items import Article

BODY = (
    "Xiaomi resmi meluncurkan ponsel terbaru dengan kamera hasil kerja sama bersama Leica. "
    "Ponsel ini diluncurkan di Jakarta pada Selasa dan dijual mulai pekan depan. "
    "Perusahaan menyebut sensor kameranya lebih besar dibanding generasi sebelumnya, "
    "sementara baterainya bertahan hingga dua hari pemakaian normal."
)

#: A body long enough for simhash to be stable under a light edit.
LONG_BODY = (
    "Xiaomi resmi meluncurkan ponsel terbaru dengan kamera hasil kerja sama bersama Leica. "
    "Ponsel ini diluncurkan di Jakarta pada Selasa dan dijual mulai pekan depan di toko resmi. "
    "Perusahaan menyebut sensor kameranya lebih besar dibanding generasi sebelumnya sehingga "
    "foto malam hari tampak lebih terang tanpa banyak derau. Layar berukuran 6,7 inci memakai "
    "panel AMOLED dengan kecerahan puncak tinggi, cocok untuk dipakai di bawah terik matahari. "
    "Baterainya berkapasitas lima ribu miliampere jam dan mendukung pengisian cepat kabel maupun "
    "nirkabel. Dalam pengujian redaksi, daya tahan baterai mencapai dua hari pemakaian normal, "
    "termasuk menonton video, membuka media sosial, dan bermain gim ringan. Prosesor kelas atas "
    "membuat aplikasi berat berjalan mulus, meski bodi terasa hangat setelah bermain gim selama "
    "setengah jam. Sistem operasinya sudah memakai antarmuka terbaru dengan janji pembaruan "
    "keamanan selama empat tahun. Harga resmi belum diumumkan, tetapi sejumlah pengecer "
    "memperkirakan ponsel ini dijual di kisaran sepuluh juta rupiah. Analis pasar menilai "
    "kehadiran kamera Leica menjadi daya tarik utama bagi pengguna yang gemar fotografi, "
    "terutama di tengah persaingan ketat dengan merek lain di segmen premium tanah air."
)


def make(url: str, body: str = BODY, title: str = "Xiaomi rilis ponsel Leica", **kw) -> Article:
    kw.setdefault("site", "teknokita")
    kw.setdefault("published_at", "2025-03-04T10:00:00+07:00")
    return Article(
        url=url,
        title=title,
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        word_count=len(body.split()),
        **kw,
    )


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.db") as arc:
        yield arc


def test_open_creates_a_wal_sqlite_file(tmp_path):
    path = tmp_path / "new.db"
    Archive(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "article_urls", "article_versions", "raw_pages", "crawl_runs"} <= tables
    assert {"articles_fts", "articles_flat", "related_links", "headings"} <= tables


@pytest.mark.parametrize("case", ["missing_dir", "directory", "not_a_database"])
def test_bad_archive_path_is_one_sentence(tmp_path, case):
    if case == "missing_dir":
        path = tmp_path / "nope" / "archive.db"
    elif case == "directory":
        path = tmp_path
    else:
        path = tmp_path / "notes.db"
        path.write_text("this is a text file, not SQLite\n" * 100)
    with pytest.raises(ArchiveError) as err:
        Archive(path)
    message = str(err.value)
    assert str(path.name) in message or str(path) in message
    assert "Traceback" not in message and "SELECT" not in message and "\n" not in message


def test_saving_the_same_article_twice_changes_nothing_but_last_seen(archive):
    first = archive.save_batch([make("https://example.id/2025/03/xiaomi-leica/")])
    before = archive.get("https://example.id/2025/03/xiaomi-leica/")
    second = archive.save_batch([make("https://example.id/2025/03/xiaomi-leica/")])
    after = archive.get("https://example.id/2025/03/xiaomi-leica/")
    assert (first, second) == (["new"], ["unchanged"])
    assert archive.count() == 1
    assert after["versions"] == 0 and after["version"] == 1
    assert after["last_seen"] > before["last_seen"]
    assert after["first_seen"] == before["first_seen"]


def test_a_reparse_save_does_not_count_as_seen(archive):
    url = "https://example.id/2025/03/xiaomi-leica/"
    archive.save_batch([make(url)])
    before = archive.get(url)["last_seen"]
    assert archive.save_batch([make(url)], touch=False) == ["unchanged"]
    assert archive.get(url)["last_seen"] == before


def test_changed_article_keeps_its_previous_version(archive):
    url = "https://example.id/2025/03/xiaomi-leica/"
    archive.save_batch([make(url)])
    edited = BODY + " Harga resminya diumumkan Rp5 juta."
    assert archive.save_batch(
        [make(url, body=edited, title="Xiaomi rilis ponsel Leica (update)")]
    ) == ["updated"]
    record = archive.get(url)
    assert record["title"].endswith("(update)") and record["body_text"] == edited
    assert record["versions"] == 1 and record["version"] == 2
    [old] = archive.versions(url)
    assert old["record"]["title"] == "Xiaomi rilis ponsel Leica"
    assert old["record"]["body_text"] == BODY


def test_url_variants_map_to_one_row(archive):
    outcomes = archive.save_batch(
        [
            make("https://example.id/2025/03/xiaomi-leica/?utm_source=fb&utm_medium=social"),
            make("http://m.example.id/2025/03/xiaomi-leica"),
        ]
    )
    assert outcomes == ["new", "unchanged"]
    assert archive.count() == 1
    variants = [
        "https://example.id/2025/03/xiaomi-leica",
        "http://example.id/2025/03/xiaomi-leica/",
        "https://m.example.id/2025/03/xiaomi-leica/?utm_campaign=x",
        "https://example.id/2025/03/xiaomi-leica/#komentar",
    ]
    unknown = ["https://example.id/2025/03/lain/", "https://other.id/2025/03/xiaomi-leica/"]
    assert archive.known_urls(variants + unknown) == set(variants)
    assert archive.get(variants[1])["id"] == archive.get(variants[0])["id"]


def test_known_url_dates_tell_when_the_stored_version_changed(archive):
    from datetime import datetime

    archive.save_batch(
        [
            make("https://example.id/a/", published_at="2025-03-04T10:00:00+07:00"),
            make(
                "https://example.id/b/",
                body="lain",
                published_at="2025-03-01T10:00:00+07:00",
                modified_at="2025-03-05T09:00:00+08:00",
            ),
            make("https://example.id/c/", body="tanpa tanggal", published_at=None),
        ]
    )
    dates = archive.known_url_dates(
        [
            "http://example.id/a",
            "https://example.id/b/?utm_source=x",
            "https://example.id/c/",
            "https://example.id/d/",
        ]
    )
    assert dates == {
        "http://example.id/a": datetime(2025, 3, 4, 3, 0),
        "https://example.id/b/?utm_source=x": datetime(2025, 3, 5, 1, 0),
        "https://example.id/c/": None,
    }


def test_known_urls_handles_more_urls_than_one_query_takes(archive):
    archive.save_batch(
        [make(f"https://example.id/a/{i}/", body=f"{BODY} nomor {i}") for i in range(1200)]
    )
    asked = [f"https://example.id/a/{i}" for i in range(0, 2400, 2)]
    assert archive.known_urls(asked) == {f"https://example.id/a/{i}" for i in range(0, 1200, 2)}


def test_two_records_of_one_article_in_one_batch(archive):
    url = "https://example.id/2025/03/xiaomi-leica/"
    outcomes = archive.save_batch(
        [make(url), make(url + "?utm_source=x", body=BODY + " Tambahan.")]
    )
    assert outcomes == ["new", "updated"]
    assert archive.get(url)["body_text"].endswith("Tambahan.")
    assert archive.search("tambahan")[0]["url"] == url


def test_find_duplicate_exact_and_near_but_not_itself(archive):
    original = "https://example.id/2025/03/xiaomi-leica/"
    archive.save_batch([make(original, body=LONG_BODY)])
    exact = archive.find_duplicate(
        content_hash(LONG_BODY), simhash(LONG_BODY), "https://other.id/x/"
    )
    assert exact == original
    lightly_edited = LONG_BODY + " Baca selengkapnya di situs kami."
    assert content_hash(lightly_edited) != content_hash(LONG_BODY)
    found = archive.find_duplicate(
        content_hash(lightly_edited), simhash(lightly_edited), "https://other.id/y/"
    )
    assert found == original
    own = original + "?utm_source=x"
    assert archive.find_duplicate(content_hash(LONG_BODY), simhash(LONG_BODY), own) is None
    other = (
        "Samsung memperkenalkan jam tangan pintar baru dengan sensor kesehatan dan baterai awet."
    )
    assert (
        archive.find_duplicate(content_hash(other), simhash(other), "https://other.id/z/") is None
    )


def test_duplicates_are_stored_linked_and_never_become_originals(archive):
    original = "https://example.id/2025/03/xiaomi-leica/"
    archive.save_batch([make(original)])
    copy = make("https://syndikasi.id/berita/xiaomi-leica", site="syndikasi", duplicate_of=original)
    assert archive.save_batch([copy]) == ["duplicate"]
    assert archive.get("https://syndikasi.id/berita/xiaomi-leica")["duplicate_of"] == original
    # A third copy is linked to the original, not to the second copy.
    assert (
        archive.find_duplicate(content_hash(BODY), simhash(BODY), "https://third.id/x") == original
    )
    stats = archive.stats()
    assert (stats["articles"], stats["duplicates"], stats["originals"]) == (2, 1, 1)


def test_raw_pages_are_kept_compressed_and_readable(tmp_path):
    page = ("<html><body><article>" + BODY * 20 + "</article></body></html>").encode()
    with Archive(tmp_path / "a.db") as arc:
        arc.save_batch(
            [make("https://example.id/a/"), make("https://example.id/b/", body="lain")],
            [page, None],
        )
        [(url, data, _fetched, site)] = list(arc.iter_raw_pages())
        assert (url, data, site) == ("https://example.id/a/", page, "teknokita")
        assert 0 < arc.stats()["raw_bytes"] < len(page)
    with Archive(tmp_path / "b.db", keep_raw=False) as arc:
        arc.save_batch([make("https://example.id/a/")], [page])
        assert list(arc.iter_raw_pages()) == []
        assert arc.stats()["raw_bytes"] == 0


def test_a_failing_batch_leaves_no_half_record(archive, monkeypatch):
    from scraper.archive import fts

    archive.save_batch([make("https://example.id/keep/")])

    def broken(*_args, **_kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(fts, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        archive.save_batch(
            [make("https://example.id/a/", body="satu"), make("https://example.id/b/", body="dua")]
        )
    monkeypatch.undo()
    assert archive.count() == 1
    assert archive.known_urls(["https://example.id/a/"]) == set()


def test_a_killed_writer_leaves_no_half_record(tmp_path):
    path = tmp_path / "archive.db"
    # The child dies by SIGKILL in the middle of a batch: articles inserted,
    # FTS rows not yet, transaction not committed.
    script = textwrap.dedent(
        f"""
        import os, signal
        from scraper import Archive
        from scraper.archive import fts
        from scraper.items import Article
        arc = Archive({str(path)!r})
        arc.save_batch([Article(url="https://example.id/first/", title="Pertama", body_text="satu dua")])
        fts.insert_rows = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        arc.save_batch([Article(url=f"https://example.id/{{i}}/", title="x", body_text="y") for i in range(50)])
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd(), timeout=60)
    assert proc.returncode == -9
    with Archive(path) as arc:
        assert arc.count() == 1
        assert [r["url"] for r in arc.search("pertama")] == ["https://example.id/first/"]
        assert arc.save_batch([Article(url="https://example.id/3/", title="x", body_text="y")]) == [
            "new"
        ]


def test_runs_and_fetch_errors_are_recorded(archive):
    run = archive.start_run(["teknokita", "gadgetin"])
    archive.record_fetch_error(run, "https://example.id/x/", "HttpError", 503, 3, site="teknokita")
    archive.record_fetch_error(
        run, "https://example.id/y/", "TimeoutError", None, 2, site="teknokita"
    )
    archive.finish_run(
        run,
        {
            "pages": 40,
            "new": 30,
            "updated": 2,
            "unchanged": 5,
            "duplicates": 1,
            "dropped": {"not_article": 3},
            "errors": {"http_503": 1, "timeout": 1},
            "coverage": {"date": 0.9},
        },
    )
    [latest] = archive.runs(limit=1)
    assert latest["id"] == run and latest["sites"] == ["teknokita", "gadgetin"]
    assert (latest["pages"], latest["new"], latest["updated"], latest["duplicates"]) == (
        40,
        30,
        2,
        1,
    )
    assert latest["dropped"] == {"not_article": 3} and latest["fetch_errors"] == 2
    assert latest["coverage"] == {"date": 0.9} and latest["finished_at"] >= latest["started_at"]
    errors = archive.fetch_errors(run)
    assert [(e["status"], e["attempts"]) for e in errors] == [(503, 3), (None, 2)]


def test_an_article_is_never_a_duplicate_of_itself(archive):
    url = "https://example.id/2025/03/xiaomi-leica/"
    archive.save_batch([make(url)])
    # The site renamed the article's canonical URL and lightly edited it: the
    # duplicate lookup, not knowing the new URL yet, answers with the old row.
    edited = make(url, body=BODY + " Diperbarui.", canonical_url=url + "?v=2")
    edited.duplicate_of = url
    assert archive.save_batch([edited]) == ["updated"]
    assert archive.get(url)["duplicate_of"] is None
    assert archive.stats()["originals"] == 1


def test_a_new_related_rotation_updates_the_row_without_a_version(archive):
    url = "https://example.id/2025/03/xiaomi-leica/"
    first = [{"title": "Ponsel lipat", "url": "https://example.id/lipat/", "kind": "baca_juga"}]
    later = [{"title": "Tablet murah", "url": "https://example.id/tablet/", "kind": "baca_juga"}]
    link = [{"text": "Leica", "url": "https://leica.example/", "internal": False}]
    archive.save_batch([make(url, related=first)])
    rotated = make(url, related=later, links=link, tags=["kamera"])
    assert archive.save_batch([rotated]) == ["unchanged"]
    record = archive.get(url)
    assert (record["version"], record["versions"]) == (1, 0)
    assert record["related"] == later and record["links"] == link and record["tags"] == ["kamera"]
    # What the article says still makes a version.
    for changed in (
        make(url, related=later, links=link, tags=["kamera"], authors=["Rina"]),
        make(url, related=later, links=link, tags=["kamera"], authors=["Rina"], lists=[["a"]]),
    ):
        assert archive.save_batch([changed]) == ["updated"]
    assert archive.get(url)["version"] == 3


def test_an_earlier_published_copy_becomes_the_original(archive):
    first = "https://teknokita.id/2025/03/xiaomi-leica/"
    second = "https://gadgetin.id/berita/xiaomi-leica/"
    earliest = "https://kabarponsel.id/xiaomi-leica/"
    archive.save_batch([make(first, LONG_BODY, published_at="2025-03-04T10:00:00+07:00")])
    assert archive.save_batch(
        [make(second, LONG_BODY + " Sumber: redaksi.", published_at="2025-03-05T08:00:00+07:00")]
    ) == ["duplicate"]
    assert archive.get(second)["duplicate_of"] == first
    # A later crawl finds a copy published a day before both: the roles swap,
    # and the earlier copy keeps no copy of its own (no chains).
    outcome = archive.save_batch(
        [make(earliest, LONG_BODY, site="kabarponsel", published_at="2025-03-03T07:00:00+07:00")]
    )
    assert outcome == ["new"]
    assert archive.get(earliest)["duplicate_of"] is None
    assert archive.get(first)["duplicate_of"] == earliest
    assert archive.get(second)["duplicate_of"] == earliest
    assert archive.stats()["originals"] == 1
    # An undated copy never takes the original's place.
    undated = make("https://lain.id/xiaomi/", LONG_BODY, site="lain", published_at=None)
    assert archive.save_batch([undated]) == ["duplicate"]
    assert archive.get("https://lain.id/xiaomi/")["duplicate_of"] == earliest


def test_copies_within_one_batch_point_at_the_earliest_published(archive):
    later = make("https://a.id/x/", LONG_BODY, published_at="2025-03-05T10:00:00+07:00")
    earlier = make("https://b.id/x/", LONG_BODY, published_at="2025-03-02T10:00:00+07:00")
    assert archive.save_batch([later, earlier]) == ["duplicate", "new"]
    assert archive.get("https://a.id/x/")["duplicate_of"] == "https://b.id/x/"


def test_migrate_renumbers_doubled_versions_and_makes_them_unique(tmp_path):
    from scraper.archive import migrations
    from tests.cli_helpers import arsip

    path = tmp_path / "archive.db"
    url = "https://example.id/2025/03/xiaomi-leica/"
    with Archive(path) as arc:
        for n in range(3):
            arc.save_batch([make(url, body=BODY + " Ralat." * n)])
    # An archive from before the step, as two unserialised writers left it:
    # both stored their replaced state as version 1.
    before = next(
        i for i, m in enumerate(migrations.MIGRATIONS) if m.apply is migrations._unique_versions
    )
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP INDEX ux_article_versions_version")
        conn.execute(
            "CREATE INDEX ix_article_versions_article ON article_versions(article_id, version)"
        )
        conn.execute("UPDATE article_versions SET version = 1")
        conn.execute("UPDATE articles SET version = 2")
        conn.execute(
            "UPDATE arsip_meta SET value = ? WHERE key = 'schema_version'", (str(before + 1),)
        )
    conn.close()

    done = arsip("migrate", "--db", str(path))
    assert done.returncode == 0, done.stderr
    with Archive(path) as arc:
        assert [v["version"] for v in arc.versions(url)] == [1, 2]
        assert [v["record"]["body_text"] for v in arc.versions(url)] == [BODY, BODY + " Ralat."]
        assert arc.get(url)["version"] == 3
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO article_versions (article_id, version, replaced_at, record) "
            "SELECT article_id, version, replaced_at, record FROM article_versions LIMIT 1"
        )
    conn.close()


def test_a_canonical_shared_with_a_different_archived_article_is_not_its_key(archive):
    section = "https://example.id/gawai/"
    first = "https://example.id/2025/03/xiaomi-leica/"
    second = "https://example.id/2025/03/tablet-murah/"
    other = "Tablet murah dengan layar lebar dan baterai besar dijual mulai pekan ini. " * 3
    assert archive.save_batch([make(first, canonical_url=section)]) == ["new"]
    # A later crawl: another post whose theme names the same section URL.
    assert archive.save_batch(
        [make(second, body=other, title="Tablet murah dirilis", canonical_url=section)]
    ) == ["new"]
    assert archive.get(second)["title"] == "Tablet murah dirilis"
    assert archive.get(first)["title"] == "Xiaomi rilis ponsel Leica"
    assert archive.get(first)["versions"] == 0
    # The same article reached from another URL still folds into its row.
    variant = make("https://example.id/xiaomi-leica-kamera/", canonical_url=section)
    assert archive.save_batch([variant]) == ["unchanged"]
    assert archive.count() == 2
