"""Item pipelines, one job each: clean → validate → dedupe → archive."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem


def drop(stats: Any, reason: str, detail: str = "") -> DropItem:
    """The DropItem for a record turned away, counted by reason in the run stats."""
    stats.inc_value(f"arsip/dropped/{reason}")
    return DropItem(f"{reason}: {detail}" if detail else reason)
