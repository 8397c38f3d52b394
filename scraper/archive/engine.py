"""Opening the archive's database: path or URL checks, SQLite pragmas, table creation."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from scraper.archive import fts, views
from scraper.archive.models import Base, meta
from scraper.exceptions import ArchiveError

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
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


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN is ours
        # (IMMEDIATE for writers, see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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


def open_engine(url_or_path: str) -> Engine:
    """Create the engine and the schema; any failure is an ArchiveError sentence."""
    url = database_url(url_or_path)
    try:
        engine = create_engine(url, json_serializer=_dumps)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise ArchiveError(f"Cannot open the archive {url_or_path}: {_reason(exc)}.") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    try:
        with engine.connect() as conn:
            ready = _schema_ready(conn)
        if not ready:
            # Only a first open (or an upgrade) writes: readers opening an
            # archive a crawl is writing to must not queue for its lock.
            with engine.connect().execution_options(arsip_write=True) as conn, conn.begin():
                Base.metadata.create_all(conn)
                if engine.dialect.name == "sqlite":
                    fts.create(conn)
                    views.create(conn)
                set_setting(conn, "schema_version", SCHEMA_VERSION)
                set_setting(conn, "views_version", views.VIEWS_VERSION)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise ArchiveError(f"Cannot open the archive {url_or_path}: {_reason(exc)}.") from exc
    return engine


def _schema_ready(conn: Any) -> bool:
    if not inspect(conn).has_table(meta.name):
        return False
    return (
        get_setting(conn, "schema_version") == SCHEMA_VERSION
        and get_setting(conn, "views_version") == views.VIEWS_VERSION
    )


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
