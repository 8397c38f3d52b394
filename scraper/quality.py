"""Per-run quality checks: a site whose field coverage falls sharply has changed its layout."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

#: Runs before the current one that form a site's baseline.
BASELINE_RUNS = 5
#: A run with fewer new articles from a site says too little to judge it.
MIN_ARTICLES = 5
#: A fall is sharp when the share drops by at least this much (absolute) and to
#: under half of the baseline: 0.9 -> 0.4 is flagged, 0.3 -> 0.2 is noise.
MIN_DROP = 0.3
FIELDS = ("published_at", "authors", "headings", "related")


def _coverage(run: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    cov = run.get("coverage")
    if cov is None:
        cov = (run.get("extra") or {}).get("coverage")
    return cov or {}


def warnings_for(run: Mapping[str, Any], previous: Sequence[Mapping[str, Any]]) -> list[str]:
    """Warnings for one run against the runs before it (newest first)."""
    out = []
    for site, shares in sorted(_coverage(run).items()):
        if shares.get("articles", 0) < MIN_ARTICLES:
            continue
        history = [
            _coverage(p)[site]
            for p in previous
            if _coverage(p).get(site, {}).get("articles", 0) >= MIN_ARTICLES
        ][:BASELINE_RUNS]
        if not history:
            continue
        for name in FIELDS:
            base = statistics.median(h.get(name, 0.0) for h in history)
            now = shares.get(name, 0.0)
            if base - now >= MIN_DROP and now < base / 2:
                out.append(f"{site}: {name} coverage fell {base:.0%} -> {now:.0%}")
        base_fail = statistics.median(h.get("date_failed", 0.0) for h in history)
        if shares.get("date_failed", 0.0) - base_fail >= MIN_DROP:
            out.append(f"{site}: dates unreadable on {shares['date_failed']:.0%} of new articles")
    return out


def crawl_warnings(run: Mapping[str, Any]) -> list[str]:
    """A site whose robots.txt Crawl-delay lets fewer pages through in an hour
    than its page budget: the crawl honours the delay, so the budget is out of
    reach in an hour (an hourly cron run cannot finish the site)."""
    extra = run.get("extra") or {}
    budgets = extra.get("budgets") or {}
    out = []
    for site, delay in sorted((extra.get("crawl_delays") or {}).items()):
        per_hour = int(3600 / delay) if delay else 0
        budget = budgets.get(site)
        if delay and budget and budget > per_hour:
            out.append(
                f"{site}: Crawl-delay {delay:g}s allows {per_hour} pages an hour,"
                f" fewer than its budget of {budget}"
            )
    capped = extra.get("links_capped") or {}
    if capped.get("pages"):
        out.append(
            f"{capped['pages']} page(s) had more links than ARSIP_MAX_LINKS;"
            " only the first were followed"
        )
    return out


def annotate(runs: list[dict[str, Any]], running: bool | None = False) -> list[dict[str, Any]]:
    """Add "warnings" to each run (newest first), judged against the runs after
    it in the list, and the status of runs that never finished: the newest is
    "running" while a crawl holds the archive's lock (`running`), any other
    was killed (None: cannot tell, for a server database)."""
    newest_open = next((r for r in runs if not r.get("status")), None)
    for i, run in enumerate(runs):
        run["warnings"] = warnings_for(run, runs[i + 1 :]) + crawl_warnings(run)
        if not run.get("status"):
            if running is None:
                run["status"] = "unfinished"
            else:
                run["status"] = "running" if running and run is newest_open else "killed"
    return runs
