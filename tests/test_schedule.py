"""`arsip schedule`: the printed crontab line works when its command is run as cron would."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess

import pytest

from scraper.exceptions import UsageError
from scraper.schedule import cron_fields, crontab_line
from tests.cli_helpers import ROOT, arsip, assert_one_line_error
from tests.e2e_site import E2EServer

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


@pytest.mark.parametrize(
    ("every", "fields"),
    [("15m", "*/15 * * * *"), ("1h", "M * * * *"), ("6h", "M */6 * * *"), ("1d", "M 3 * * *")],
)
def test_cron_fields_for_common_intervals(every, fields):
    got = cron_fields(every, seed="x").split()
    for want, have in zip(fields.split(), got, strict=True):
        if want == "M":
            assert 0 <= int(have) < 60
        else:
            assert have == want


@pytest.mark.parametrize("every", ["7m", "5h", "2d", "sometimes", ""])
def test_intervals_cron_cannot_express_are_refused(every):
    with pytest.raises(UsageError):
        cron_fields(every)


def test_bad_interval_is_one_sentence_and_exit_2():
    assert_one_line_error(arsip("schedule", "--every", "7m"))


def test_printed_crontab_line_crawls_when_run_as_cron_would(tmp_path):
    db, log = tmp_path / "archive.db", tmp_path / "logs" / "arsip.log"
    server = E2EServer()
    n = len(server.site.article_paths())
    with server:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[sites.kabar]\nname = "Kabar"\nstart_urls = ["{server.url}/"]\n')
        proc = arsip(
            "schedule", "--every", "1h", "--sites", str(sites), "--log-file", str(log), *FAST, db=db
        )
        assert proc.returncode == 0, proc.stderr
        line = proc.stdout.strip()
        assert len(line.splitlines()) == 1
        command = line.split(None, 5)[5]
        # cron: /bin/sh, another working directory, a bare environment.
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        run = subprocess.run(
            ["/bin/sh", "-c", command], cwd=tmp_path, env=env, capture_output=True, timeout=300
        )
    assert run.returncode == 0, run.stderr
    assert f"cd {ROOT}" in command
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == n
    assert log.exists()
    assert f"new={n}" in (tmp_path / "logs" / "arsip.log.out").read_text()
    assert os.path.isabs(command.split(" && ")[-1].split()[0])
    runs = [json.loads(x) for x in arsip("runs", "--json", db=db, check=True).stdout.splitlines()]
    assert [(r["new"], r["warnings"]) for r in runs] == [(n, [])]
    table = arsip("runs", db=db, check=True).stdout
    assert "kabar" in table and str(n) in table


def test_percent_signs_are_escaped_for_cron():
    line = crontab_line("1h", "arsip crawl --db 'postgresql://u:p%40ss@h/db'")
    assert "p\\%40ss" in line
    assert line.count("%") == line.count("\\%")
