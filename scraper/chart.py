"""`arsip stats --chart`: articles per week per site, drawn with matplotlib (optional extra)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from scraper.exceptions import UsageError

TITLES = {"week": "Articles per ISO week", "month": "Articles per month", "day": "Articles per day"}


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, never a window
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("--chart needs matplotlib: pip install 'arsip[chart]'.") from None
    return plt


def check_path(path: str | Path) -> None:
    """UsageError unless matplotlib can write an image of the file's type (by suffix)."""
    plt = _pyplot()
    fig = plt.figure()
    try:
        kinds = fig.canvas.get_supported_filetypes()
    finally:
        plt.close(fig)
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in kinds:
        raise UsageError(
            f"cannot draw a chart into {Path(path).name!r}: name it .png, .svg or .pdf."
        )


def figure(timeline: list[dict[str, Any]], period: str = "week") -> Any:
    """A line chart of articles per period per site (a matplotlib Figure)."""
    plt = _pyplot()
    if not timeline:
        raise UsageError("nothing to draw: the archive has no dated articles.")
    periods = sorted({row["period"] for row in timeline})
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for row in timeline:
        series[row["site"]][row["period"]] = row["articles"]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    x = range(len(periods))
    for site, counts in sorted(series.items()):
        ax.plot(x, [counts.get(p, 0) for p in periods], marker="o", label=site)
    ax.set_title(TITLES.get(period, "Articles"))
    ax.set_ylabel("articles")
    # Counts start at zero: a y axis from the smallest count exaggerates every dip.
    ax.set_ylim(bottom=0, top=max(1, max(r["articles"] for r in timeline)) * 1.08)
    ax.yaxis.get_major_locator().set_params(integer=True)
    # Beside the plot, never over a line.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize="small")
    step = max(1, len(periods) // 12)
    ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
    fig.tight_layout()
    return fig


def draw(timeline: list[dict[str, Any]], path: str | Path, period: str = "week") -> int:
    """Write the chart to `path` (type from its suffix); the number of sites drawn."""
    check_path(path)
    plt = _pyplot()
    fig = figure(timeline, period)
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        plt.close(fig)
    return len({row["site"] for row in timeline})
