"""A crawl stopped by SIGTERM (cron's `timeout`, a shutdown) says so and exits non-zero."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.cli_helpers import ROOT
from tests.e2e_site import E2EServer

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def test_sigterm_mid_crawl_is_reported_and_not_a_success(tmp_path):
    with E2EServer() as server:
        server.delay = 0.5  # slow enough that the crawl is still running
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[sites.kabar]\nname = "Kabar"\nstart_urls = ["{server.url}/"]\n')
        cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites)]
        proc = subprocess.Popen(
            [*cmd, "--db", str(tmp_path / "a.db"), *FAST],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(server.requests) < 3:
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "interrupted" in out and len(out.splitlines()) == 1
    assert "Traceback" not in err
