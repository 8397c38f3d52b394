"""The persisted frontier: what a killed crawl still had to visit, for the next run.

It lives in the archive, keyed by site (`Archive.frontier_*`), so with a
PostgreSQL archive a job killed on one machine resumes on another. Changes
are kept in memory and written as one small batch (what was added and
finished since the last write), every few seconds on a thread, not on the
reactor. Listing chains' progress (how deep, whether the end was seen)
travels in the same writes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from scraper.exceptions import ArchiveError
from scraper.lock import lock_path

logger = logging.getLogger(__name__)

#: Request meta worth keeping across runs (the rest is rebuilt or transient).
KEPT_META = ("site", "hops", "listing", "chain", "article", "from_chain")


def legacy_frontier_path(db: str) -> Path:
    """`<db>.frontier.json`: where arsip before the frontier table kept it."""
    lock = lock_path(db)
    return lock.with_name(lock.name.removesuffix(".lock") + ".frontier.json")


class Frontier:
    """Pages scheduled but not finished. Listings are finished once parsed;
    article pages stay until the run ends cleanly, because a parsed article may
    still sit in the archive pipeline's unwritten batch when the crawl is
    killed. On resume, the archive's known URLs filter those already saved."""

    def __init__(self, archive: Callable[[], Any], db: str) -> None:
        self._archive = archive  # opened lazily by the spider
        self.legacy = legacy_frontier_path(db)
        self.added: dict[tuple[str, str], dict] = {}
        self.done_keys: set[tuple[str, str]] = set()
        self.chains: dict[tuple[str, str], dict] = {}  # progress not yet written
        self._write = threading.Lock()  # one write at a time, in order
        # Held only to touch the dicts above: the reactor adds while a thread writes.
        self._swap = threading.Lock()
        self._legacy_loaded = False

    def add(self, url: str, meta: dict) -> None:
        key = (meta["site"], url)
        kept = {k: meta[k] for k in KEPT_META if k in meta and k != "site"}
        with self._swap:
            self.done_keys.discard(key)
            self.added[key] = kept

    def done(self, meta: dict) -> None:
        """The page of this request's meta is finished (no-op for pages not tracked)."""
        url, site = meta.get("frontier"), meta.get("site")
        if not url or not site:
            return
        key = (site, url)
        with self._swap:
            # Added and finished between two writes: nothing to write at all.
            if self.added.pop(key, None) is None:
                self.done_keys.add(key)

    def reached(self, site: str, chain: str, depth: int) -> None:
        """A listing chain's page `depth` (1 = its head) was walked."""
        with self._swap:
            state = self.chains.setdefault((site, chain), {"depth": 0})
            state["depth"] = max(state["depth"], depth)

    def load(self, sites: Iterable[str]) -> dict[str, dict]:
        """What an interrupted run of these sites left ({} after a clean run),
        plus an old `<db>.frontier.json`, read once and removed once saved."""
        sites = set(sites)
        left: dict[str, dict] = {}
        try:
            data = json.loads(self.legacy.read_text(encoding="utf-8"))
            self._legacy_loaded = True
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as exc:
            logger.warning("ignoring unreadable old frontier %s (%s)", self.legacy, exc)
            data, self._legacy_loaded = {}, True
        if isinstance(data, dict):
            left.update(
                (url, dict(meta))
                for url, meta in data.items()
                if isinstance(url, str) and isinstance(meta, dict) and meta.get("site") in sites
            )
        left.update(self._archive().frontier_load(sites))
        return left

    def save(self) -> None:
        """Write what changed since the last save, in one transaction; safe to
        call from a thread. A failed write keeps the changes for the next one."""
        with self._write:
            with self._swap:
                added, done, chains = self.added, self.done_keys, self.chains
                if not (added or done or chains):
                    return
                self.added, self.done_keys, self.chains = {}, set(), {}
            try:
                self._archive().frontier_update(added, done, chains)
            except ArchiveError as exc:
                logger.warning("cannot save the frontier (%s)", exc)
                with self._swap:
                    # Put them back under anything newer (newer wins).
                    for key, meta in added.items():
                        if key not in self.done_keys:
                            self.added.setdefault(key, meta)
                    self.done_keys |= {k for k in done if k not in self.added}
                    for key, state in chains.items():
                        mine = self.chains.setdefault(key, {"depth": 0})
                        mine["depth"] = max(mine["depth"], state["depth"])
                        mine["end_seen"] = mine.get("end_seen") or state.get("end_seen")
                return
            if self._legacy_loaded:
                self.legacy.unlink(missing_ok=True)
                self._legacy_loaded = False

    def finish(self, sites: Iterable[str], ended: dict[str, set[str]]) -> None:
        """The run ended cleanly: nothing of these sites to resume; `ended`
        (site -> chains whose last page this run saw) is recorded for good."""
        chains = {
            (site, chain): {"depth": 0, "end_seen": True}
            for site, names in ended.items()
            for chain in names
        }
        with self._swap:
            for key, state in chains.items():
                state["depth"] = self.chains.get(key, {}).get("depth", 0)
            self.chains.update(chains)
            self.added.clear()
            self.done_keys.clear()
        self.save()
        self._archive().frontier_clear(sites)
        self.legacy.unlink(missing_ok=True)
