"""The archive survives its own commands: exports and logs never land on it,
failed writes leave nothing half-written, a damaged file is named as such."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.archive import Archive
from tests.cli_helpers import ROOT, arsip, assert_one_line_error, build_archive_db, make_article
from tests.e2e_site import E2EServer, Site

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def db(tmp_path):
    return build_archive_db(tmp_path / "archive.db")


def still_whole(db: Path) -> None:
    """The archive opens and holds its three articles."""
    proc = arsip("export", "--format", "jsonl", "--db", str(db), check=True)
    assert len(proc.stdout.splitlines()) == 3


# -- issue 10 item 1: export never writes over the archive ------------------------


def _outputs(db: Path) -> dict[str, str]:
    folder = db.parent
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "tautan.jsonl").symlink_to(db)
    os.link(db, folder / "salinan.db")
    return {
        "same path": str(db),
        "through ./": f"{folder}/./{db.name}",
        "through ..": f"{folder}/sub/../{db.name}",
        "symlink": str(folder / "tautan.jsonl"),
        "hard link": str(folder / "salinan.db"),
        "wal": f"{db}-wal",
        "shm": f"{db}-shm",
        "journal": f"{db}-journal",
        "crawl lock": f"{db}.lock",
        "frontier": f"{db}.frontier.json",
    }


def test_export_refuses_every_path_that_is_the_archive_or_its_companions(db):
    # A reader leaves the -wal/-shm files in place, as during a crawl.
    with Archive(db, readonly=True) as archive:
        assert archive.count() == 3
    before = fingerprint(db)
    for label, output in _outputs(db).items():
        proc = arsip("export", "--format", "jsonl", "-o", output, "--db", str(db))
        assert_one_line_error(proc)
        assert "Refusing to write the export" in proc.stderr, label
        assert fingerprint(db) == before, label
    still_whole(db)


def test_export_refuses_the_archive_when_run_from_its_folder(db):
    before = fingerprint(db)
    proc = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "export", "--format", "csv", "-o", "archive.db"],
        capture_output=True,
        text=True,
        cwd=db.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT), "ARSIP_DB": "./archive.db"},
        timeout=120,
    )
    assert_one_line_error(proc)
    assert fingerprint(db) == before


def _limited_file_size(limit: int):
    def apply() -> None:
        # Writes past `limit` bytes fail with EFBIG, like a disk that fills up.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_an_export_that_fails_midway_leaves_the_old_file_and_no_partial_one(tmp_path):
    db = tmp_path / "archive.db"
    body = " ".join(f"kalimata{i}" for i in range(1500))
    with Archive(db) as archive:
        archive.save_batch([make_article(n, "teknokita", f"Judul {n}", body) for n in range(1, 29)])
    out = tmp_path / "artikel.jsonl"
    out.write_text('{"lama": true}\n')
    before = fingerprint(out)
    proc = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "export", "-o", str(out), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=_limited_file_size(64_000),
    )
    assert_one_line_error(proc, code=1)
    assert f"Cannot write {out}" in proc.stderr
    assert fingerprint(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "artikel" in p.name) == ["artikel.jsonl"]
    # Without the limit the same export replaces the old file whole.
    arsip("export", "-o", str(out), "--db", str(db), check=True)
    assert len(out.read_text().splitlines()) == 28


@pytest.mark.parametrize(
    "command",
    [
        ["export", "-o", "/dev/full", "--format", "csv"],
        ["export"],
        ["stats"],
        ["search", "ponsel"],
        ["show", "1"],
        ["runs"],
    ],
)
def test_commands_writing_to_a_full_device_say_so_in_one_sentence(db, command):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "scraper.cli", *command, "--db", str(db)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert_one_line_error(proc, code=1)
    assert "No space left on device" in proc.stderr


# -- issue 11: the export format follows the file name ------------------------------


def test_export_infers_the_format_from_the_file_name(db, tmp_path):
    arsip("export", "-o", str(tmp_path / "a.csv"), "--db", str(db), check=True)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 3 and rows[0]["url"].startswith("https://")

    arsip("export", "-o", str(tmp_path / "a.csv.gz"), "--db", str(db), check=True)
    text = gzip.decompress((tmp_path / "a.csv.gz").read_bytes()).decode("utf-8")
    assert text.startswith("url,") and len(list(csv.DictReader(io.StringIO(text)))) == 3

    arsip("export", "-o", str(tmp_path / "a.jsonl.gz"), "--db", str(db), check=True)
    lines = gzip.decompress((tmp_path / "a.jsonl.gz").read_bytes()).decode().splitlines()
    assert len([json.loads(line) for line in lines]) == 3

    pq = pytest.importorskip("pyarrow.parquet")
    arsip("export", "-o", str(tmp_path / "a.parquet"), "--db", str(db), check=True)
    assert pq.read_table(tmp_path / "a.parquet").num_rows == 3


@pytest.mark.parametrize(
    "args, words",
    [
        (["--format", "jsonl", "-o", "{tmp}/a.csv"], "does not match"),
        (["--format", "csv", "-o", "{tmp}/a.parquet"], "does not match"),
        (["-o", "{tmp}/artikel.xlsx"], "Cannot tell the format"),
    ],
)
def test_export_format_and_name_that_disagree_are_refused(db, tmp_path, args, words):
    args = [a.format(tmp=tmp_path) for a in args]
    proc = arsip("export", *args, "--db", str(db))
    assert_one_line_error(proc)
    assert words in proc.stderr
    assert not Path(args[-1]).exists()


def test_parquet_is_not_written_to_a_terminal(db):
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "scraper.cli", "export", "--format", "parquet", "--db", str(db)],
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert_one_line_error(proc)
    assert "Parquet is binary" in proc.stderr


# -- issue 10 item 4: the crawl log never lands on the archive ---------------------


@pytest.mark.parametrize("suffix", ["", "-wal", ".lock"])
def test_crawl_refuses_a_log_file_that_is_the_archive(db, tmp_path, suffix):
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.kabar]\nname = "Kabar"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    before = fingerprint(db)
    log = f"{db.parent}/./{db.name}{suffix}"
    proc = arsip("crawl", "--sites", str(sites), "--log-file", log, "--db", str(db), *FAST)
    assert_one_line_error(proc)
    assert "Refusing to write the log" in proc.stderr
    assert fingerprint(db) == before
    still_whole(db)
    scheduled = arsip("schedule", "--every", "1h", "--log-file", log, "--db", str(db))
    assert_one_line_error(scheduled)
    assert "Refusing to write the log" in scheduled.stderr


# -- issue 10 item 6: a damaged archive is named, the crawl stops -----------------


def damage(db: Path, table: str) -> None:
    """Overwrite the second half of a table's pages in the middle of a real archive."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
    conn.close()
    assert len(pages) > 2, pages
    with open(db, "r+b") as f:
        for page in pages[len(pages) // 2 :]:
            f.seek((page - 1) * page_size)
            f.write(b"\xa5" * page_size)


def assert_damaged_sentence(proc: subprocess.CompletedProcess, db: Path) -> None:
    last = proc.stderr.strip().splitlines()[-1]
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "SELECT" not in proc.stderr
    assert f"The archive {db} is damaged" in last
    assert f'sqlite3 {db} ".recover"' in last


def test_a_damaged_archive_stops_the_crawl_and_read_commands_say_how_to_recover(tmp_path):
    db = tmp_path / "archive.db"
    with E2EServer(Site(n_articles=40)) as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[sites.kabar]\nname = "Kabar"\nstart_urls = ["{server.url}/"]\n')
        first = arsip("crawl", "--sites", str(sites), "--db", str(db), "--max-pages", "12", *FAST)
        assert first.returncode == 0, first.stderr
        damage(db, "articles")
        again = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST)
    assert_damaged_sentence(again, db)
    assert "new=" not in again.stdout  # no summary line claiming a finished run
    assert "Spider error" not in again.stderr  # stopped at the first failed read
    for command in (["stats"], ["search", "gawai"], ["export"]):
        proc = arsip(*command, "--db", str(db))
        assert_damaged_sentence(proc, db)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
