"""Coverage warnings: a layout change on a site shows up in `arsip runs` the next morning."""

from __future__ import annotations

from scraper.quality import annotate, warnings_for


def run(authors: float, articles: int = 20, date_failed: float = 0.0) -> dict:
    share = {"articles": articles, "published_at": 1.0, "authors": authors}
    share |= {"headings": 0.6, "related": 0.8, "date_failed": date_failed}
    return {"coverage": {"detikinet": share}}


def test_sharp_fall_against_previous_runs_is_flagged():
    warnings = warnings_for(run(authors=0.1), [run(0.95), run(0.9), run(0.92)])
    assert warnings == ["detikinet: authors coverage fell 92% -> 10%"]


def test_small_wobble_and_small_runs_are_not_flagged():
    assert warnings_for(run(authors=0.8), [run(0.95), run(0.9)]) == []
    assert warnings_for(run(authors=0.0, articles=2), [run(0.95)]) == []
    assert warnings_for(run(authors=0.0), []) == []


def test_dates_that_stop_parsing_are_flagged():
    warnings = warnings_for(run(0.9, date_failed=0.7), [run(0.9), run(0.9)])
    assert warnings == ["detikinet: dates unreadable on 70% of new articles"]


def test_annotate_judges_each_run_against_the_older_ones():
    runs = annotate([run(0.1), run(0.9), run(0.9)])
    assert [bool(r["warnings"]) for r in runs] == [True, False, False]
