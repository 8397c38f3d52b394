"""Open modes and schema versions: read commands never change a file, writers
create and upgrade, concurrent first opens all succeed (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer

from scraper.archive import Archive, migrations
from scraper.exceptions import ArchiveError
from tests.cli_helpers import ROOT, arsip, assert_one_line_error, build_archive_db

READ_COMMANDS = [
    ["stats"],
    ["search", "ponsel"],
    ["show", "1"],
    ["export", "--format", "jsonl"],
    ["runs"],
    ["sites"],
]


def fingerprint(path: Path) -> tuple[str, int]:
    """The file's bytes (as a digest) and modification time, to prove it was not touched."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def set_schema_version(path: Path, version: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE arsip_meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.commit()
    conn.close()


@pytest.fixture
def newer(tmp_path):
    path = build_archive_db(tmp_path / "newer.db")
    set_schema_version(path, "99")
    return path


@pytest.fixture
def foreign(tmp_path):
    path = tmp_path / "notes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('catatan rapat')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_refuse_a_newer_archive_and_leave_it_alone(newer, command):
    before = fingerprint(newer)
    proc = arsip(*command, "--db", str(newer))
    assert_one_line_error(proc)
    assert "made by a newer arsip (schema 99); upgrade arsip" in proc.stderr
    assert fingerprint(newer) == before


@pytest.mark.parametrize("kind", ["other_sqlite", "empty_file", "text_file"])
def test_stats_on_a_file_that_is_not_an_archive_leaves_it_byte_identical(tmp_path, foreign, kind):
    if kind == "other_sqlite":
        path = foreign
    elif kind == "empty_file":
        path = tmp_path / "kosong.db"
        path.write_bytes(b"")
    else:
        path = tmp_path / "catatan.db"
        path.write_text("bukan basis data\n" * 300)
    before = fingerprint(path)
    proc = arsip("stats", "--db", str(path))
    assert_one_line_error(proc)
    assert f"{path} is not an arsip archive" in proc.stderr
    assert fingerprint(path) == before
    if kind == "other_sqlite":
        conn = sqlite3.connect(path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert tables == {"notes"}


def test_writers_refuse_a_newer_archive_and_another_sqlite_file(newer, foreign):
    for path, words in ((newer, "made by a newer arsip"), (foreign, "is not an arsip archive")):
        before = fingerprint(path)
        with pytest.raises(ArchiveError, match=words):
            Archive(path)
        proc = arsip("reparse", "--db", str(path))
        assert_one_line_error(proc)
        assert words in proc.stderr
        sites = path.parent / "sites.toml"
        sites.write_text('[sites.kabar]\nname = "Kabar"\nstart_urls = ["http://127.0.0.1:9/"]\n')
        crawl = arsip("crawl", "--sites", str(sites), "--db", str(path))
        assert_one_line_error(crawl)
        assert words in crawl.stderr
        assert fingerprint(path) == before


def test_a_writer_may_start_an_archive_in_an_empty_file(tmp_path):
    # `touch archive.db` (or mktemp) before the first crawl is not a foreign file.
    path = tmp_path / "archive.db"
    path.write_bytes(b"")
    with Archive(path) as archive:
        assert archive.count() == 0
    assert arsip("stats", "--db", str(path)).returncode == 0


def _without_root_powers() -> list[str]:
    """A command prefix that makes permission bits count: root ignores them
    (CAP_DAC_OVERRIDE), so as root the child runs without that capability."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permission bits cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


@pytest.mark.parametrize("where", ["readonly_file", "readonly_folder"])
def test_a_read_only_archive_can_be_read(tmp_path, where):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = build_archive_db(folder / "archive.db")
    path.chmod(0o444)
    if where == "readonly_folder":
        folder.chmod(0o555)
    before = fingerprint(path)
    try:
        for command in (["stats", "--json"], ["search", "ponsel"], ["export"]):
            proc = subprocess.run(
                [*_without_root_powers(), sys.executable, "-m", "scraper.cli", *command],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=120,
                env={**os.environ, "ARSIP_DB": str(path)},
            )
            assert proc.returncode == 0, proc.stderr
            assert proc.stdout.strip()
        assert "Harga Ponsel Lipat Turun" in proc.stdout  # the export read every record
        assert fingerprint(path) == before
        if where == "readonly_folder":
            assert sorted(p.name for p in folder.iterdir()) == ["archive.db"]
    finally:
        folder.chmod(0o755)


# -- schema versions -----------------------------------------------------------

# A child `arsip` whose arsip knows one more schema step than the archive has:
# the step adds a column, as a real one would.
_WITH_STEP = textwrap.dedent(
    """
    import sys
    from sqlalchemy import Column, Integer
    from scraper.archive import migrations
    migrations.MIGRATIONS.append(migrations.Migration(
        "articles.reads", lambda conn: migrations.add_column(conn, "articles", Column("reads", Integer))
    ))
    from scraper.cli import main
    sys.argv[0] = "arsip"
    main()
    """
)


def arsip_one_step_ahead(*args: str):
    return subprocess.run(
        [sys.executable, "-c", _WITH_STEP, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def columns(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    finally:
        conn.close()


def schema_version(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM arsip_meta WHERE key='schema_version'").fetchone()[0]
    finally:
        conn.close()


def test_an_older_archive_is_refused_by_readers_and_upgraded_by_migrate(tmp_path):
    path = build_archive_db(tmp_path / "archive.db")
    assert schema_version(path) == str(migrations.SCHEMA_VERSION)
    before = fingerprint(path)
    old, new = migrations.SCHEMA_VERSION, migrations.SCHEMA_VERSION + 1

    proc = arsip_one_step_ahead("stats", "--db", str(path))
    assert_one_line_error(proc)
    assert f"run `arsip migrate --db {path}`" in proc.stderr
    assert f"older schema ({old}" in proc.stderr
    assert fingerprint(path) == before and "reads" not in columns(path)

    done = arsip_one_step_ahead("migrate", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert f"schema {new} (was {old})" in done.stdout
    assert "reads" in columns(path) and schema_version(path) == str(new)

    after = arsip_one_step_ahead("search", "ponsel", "--db", str(path))
    assert after.returncode == 0, after.stderr
    assert "Harga Ponsel Lipat Turun" in after.stdout
    # ...and this arsip, one step behind the archive now, refuses it.
    behind = arsip("stats", "--db", str(path))
    assert_one_line_error(behind)
    assert f"made by a newer arsip (schema {new})" in behind.stderr


def test_a_writing_open_applies_missing_steps_in_order_in_one_transaction(tmp_path, monkeypatch):
    path = build_archive_db(tmp_path / "archive.db")
    base = migrations.SCHEMA_VERSION
    applied = []

    def step(name):
        def apply(conn):
            applied.append(name)
            migrations.add_column(conn, "articles", Column(name, Integer))
            migrations.add_column(conn, "articles", Column(name, Integer))  # no-op twice

        return migrations.Migration(name, apply)

    def fail(conn):
        raise RuntimeError("disk said no")

    broken = migrations.Migration("broken", fail)

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, step("a1"), step("a2")])
    with Archive(path) as archive:
        assert archive.count() == 3
    assert applied == ["a1", "a2"]
    assert {"a1", "a2"} <= columns(path)
    assert schema_version(path) == str(base + 2)

    # A failing step leaves the archive exactly as it was (one transaction).
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, step("b1"), broken])
    with pytest.raises(
        ArchiveError, match=re.escape("step 'broken' failed (disk said no); the archive is")
    ):
        Archive(path)
    assert "b1" not in columns(path) and schema_version(path) == str(base + 2)


def _open_when_released(location: str, release, results) -> None:
    release.wait()
    try:
        with Archive(location) as archive:
            results.put(("ok", archive.count()))
    except BaseException as exc:  # reported to the parent
        results.put(("error", repr(exc)))


def _open_all_at_once(location: str, n: int = 4) -> list:
    ctx = multiprocessing.get_context("spawn")
    release, results = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_open_when_released, args=(location, release, results)) for _ in range(n)
    ]
    for proc in procs:
        proc.start()
    release.set()
    out = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    return out


def test_four_processes_creating_one_sqlite_archive_at_once_all_succeed(tmp_path):
    path = tmp_path / "baru.db"
    assert _open_all_at_once(str(path)) == [("ok", 0)] * 4
    assert schema_version(path) == str(migrations.SCHEMA_VERSION)


@pytest.fixture
def pg_url():
    """A fresh database on the test server (tests/test_postgres.py), dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    server = os.environ.get("ARSIP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {server}: {exc}")
    name = f"arsip_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_four_processes_creating_one_postgresql_archive_at_once_all_succeed(pg_url):
    assert _open_all_at_once(pg_url) == [("ok", 0)] * 4
    with Archive(pg_url, readonly=True) as archive:
        assert archive.count() == 0


def test_migrate_refuses_what_it_cannot_upgrade_and_reports_an_up_to_date_archive(
    tmp_path, newer, foreign
):
    missing = tmp_path / "tidak-ada.db"
    proc = arsip("migrate", "--db", str(missing))
    assert_one_line_error(proc)
    assert not missing.exists()
    for path, words in ((newer, "made by a newer arsip"), (foreign, "is not an arsip archive")):
        before = fingerprint(path)
        proc = arsip("migrate", "--db", str(path))
        assert_one_line_error(proc)
        assert words in proc.stderr
        assert fingerprint(path) == before
    current = build_archive_db(tmp_path / "kini.db")
    done = arsip("migrate", "--db", str(current), check=True)
    assert f"schema {migrations.SCHEMA_VERSION}, up to date" in done.stdout
