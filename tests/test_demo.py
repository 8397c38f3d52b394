"""`make demo`: the bundled demo site is crawled offline end to end by the real CLI."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

from scraper.demo.site import build_site
from tests.cli_helpers import ROOT


def test_demo_site_has_twenty_articles_in_two_themes_and_paginated_categories():
    pages = build_site("http://127.0.0.1:1")
    html = {path: body.decode("utf-8") for path, (_, body) in pages.items() if path.endswith("/")}
    articles = [h for h in html.values() if 'property="og:type" content="article"' in h]
    assert len(articles) >= 20
    assert any("td-post-content" in h for h in articles)
    assert any("entry-content" in h and "td-post-content" not in h for h in articles)
    assert any(re.search(r"/category/[a-z-]+/page/2/", p) for p in pages)
    assert "Disallow:" in pages["/robots.txt"][1].decode()


def test_make_demo_crawls_searches_and_exports(tmp_path):
    db = tmp_path / "demo.db"
    proc = subprocess.run(
        [sys.executable, "-m", "scraper.demo", "--db", str(db), "--port", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = re.search(r"pages=(\d+) new=(\d+)", proc.stdout)
    assert summary and int(summary.group(2)) >= 20, proc.stdout
    # The demo ends by pretty-printing the first exported record.
    first = json.loads(proc.stdout[proc.stdout.index("\n{") :])
    assert first["title"] and first["body_text"] and first["published_at"]
    with sqlite3.connect(db) as conn:
        n, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
        ).fetchone()
        untagged = conn.execute(
            "SELECT url FROM articles WHERE json_array_length(coalesce(tags, '[]')) = 0"
        ).fetchall()
    assert n == distinct >= 20
    # Both themes show every post's tags (the tagDiv one only in its footer tag box).
    assert untagged == []
