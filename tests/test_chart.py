"""`arsip stats --chart`: a PNG of articles per week per site."""

from __future__ import annotations

import pytest

from tests.cli_helpers import arsip, assert_one_line_error

pytest.importorskip("matplotlib")


def test_stats_chart_writes_a_png(archive_db, tmp_path):
    out = tmp_path / "minggu.png"
    proc = arsip("stats", "--chart", str(out), db=archive_db)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 5_000


def test_chart_counts_from_zero_and_keeps_the_legend_off_the_lines():
    from scraper.chart import figure

    timeline = [
        {"site": site, "period": f"2025-W{w:02d}", "articles": n}
        for w, counts in enumerate([(40, 42), (41, 0), (43, 44)], 1)
        for site, n in zip(("gawaiku", "teknokita"), counts, strict=True)
    ]
    fig = figure(timeline, "week")
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0
    assert ax.get_ylim()[1] >= 44
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    plot = ax.get_window_extent()
    assert legend.x0 >= plot.x1 or legend.y1 <= plot.y0 or legend.y0 >= plot.y1
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["2025-W01", "2025-W02", "2025-W03"]


def test_chart_to_a_file_type_matplotlib_cannot_write_is_one_sentence(archive_db, tmp_path):
    out = tmp_path / "grafik.txt"
    proc = arsip("stats", "--chart", str(out), db=archive_db)
    assert_one_line_error(proc)
    assert ".png" in proc.stderr
    assert not out.exists()
