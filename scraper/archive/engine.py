"""Opening the archive's database: path or URL checks, SQLite pragmas, open modes, schema.

Two modes. Writing (crawl, reparse, `arsip migrate`, the Python API's default)
creates a missing archive from models.py, stamped with the latest schema
version, and upgrades an older one (scraper.archive.migrations). Read-only
(search, show, stats, export, runs, sites, serve) opens an SQLite file with a
`mode=ro` URI, never creates, migrates or writes, and refuses a file that is
not a current arsip archive with one sentence, leaving it untouched.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from scraper.archive import fts, migrations, pgsearch, views
from scraper.archive.models import Base, meta
from scraper.exceptions import ArchiveDamaged, ArchiveError, ArchiveFailure

logger = logging.getLogger(__name__)

#: The latest schema version, as stored in arsip_meta (a string there).
SCHEMA_VERSION = str(migrations.SCHEMA_VERSION)
#: pg_advisory_xact_lock key ("arsipsch"): one creator or migrator at a time.
SCHEMA_LOCK_KEY = int.from_bytes(b"arsipsch", "big")
BUSY_TIMEOUT_MS = 30_000


def _dumps(value: Any) -> str:
    # Readable non-ASCII in the file (Datasette, sqlite3 shell) and smaller rows.
    return json.dumps(value, ensure_ascii=False)


def database_url(url_or_path: str) -> str:
    """An SQLAlchemy URL from a path or URL; a path's directory must exist."""
    if "://" in url_or_path:
        return url_or_path
    path = Path(url_or_path).expanduser()
    if path.is_dir():
        raise ArchiveError(f"The archive path {url_or_path} is a directory, not a file.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ArchiveError(
            f"Cannot create the archive {url_or_path}: folder {parent} does not exist."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise ArchiveError(f"The archive {url_or_path} is not readable and writable by this user.")
    if not path.exists() and not os.access(parent, os.W_OK):
        raise ArchiveError(
            f"Cannot create the archive {url_or_path}: folder {parent} is not writable."
        )
    return f"sqlite:///{path}"


def _configure_sqlite(engine: Engine, *, readonly: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN is ours
        # (IMMEDIATE for writers, see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            # Setting the journal mode writes the file header: writers only
            # (an archive is always created in WAL mode).
            cur.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable across application crashes in WAL mode; only an
            # OS crash may lose the last commits, never corrupt the file.
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front: a deferred transaction that
        # reads first and then writes can fail with SQLITE_BUSY without waiting.
        if conn.get_execution_options().get("arsip_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _readonly_sqlite_engine(url_or_path: str, *, immutable: bool) -> Engine:
    path = Path(url_or_path).expanduser()
    if not path.is_file():
        raise ArchiveError(f"no archive at {url_or_path}: run `arsip crawl` first, or pass --db.")
    # A `file:` URI, built here rather than through an SQLAlchemy URL, so any
    # character in the path (?, #, %) reaches SQLite intact.
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    if immutable:
        uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine(f"sqlite:///{path}", creator=connect, json_serializer=_dumps)
    _configure_sqlite(engine, readonly=True)
    return engine


def _make_engine(url_or_path: str, *, readonly: bool, immutable: bool = False) -> Engine:
    if readonly and "://" not in url_or_path:
        return _readonly_sqlite_engine(url_or_path, immutable=immutable)
    url = database_url(url_or_path)
    kwargs: dict[str, Any] = {"json_serializer": _dumps}
    if readonly and url.startswith("postgresql"):
        # The server itself refuses any write from a read command.
        kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise ArchiveError(f"Cannot open the archive {url_or_path}: {_reason(exc)}.") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


#: What `_schema_state` finds besides a version number.
EMPTY = "empty"  # a database with no tables at all (a new or 0-byte file)
FOREIGN = "foreign"  # tables, but not an arsip archive's


def _schema_state(conn: Connection) -> int | str:
    """The archive's schema version, or EMPTY / FOREIGN."""
    if conn.dialect.name == "sqlite":
        names = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        if not names:
            return EMPTY
        if meta.name not in names:
            return FOREIGN
    elif not inspect(conn).has_table(meta.name):
        # A PostgreSQL database may hold other applications' tables beside ours.
        return EMPTY
    value = get_setting(conn, "schema_version")
    try:
        return int(value) if value is not None else FOREIGN
    except ValueError:
        return FOREIGN


def check_version(location: str, state: int | str, *, readonly: bool) -> None:
    """Refuse what this mode cannot open, one sentence each."""
    latest = migrations.latest_version()
    if state == FOREIGN or (readonly and state == EMPTY):
        raise ArchiveError(f"{location} is not an arsip archive.")
    if isinstance(state, int) and state > latest:
        raise ArchiveError(f"{location} was made by a newer arsip (schema {state}); upgrade arsip.")
    if readonly and isinstance(state, int) and state < latest:
        raise ArchiveError(
            f"{location} uses an older schema ({state}, this arsip needs {latest}): "
            f"run `arsip migrate --db {location}` first."
        )


def open_engine(
    url_or_path: str,
    *,
    readonly: bool = False,
    initial_settings: dict[str, str] | None = None,
) -> Engine:
    """The archive's engine, checked for this mode; any failure is one ArchiveError sentence.

    Writing: creates a missing archive (with `initial_settings` in arsip_meta)
    or upgrades an older one, in one transaction. Read-only: never writes.
    """
    if not readonly:
        database_url(url_or_path)  # a bad path is one sentence before anything opens
    # An existing file is looked at read-only first: a writer's connection sets
    # WAL mode, which would rewrite the header of a file we then refuse.
    probe_ro = readonly or _existing_file(url_or_path)
    engine = _make_engine(url_or_path, readonly=probe_ro)
    try:
        try:
            with engine.connect() as conn:
                state = _schema_state(conn)
        except DBAPIError as exc:
            if not (readonly and "://" not in url_or_path and _cannot_open(exc)):
                raise
            # A WAL archive in a folder this user cannot write to: SQLite cannot
            # create the -shm index beside it. Nobody can write there either,
            # so reading the file as an immutable snapshot is safe, unless a
            # -wal file holds commits the snapshot would not see.
            engine.dispose()
            wal = Path(f"{Path(url_or_path).expanduser()}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise ArchiveError(
                    f"Cannot read the archive {url_or_path}: its folder is read-only and "
                    f"{wal.name} holds changes not yet in the file; copy both somewhere writable."
                ) from exc
            engine = _make_engine(url_or_path, readonly=True, immutable=True)
            with engine.connect() as conn:
                state = _schema_state(conn)
        check_version(url_or_path, state, readonly=readonly)
        if probe_ro and not readonly:
            engine.dispose()
            engine = _make_engine(url_or_path, readonly=False)
        if not readonly and (state != migrations.latest_version() or _views_stale(engine, state)):
            # Only a first open or an upgrade writes: readers opening an
            # archive a crawl is writing to must not queue for its lock.
            _create_or_upgrade(engine, url_or_path, initial_settings or {})
    except ArchiveError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise open_error(url_or_path, exc) from exc
    return engine


def _existing_file(url_or_path: str) -> bool:
    if "://" in url_or_path:
        return False
    path = Path(url_or_path).expanduser()
    return path.is_file() and path.stat().st_size > 0


def _cannot_open(exc: DBAPIError) -> bool:
    # SQLite 3.40 says SQLITE_READONLY_DIRECTORY, older ones SQLITE_CANTOPEN.
    name = getattr(exc.orig, "sqlite_errorname", "")
    return name in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY_CANTINIT")


def _views_stale(engine: Engine, state: int | str) -> bool:
    if engine.dialect.name != "sqlite" or not isinstance(state, int):
        return False
    with engine.connect() as conn:
        return get_setting(conn, "views_version") != views.VIEWS_VERSION


def _create_or_upgrade(engine: Engine, location: str, initial: dict[str, str]) -> None:
    """Create or upgrade under the write lock, re-reading the state once it is held:
    of N processes opening a new archive at once, one creates it, the rest find it."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect().execution_options(arsip_write=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            # Released at commit; DDL in PostgreSQL is transactional, so the
            # next holder sees the finished schema or none of it.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        state = _schema_state(conn)
        check_version(location, state, readonly=False)
        latest = migrations.latest_version()
        if state == EMPTY:
            Base.metadata.create_all(conn)
            for key, value in initial.items():
                set_setting(conn, key, value)
        elif state < latest:
            names = migrations.upgrade(conn, state)
            logger.info(
                "upgraded the archive %s from schema %s to %s (%s)",
                location,
                state,
                latest,
                ", ".join(names),
            )
        if engine.dialect.name == "postgresql":
            pgsearch.create(conn)  # the tsvector search index (no-op when present)
        if sqlite:
            fts.create(conn)
            if state == EMPTY or get_setting(conn, "views_version") != views.VIEWS_VERSION:
                views.create(conn)
            set_setting(conn, "views_version", views.VIEWS_VERSION)
        set_setting(conn, "schema_version", str(latest))


def migrate(url_or_path: str) -> tuple[int, int]:
    """Upgrade an existing archive to the latest schema: (version before, after).

    Looked at read-only first, so a file that is not an arsip archive (or a
    newer one) is refused untouched."""
    if "://" not in url_or_path and not Path(url_or_path).expanduser().is_file():
        raise ArchiveError(f"no archive at {url_or_path}: nothing to migrate.")
    engine = _make_engine(url_or_path, readonly=True)
    try:
        with engine.connect() as conn:
            before = _schema_state(conn)
    except SQLAlchemyError as exc:
        raise open_error(url_or_path, exc) from exc
    finally:
        engine.dispose()
    if before == EMPTY:
        raise ArchiveError(f"{url_or_path} is not an arsip archive.")
    check_version(url_or_path, before, readonly=False)
    open_engine(url_or_path).dispose()
    return int(before), migrations.latest_version()


#: What SQLite says about a damaged file.
_DAMAGED = ("database disk image is malformed", "malformed database schema")


def is_damaged(exc: BaseException) -> bool:
    """Whether SQLite reported the file as damaged (SQLITE_CORRUPT)."""
    text_ = str(getattr(exc, "orig", None) or exc)
    return any(marker in text_ for marker in _DAMAGED)


def damaged_error(location: str) -> ArchiveDamaged:
    return ArchiveDamaged(
        f"The archive {location} is damaged (SQLite: database disk image is malformed); "
        f'stop writing to it and recover it with: sqlite3 {location} ".recover" '
        f"| sqlite3 recovered.db"
    )


def open_error(location: str, exc: BaseException) -> ArchiveError:
    """The sentence for a failure while opening: damaged, not a database, or the driver's reason."""
    if is_damaged(exc):
        return damaged_error(location)
    reason = _reason(exc)
    if "file is not a database" in reason:
        return ArchiveError(f"{location} is not an arsip archive.")
    if any(word in reason for word in _RUNTIME):
        # Not the user's input: the same command may work later (exit 1).
        return ArchiveFailure(f"Cannot open the archive {location}: {reason}.")
    return ArchiveError(f"Cannot open the archive {location}: {reason}.")


#: Driver reasons that are run-time conditions, not bad input.
_RUNTIME = ("database is locked", "disk I/O error", "database or disk is full")


def runtime_error(location: str, exc: BaseException, action: str = "write to") -> ArchiveError:
    """The sentence for a failure while working (exit 1): damaged, disk full, locked..."""
    if is_damaged(exc):
        return damaged_error(location)
    return ArchiveFailure(f"Cannot {action} the archive {location}: {_reason(exc)}.")


def _reason(exc: BaseException) -> str:
    """The driver's own short reason ("file is not a database"), without SQL text."""
    orig = getattr(exc, "orig", None) or exc
    return str(orig.args[0] if orig.args else orig).rstrip(".")


def get_setting(conn: Any, key: str) -> str | None:
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def set_setting(conn: Any, key: str, value: str) -> None:
    if get_setting(conn, key) is None:
        conn.execute(meta.insert(), [{"key": key, "value": value}])
    else:
        conn.execute(meta.update().where(meta.c.key == key).values(value=value))
