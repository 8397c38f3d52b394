"""Per-site crawl locks in a PostgreSQL archive: session-level advisory locks.

One site is crawled by at most one process at a time, on any machine that
writes to the archive. The lock belongs to a database session held open for
the whole crawl, so the server itself releases it when the holder's process
(or machine) dies: there is never a stale lock to clean up. SQLite archives
keep the file lock beside the file (`scraper.lock`).
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from datetime import UTC
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from scraper.exceptions import ArchiveError, ArchiveLocked

logger = logging.getLogger(__name__)

#: The first key of every arsip advisory lock ("arsi"), so other programs'
#: advisory locks on the same database never collide with a site's.
NAMESPACE = 0x61727369


def site_key(site: str) -> int:
    """The second key: a signed 32-bit hash of the site's name."""
    value = zlib.crc32(site.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


def is_server_url(db: str) -> bool:
    """True for a PostgreSQL URL: the archive where site locks live in the server."""
    return db.split("://", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


class SiteLocks:
    """Advisory locks for `sites`, all or none, held on one dedicated session."""

    def __init__(self, db: str, sites: list[str]) -> None:
        self.db = db
        self.sites = sorted(set(sites))  # one order everywhere: no lock-order surprises
        self._engine: Any = None
        self._conn: Any = None

    def acquire(self) -> SiteLocks:
        name = f"arsip crawl {socket.gethostname()} pid {os.getpid()}"
        try:
            # A pool of one session kept for the crawl; application_name is what a
            # contender reads back to say who holds the site.
            self._engine = create_engine(
                self.db, poolclass=_single_pool(), connect_args={"application_name": name[:63]}
            )
            self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            for site in self.sites:
                got = self._conn.execute(
                    text("SELECT pg_try_advisory_lock(:ns, :key)"),
                    {"ns": NAMESPACE, "key": site_key(site)},
                ).scalar()
                if not got:
                    holder = self._holder(site)
                    self.release()
                    raise ArchiveLocked(
                        f"Another crawl ({holder}) is crawling site {site} in this archive; "
                        "not starting a second one."
                    )
        except SQLAlchemyError as exc:
            self.release()
            orig = getattr(exc, "orig", None) or exc
            reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
            raise ArchiveError(f"Cannot take the crawl lock in the archive: {reason}.") from None
        return self

    def _holder(self, site: str) -> str:
        row = self._conn.execute(
            text(
                "SELECT a.application_name, a.client_addr, a.backend_start "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = CAST(:ns AS oid) AND l.objid = CAST(:key AS oid) LIMIT 1"
            ),
            # pg_locks shows the two int4 keys as oids (unsigned).
            {"ns": NAMESPACE, "key": site_key(site) & 0xFFFFFFFF},
        ).first()
        if row is None:
            return "unknown holder"
        since = row.backend_start.astimezone(UTC).isoformat(timespec="seconds")
        who = row.application_name or f"a session from {row.client_addr}"
        return f"{who}, since {since}"

    def release(self) -> None:
        # Closing the session releases every advisory lock it holds.
        if self._conn is not None:
            try:
                self._conn.close()
            except SQLAlchemyError:
                logger.debug("closing the lock session failed", exc_info=True)
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> SiteLocks:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _single_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool
