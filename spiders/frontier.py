"""The persisted frontier: what a killed crawl still had to visit, for the next run."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from scraper.lock import lock_path

logger = logging.getLogger(__name__)

#: Request meta worth keeping across runs (the rest is rebuilt or transient).
KEPT_META = ("site", "hops", "listing", "chain", "article", "from_chain")


def frontier_path(db: str) -> Path:
    """`<db>.frontier.json`, beside the archive's lock file."""
    lock = lock_path(db)
    return lock.with_name(lock.name.removesuffix(".lock") + ".frontier.json")


class Frontier:
    """Pages scheduled but not finished. Listings are finished once parsed;
    article pages stay until the run ends cleanly, because a parsed article may
    still sit in the archive pipeline's unwritten batch when the crawl is
    killed. On resume, the archive's known URLs filter those already saved."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pending: dict[str, dict] = {}
        self.dirty = False

    def add(self, url: str, meta: dict) -> None:
        self.pending[url] = {k: meta[k] for k in KEPT_META if k in meta}
        self.dirty = True

    def done(self, url: str) -> None:
        if self.pending.pop(url, None) is not None:
            self.dirty = True

    def load(self) -> dict[str, dict]:
        """What the previous, interrupted run left ({} after a clean run)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            logger.warning("ignoring unreadable frontier %s (%s)", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def save(self) -> None:
        """Write atomically: a kill during the write leaves the previous file."""
        if not self.dirty:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(self.pending), encoding="utf-8")
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError as exc:
            logger.warning("cannot save the frontier %s (%s)", self.path, exc)

    def clear(self) -> None:
        """The run finished: nothing to resume."""
        self.pending.clear()
        self.path.unlink(missing_ok=True)
