"""`arsip stats --chart`: a PNG of articles per week per site."""

from __future__ import annotations

import pytest

from tests.cli_helpers import arsip

pytest.importorskip("matplotlib")


def test_stats_chart_writes_a_png(archive_db, tmp_path):
    out = tmp_path / "minggu.png"
    proc = arsip("stats", "--chart", str(out), db=archive_db)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 5_000
