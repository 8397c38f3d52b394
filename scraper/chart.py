"""`arsip stats --chart`: articles per week per site, drawn with matplotlib (optional extra)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from scraper.exceptions import UsageError


def draw(timeline: list[dict[str, Any]], path: str | Path) -> int:
    """Write a line chart of articles per period per site; the number of sites drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, never a window
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("--chart needs matplotlib: pip install 'arsip[chart]'.") from None
    if not timeline:
        raise UsageError("nothing to draw: the archive has no dated articles.")
    periods = sorted({row["period"] for row in timeline})
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for row in timeline:
        series[row["site"]][row["period"]] = row["articles"]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for site, counts in sorted(series.items()):
        ax.plot(periods, [counts.get(p, 0) for p in periods], marker="o", label=site)
    ax.set_title("Articles per week")
    ax.set_ylabel("articles")
    ax.legend(loc="upper left", fontsize="small")
    step = max(1, len(periods) // 12)
    ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        plt.close(fig)
    return len(series)
